package serve

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
)

// BenchmarkUploads measures the submission API over loopback HTTP: 20
// clients (20 teams) upload b.N distinct small runs (15 lines) at once.
// It reports uploads per second and the p50 and p99 latency of an
// accepted upload. The store fsyncs as in production unless -nosync.
//
//	go test ./internal/serve -run '^$' -bench Uploads -benchtime 500x
func BenchmarkUploads(b *testing.B) {
	for _, fsync := range []bool{true, false} {
		b.Run(fmt.Sprintf("fsync=%v", fsync), func(b *testing.B) { benchmarkUploads(b, fsync) })
	}
}

func benchmarkUploads(b *testing.B, fsync bool) {
	const clients = 20
	f := newBenchFixture(b, clients)
	if !fsync {
		fsutil.NoSyncInTest(b)
	}
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = clients
	var (
		next      atomic.Int64
		mu        sync.Mutex
		latencies []time.Duration
		wg        sync.WaitGroup
	)
	b.ResetTimer()
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			team := fmt.Sprintf("b%02d", c)
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				tag := fmt.Sprintf("r%d", i)
				var buf bytes.Buffer
				w := multipart.NewWriter(&buf)
				w.WriteField("phase", "formal")
				fw, _ := w.CreateFormFile("run", tag+".run")
				fw.Write([]byte(runText(tag, int(i%7))))
				w.Close()
				req, _ := http.NewRequest("POST", srv.URL+"/api/submissions", &buf)
				req.Header.Set("Content-Type", w.FormDataContentType())
				req.Header.Set("Authorization", "Bearer "+f.tokens[team])
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Errorf("%s/%s: status %d", team, tag, resp.StatusCode)
					return
				}
				mu.Lock()
				latencies = append(latencies, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	pct := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "uploads/s")
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// newBenchFixture is newFixture with n teams b00.. and no limits.
func newBenchFixture(b *testing.B, n int) *fixture {
	f := newFixtureTB(b, func(o *Options) {
		o.TeamRate, o.AddressRate = 0, 0
		for i := range o.Phases.Phases {
			p := &o.Phases.Phases[i]
			p.PerDay, p.Total, p.MaxRuns = 0, 0, 0
		}
	})
	for i := range n {
		name := fmt.Sprintf("b%02d", i)
		tok, err := AddTeam(f.dir, name, t0, false)
		require.NoError(b, err)
		f.tokens[name] = tok
	}
	return f
}
