// Package output gives the example programs their shared command line:
// -o text|json|yaml|markdown (with -json kept as -o json), a -h that
// describes the program, shows its flags and two examples, a -fail-below
// share, Markdown tables, and the "wrote FILE" line on stderr.
package output

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ipcap/ipcap/internal/count"

	"github.com/ipcap/ipcap/examples/internal/input"
	"sigs.k8s.io/yaml"
)

// Format is what -o asks for.
type Format string

// The formats -o takes.
const (
	Text     Format = "text"
	JSON     Format = "json"
	YAML     Format = "yaml"
	Markdown Format = "markdown"
)

// String implements flag.Value.
func (f *Format) String() string { return string(*f) }

// Set implements flag.Value; md is Markdown's short name.
func (f *Format) Set(s string) error {
	switch Format(strings.ToLower(s)) {
	case Text, "txt":
		*f = Text
	case JSON:
		*f = JSON
	case YAML, "yml":
		*f = YAML
	case Markdown, "md":
		*f = Markdown
	default:
		return fmt.Errorf("want text, json, yaml or markdown")
	}
	return nil
}

// formatFlags are -o and its alias -json, which may not disagree.
type formatFlags struct {
	f           Format
	byO, byJSON bool // which set f
}

// oFlag is -o.
type oFlag struct{ s *formatFlags }

func (o oFlag) String() string {
	if o.s == nil {
		return ""
	}
	return string(o.s.f)
}

func (o oFlag) Set(v string) error {
	var f Format
	if err := f.Set(v); err != nil {
		return err
	}
	if o.s.byJSON && f != JSON {
		return fmt.Errorf("-json asks for json: give one of -o and -json")
	}
	o.s.f, o.s.byO = f, true
	return nil
}

// jsonFlag is -json: a boolean flag that sets the format to JSON.
type jsonFlag struct{ s *formatFlags }

func (j jsonFlag) String() string   { return "false" }
func (j jsonFlag) IsBoolFlag() bool { return true }
func (j jsonFlag) Set(v string) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	switch {
	case on && j.s.byO && j.s.f != JSON:
		return fmt.Errorf("-o asks for %s: give one of -o and -json", j.s.f)
	case on:
		j.s.f, j.s.byJSON = JSON, true
	case j.s.byJSON:
		j.s.f, j.s.byJSON = Text, false
	}
	return nil
}

// FormatFlag registers -o and its alias -json on fs and returns the
// format they set, Text by default; the two disagreeing is a flag error.
func FormatFlag(fs *flag.FlagSet) *Format {
	s := &formatFlags{f: Text}
	fs.Var(oFlag{s}, "o", "output `format`: text, json, yaml or markdown (json and yaml are the document the README describes; markdown is tables for a wiki or a PR comment)")
	fs.Var(jsonFlag{s}, "json", "same as -o json")
	return &s.f
}

// FlagSet returns the command line of the program name: flag errors and
// -h go to stderr, -h shows description and the examples (Usage), and -o
// with its alias -json set the format it returns (FormatFlag).
func FlagSet(name string, stderr io.Writer, description string, examples ...string) (*flag.FlagSet, *Format) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	Usage(fs, description, examples...)
	return fs, FormatFlag(fs)
}

