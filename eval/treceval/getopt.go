package treceval

import (
	"fmt"
	"strings"
)

// longOption is one entry of getopt_long's option table.
type longOption struct {
	name   string
	hasArg bool
	short  byte
}

// opt is one option found on the command line.
type opt struct {
	short byte   // the short option it stands for
	arg   string // its argument (options that take one)
	text  string // how it was written, for messages
}

// getoptError is an option getopt refuses: unknown, ambiguous, or missing
// or given an argument it does not take. glibc prints it and returns '?'.
type getoptError struct{ msg string }

func (e *getoptError) Error() string { return e.msg }

// getopt splits args (without the program name) as glibc's getopt_long
// does with trec_eval's option table: short options may be clustered
// (-qc) and take their argument joined or as the next word (-mmap,
// -m map); long options may be abbreviated to a unique prefix and take
// their argument after '=' or as the next word; "--" ends the options.
// Unless posixlyCorrect (glibc's POSIXLY_CORRECT), options and operands
// may be mixed (operands keep their order). visit is called on each option
// in order and may stop the scan by returning an error; a malformed option
// stops it with a *getoptError.
func getopt(args []string, shorts string, longs []longOption, posixlyCorrect bool, visit func(opt) error) (operands []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(operands, args[i+1:]...), nil
		case len(a) < 2 || a[0] != '-':
			if posixlyCorrect {
				return append(operands, args[i:]...), nil
			}
			operands = append(operands, a)
		case a[1] == '-':
			o, used, err := longOpt(a, args[i+1:], longs)
			if err != nil {
				return nil, err
			}
			i += used
			if err := visit(o); err != nil {
				return nil, err
			}
		default:
			for j := 1; j < len(a); j++ {
				c := a[j]
				k := strings.IndexByte(shorts, c)
				if c == ':' || k < 0 {
					return nil, &getoptError{fmt.Sprintf("invalid option -- '%c'", c)}
				}
				o := opt{short: c, text: "-" + string(c)}
				if k+1 < len(shorts) && shorts[k+1] == ':' {
					switch {
					case j+1 < len(a):
						o.arg = a[j+1:]
					case i+1 < len(args):
						i++
						o.arg = args[i]
					default:
						return nil, &getoptError{fmt.Sprintf("option requires an argument -- '%c'", c)}
					}
					j = len(a)
				}
				if err := visit(o); err != nil {
					return nil, err
				}
			}
		}
	}
	return operands, nil
}

// longOpt reads the long option a ("--name" or "--name=value"); rest are
// the words after it, from which a required argument may be taken (used
// says how many).
func longOpt(a string, rest []string, longs []longOption) (o opt, used int, err error) {
	name, value, hasValue := strings.Cut(a[2:], "=")
	var match *longOption
	var candidates []string
	for i := range longs {
		l := &longs[i]
		if l.name == name {
			match, candidates = l, nil
			break
		}
		if strings.HasPrefix(l.name, name) {
			if match == nil {
				match = l
			}
			candidates = append(candidates, "'--"+l.name+"'")
		}
	}
	switch {
	case match == nil:
		return o, 0, &getoptError{fmt.Sprintf("unrecognized option '%s'", a)}
	case len(candidates) > 1:
		return o, 0, &getoptError{fmt.Sprintf("option '%s' is ambiguous; possibilities: %s", a, strings.Join(candidates, " "))}
	}
	o = opt{short: match.short, text: "--" + match.name}
	switch {
	case !match.hasArg && hasValue:
		return o, 0, &getoptError{fmt.Sprintf("option '--%s' doesn't allow an argument", match.name)}
	case match.hasArg && hasValue:
		o.arg = value
	case match.hasArg && len(rest) > 0:
		o.arg, used = rest[0], 1
	case match.hasArg:
		return o, 0, &getoptError{fmt.Sprintf("option '--%s' requires an argument", match.name)}
	}
	return o, used, nil
}
