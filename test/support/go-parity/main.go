// go-parity answers, with Go's own standard library, the two questions the Promtail model
// (test/support/promtail-model.ts) answers in JavaScript: what Go's regexp captures from a line, and
// what instant Go's time.Parse reads from a timestamp. Promtail's regex stage compiles its expression with
// regexp.Compile and reads named groups from FindStringSubmatch (clients/pkg/logentry/stages/regex.go), its
// multiline stage tests the first line with MatchString (multiline.go), and its timestamp stage parses a
// custom layout with time.Parse when no location is set (convertDateLayout in stages/util.go), and its
// template stage runs text/template over the extracted values, with .Value the source's, and functions
// such as ToLower = strings.ToLower (template.go).
//
// Input on stdin: a JSON array of cases, {"kind":"regex","re":..,"text":..} or
// {"kind":"time","layout":..,"text":..} or {"kind":"template","tpl":..,"data":{..}} or {"kind":"duration","text":..}. Output on stdout: a JSON array of answers, in order.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"
)

type request struct {
	Kind   string                 `json:"kind"`
	Tpl    string                 `json:"tpl"`
	Data   map[string]interface{} `json:"data"`
	Re     string                 `json:"re"`
	Layout string                 `json:"layout"`
	Text   string                 `json:"text"`
}

type answer struct {
	Error   string            `json:"error,omitempty"`
	Matched bool              `json:"matched"`
	Groups  map[string]string `json:"groups,omitempty"`
	// Unix nanoseconds as a decimal string (beyond a float64's exact range).
	UnixNano string `json:"unixNano,omitempty"`
	// What a template wrote.
	Text *string `json:"text,omitempty"`
}

func main() {
	var reqs []request
	if err := json.NewDecoder(os.Stdin).Decode(&reqs); err != nil {
		os.Stderr.WriteString("go-parity: " + err.Error() + "\n")
		os.Exit(2)
	}
	out := make([]answer, 0, len(reqs))
	for _, r := range reqs {
		switch r.Kind {
		case "regex":
			out = append(out, matchRegex(r.Re, r.Text))
		case "time":
			out = append(out, parseTime(r.Layout, r.Text))
		case "template":
			out = append(out, runTemplate(r.Tpl, r.Data))
		case "duration":
			out = append(out, parseDuration(r.Text))
		default:
			out = append(out, answer{Error: "unknown kind " + r.Kind})
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(2)
	}
}

func matchRegex(re, text string) answer {
	compiled, err := regexp.Compile(re)
	if err != nil {
		return answer{Error: err.Error()}
	}
	m := compiled.FindStringSubmatch(text)
	if m == nil {
		return answer{Matched: false}
	}
	groups := map[string]string{}
	for i, name := range compiled.SubexpNames() {
		if name != "" && i < len(m) {
			groups[name] = m[i]
		}
	}
	return answer{Matched: true, Groups: groups}
}

// The named layouts the model knows, as Promtail maps them (stages/util.go convertDateLayout).
var named = map[string]string{"RFC3339": time.RFC3339, "RFC3339Nano": time.RFC3339Nano}

// Promtail's Unix, UnixMs, UnixUs and UnixNs are its own code (strconv, time.Unix), not time.Parse: not asked here.
func parseTime(layout, text string) answer {
	if l, ok := named[layout]; ok {
		layout = l
	}
	t, err := time.Parse(layout, text)
	if err != nil {
		return answer{Error: err.Error()}
	}
	return answer{UnixNano: strconv.FormatInt(t.UnixNano(), 10)}
}

// time.ParseDuration, which src/core/go-duration.ts reads as (Compose's, Promtail's and dskit's durations).
// The nanoseconds go in unixNano (an int64 as a decimal string).
func parseDuration(text string) answer {
	d, err := time.ParseDuration(text)
	if err != nil {
		return answer{Error: err.Error()}
	}
	return answer{UnixNano: strconv.FormatInt(int64(d), 10)}
}

// The functions of Promtail's template stage that the generated templates call, as it maps them.
var functions = template.FuncMap{"ToLower": strings.ToLower, "ToUpper": strings.ToUpper}

func runTemplate(tpl string, data map[string]interface{}) answer {
	t, err := template.New("pipeline_template").Funcs(functions).Parse(tpl)
	if err != nil {
		return answer{Error: err.Error()}
	}
	buf := &bytes.Buffer{}
	if err := t.Execute(buf, data); err != nil {
		return answer{Error: err.Error()}
	}
	text := buf.String()
	return answer{Text: &text}
}