// Parse parses args with fs; a bad flag or an argument that is not a
// flag is a BadUsage error, which the caller reports once, in one line
// that says where the usage is (the flag package would print it and the
// whole usage before it). -h prints the usage.
func Parse(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return err
	case err != nil:
		return input.Usagef("%v (-h for usage)", err)
	}
	if fs.NArg() > 0 {
		return input.Usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// Write writes v in format f: with text or markdown for Text and Markdown,
// else as the document Encode writes.
func Write[T any](w io.Writer, f Format, v T, text, markdown func(io.Writer, T) error) error {
	switch f {
	case Text:
		return text(w, v)
	case Markdown:
		return markdown(w, v)
	}
	return Encode(w, f, v)
}

// Encode writes v as indented JSON, or as YAML converted from that JSON
// (sigs.k8s.io/yaml), so both carry the same fields under the same names.
func Encode(w io.Writer, f Format, v any) error {
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case YAML:
		b, err := yaml.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return fmt.Errorf("output: %q is not a document format", f)
}

// Usage sets fs's -h text: the one-line description, the flags, and the
// examples, one command each.
func Usage(fs *flag.FlagSet, description string, examples ...string) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s: %s\n\nUsage: %s [flags]\n\nFlags:\n", fs.Name(), description, fs.Name())
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nExamples:\n")
		for _, e := range examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// Share is a -fail-below threshold: a share of 0 to 1, given as "10%" or
// as "0.1". Its zero value is no threshold.
type Share struct {
	Value float64
	On    bool // given
	text  string
}

// String implements flag.Value.
func (s *Share) String() string { return s.text }

// Set implements flag.Value.
func (s *Share) Set(v string) error {
	t := strings.TrimSpace(v)
	pct := strings.HasSuffix(t, "%")
	x, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if pct {
		x /= 100
	}
	if err != nil || !(x >= 0 && x <= 1) {
		return fmt.Errorf("want a share such as 10%% or 0.1, from 0%% to 100%%")
	}
	s.Value, s.On, s.text = x, true, v
	return nil
}

// Percent writes a share as a percentage to a tenth: 10%, 12.5%, 96.9%.
func Percent(x float64) string {
	return strconv.FormatFloat(math.Round(1000*x)/10, 'f', -1, 64) + "%"
}

// Wrote tells the user on stderr what file a program wrote.
func Wrote(stderr io.Writer, path, what string) {
	if what == "" {
		fmt.Fprintf(stderr, "wrote %s\n", path)
		return
	}
	fmt.Fprintf(stderr, "wrote %s (%s)\n", path, what)
}

// Table writes a GitHub-flavoured Markdown table: header, alignment row
// (numbers right-aligned), rows; a pipe or a newline in a cell is escaped.
type Table struct {
	Header  []string
	Numeric []bool // per column: right-align
	Rows    [][]string
}

// Add appends a row of cells, each formatted with %v.
func (t *Table) Add(cells ...any) {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = fmt.Sprint(c)
	}
	t.Rows = append(t.Rows, row)
}

// Write writes the table and a blank line after it.
func (t *Table) Write(w io.Writer) {
	line := func(cells []string, header bool) {
		fmt.Fprint(w, "|")
		for _, c := range cells {
			if header && c == "" {
				fmt.Fprint(w, "  |")
				continue
			}
			fmt.Fprintf(w, " %s |", Cell(c))
		}
		fmt.Fprintln(w)
	}
	line(t.Header, true)
	fmt.Fprint(w, "|")
	for i := range t.Header {
		if i < len(t.Numeric) && t.Numeric[i] {
			fmt.Fprint(w, "---:|")
		} else {
			fmt.Fprint(w, "---|")
		}
	}
	fmt.Fprintln(w)
	for _, r := range t.Rows {
		line(r, false)
	}
	fmt.Fprintln(w)
}

// WriteText writes the table for a terminal: the header and the rows in
// columns two spaces apart (text/tabwriter), no alignment row, no escapes,
// no blank line after.
func (t *Table) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.Header, "\t"))
	for _, r := range t.Rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

// Cell escapes s for a Markdown table cell: pipes escaped, newlines as
// <br>, an empty cell as "–" so that the row keeps its shape.
func Cell(s string) string {
	if s == "" {
		return "–"
	}
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", "<br>")
}

// BelowError is a threshold the output crossed: exit status 1.
type BelowError struct{ What []string }

// Gate is -fail-below in a JSON or YAML document, so that a pipeline
// reading it knows why the program failed: the share asked for and what
// fell below it, empty when nothing did.
type Gate struct {
	FailBelow float64  `json:"failBelow"`
	Below     []string `json:"below"`
}

// GateOf is the Gate of threshold t for the document, given what the
// program's -fail-below check returned: a *BelowError names what fell
// below it.
func GateOf(t Share, err error) *Gate {
	g := &Gate{FailBelow: t.Value, Below: []string{}}
	var be *BelowError
	if errors.As(err, &be) {
		g.Below = be.What
	}
	return g
}

func (e *BelowError) Error() string {
	if len(e.What) == 1 {
		return "below -fail-below: " + e.What[0]
	}
	return fmt.Sprintf("below -fail-below, %s: %s", count.Of(len(e.What), "case", "cases"), strings.Join(e.What, "; "))
}
