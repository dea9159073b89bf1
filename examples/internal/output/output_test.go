package output

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want Format
	}{
		{nil, Text},
		{[]string{"-o", "yaml"}, YAML},
		{[]string{"-o", "yml"}, YAML},
		{[]string{"-o", "MD"}, Markdown},
		{[]string{"-o", "markdown"}, Markdown},
		{[]string{"-json"}, JSON},
		{[]string{"-o", "json", "-json"}, JSON},
		{[]string{"-json", "-o", "JSON"}, JSON},
		{[]string{"-json", "-json=false"}, Text},
		{[]string{"-json=false"}, Text},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		f := FormatFlag(fs)
		require.NoError(t, fs.Parse(tt.args), "%v", tt.args)
		assert.Equal(t, tt.want, *f, "%v", tt.args)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	FormatFlag(fs)
	assert.ErrorContains(t, fs.Parse([]string{"-o", "csv"}), "want text, json, yaml or markdown")
	// -o and -json disagreeing is an error, whichever comes first.
	for args, want := range map[string]string{
		"-o yaml -json": "invalid boolean flag json: -o asks for yaml: give one of -o and -json",
		"-json -o text": `invalid value "text" for flag -o: -json asks for json: give one of -o and -json`,
		"-json -o md":   `invalid value "md" for flag -o: -json asks for json: give one of -o and -json`,
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		FormatFlag(fs)
		assert.EqualError(t, fs.Parse(strings.Fields(args)), want, args)
	}
}

func TestShare(t *testing.T) {
	for in, want := range map[string]float64{"10%": 0.1, "0.25": 0.25, " 12.5% ": 0.125, "0": 0, "100%": 1, "1": 1} {
		var s Share
		require.NoError(t, s.Set(in), in)
		assert.InDelta(t, want, s.Value, 1e-12, in)
		assert.True(t, s.On)
	}
	for _, in := range []string{"", "%", "ten", "101%", "1.5", "-0.1", "NaN", "Inf%"} {
		var s Share
		assert.Error(t, s.Set(in), in)
		assert.False(t, s.On, in)
	}
	assert.Equal(t, "96.9%", Percent(1-2048.0/65536))
	assert.Equal(t, "10%", Percent(0.1))
	assert.Equal(t, "-12.5%", Percent(-0.125))
}

func TestEncode(t *testing.T) {
	// YAML is converted from the JSON: JSON names, omitempty honoured,
	// DateRange's YYYY-MM-DD dates with the unknown bound left out.
	v := struct {
		When  *capacity.DateRange `json:"when"`
		Limit capacity.Limit      `json:"limit"`
		Skip  string              `json:"skip,omitempty"`
	}{&capacity.DateRange{P10: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), P50: time.Date(2027, 5, 14, 0, 0, 0, 0, time.UTC)}, capacity.LimitPodCIDR, ""}
	var js, yml bytes.Buffer
	require.NoError(t, Encode(&js, JSON, v))
	assert.Equal(t, "{\n  \"when\": {\n    \"p10\": \"2027-03-01\",\n    \"p50\": \"2027-05-14\"\n  },\n  \"limit\": \"pod-cidr\"\n}\n", js.String())
	require.NoError(t, Encode(&yml, YAML, v))
	assert.Equal(t, "limit: pod-cidr\nwhen:\n  p10: \"2027-03-01\"\n  p50: \"2027-05-14\"\n", yml.String())
	assert.Error(t, Encode(io.Discard, Markdown, v))
}

func TestTable(t *testing.T) {
	tb := Table{Header: []string{"name", "", "n"}, Numeric: []bool{false, false, true}}
	tb.Add("a|b", "", 1200)
	tb.Add("two\nlines", "x", -3)
	var b strings.Builder
	tb.Write(&b)
	assert.Equal(t, "| name |  | n |\n|---|---|---:|\n| a\\|b | – | 1200 |\n| two<br>lines | x | -3 |\n\n", b.String())
}

func TestTableWriteText(t *testing.T) {
	tb := Table{Header: []string{"name", "n"}, Numeric: []bool{false, true}}
	tb.Add("a|b", 1200)
	tb.Add("long name", "")
	var b strings.Builder
	tb.WriteText(&b)
	assert.Equal(t, "name       n\na|b        1200\nlong name  \n", b.String())
}

func TestUsage(t *testing.T) {
	fs := flag.NewFlagSet("prog", flag.ContinueOnError)
	var b strings.Builder
	fs.SetOutput(&b)
	fs.Int("n", 3, "how many")
	Usage(fs, "does a thing", "prog -n 4", "prog -n 5")
	err := fs.Parse([]string{"-h"})
	assert.Equal(t, input.ExitOK, input.ExitCode(input.BadUsage(err)))
	assert.Equal(t, "prog: does a thing\n\nUsage: prog [flags]\n\nFlags:\n  -n int\n    \thow many (default 3)\n\nExamples:\n  prog -n 4\n  prog -n 5\n", b.String())
}

func TestWrote(t *testing.T) {
	var b strings.Builder
	Wrote(&b, "a.png", "")
	Wrote(&b, "b.svg", "a chart")
	assert.Equal(t, "wrote a.png\nwrote b.svg (a chart)\n", b.String())
	assert.Equal(t, "below -fail-below: x", (&BelowError{[]string{"x"}}).Error())
	assert.Equal(t, "below -fail-below, 2 cases: x; y", (&BelowError{[]string{"x", "y"}}).Error())
}

func TestFlagSetParseWrite(t *testing.T) {
	var stderr strings.Builder
	fs, f := FlagSet("prog", &stderr, "does a thing", "prog -o md")
	require.NoError(t, Parse(fs, []string{"-o", "md"}))
	assert.Equal(t, Markdown, *f)
	err := Parse(fs, []string{"extra"})
	assert.EqualError(t, err, `unexpected argument "extra"`)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	// A bad flag is one error, not the usage as well: stderr stays empty.
	err = Parse(fs, []string{"-nope"})
	assert.EqualError(t, err, "flag provided but not defined: -nope (-h for usage)")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	assert.Empty(t, stderr.String())
	// -h prints the usage, and is no error to exit with.
	err = Parse(fs, []string{"-h"})
	assert.Equal(t, input.ExitOK, input.ExitCode(err))
	assert.True(t, strings.HasPrefix(stderr.String(), "prog: does a thing\n\nUsage: prog [flags]\n"), stderr.String())

	text := func(w io.Writer, v int) error { _, err := fmt.Fprintf(w, "text %d\n", v); return err }
	md := func(w io.Writer, v int) error { _, err := fmt.Fprintf(w, "md %d\n", v); return err }
	for _, tt := range []struct {
		f    Format
		want string
	}{{Text, "text 7\n"}, {Markdown, "md 7\n"}, {JSON, "7\n"}, {YAML, "7\n"}} {
		var b strings.Builder
		require.NoError(t, Write(&b, tt.f, 7, text, md))
		assert.Equal(t, tt.want, b.String(), "Write(%s)", tt.f)
	}
}
