package serve

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"sync"
	"time"

	"github.com/ntcir-pmr/mreval/eval/intake"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

var pageNames = []string{"home", "result", "history", "counts", "admin", "error"}

var templateFuncs = template.FuncMap{
	"time":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"download": func(phase string, e intake.Entry, kind string) string { return downloadURL(phase, e, kind) },
	"short":    func(h string) string { return h[:min(12, len(h))] },
}

// pages holds one template set per page: the layout plus the page's
// "content". They are parsed on first use, not at start-up: every mreval
// command links this package, and only serve renders a page.
var pages = sync.OnceValue(func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		out[name] = template.Must(template.New("layout.html").Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
})

// render writes a page; it is rendered into a buffer first, so a template
// error is a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d *pageData) {
	var buf bytes.Buffer
	if err := pages()[name].Execute(&buf, d); err != nil {
		s.log.Error("rendering a page", "page", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
