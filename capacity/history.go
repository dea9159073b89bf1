package capacity

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/modes"
)

// Observation is a pool's node count at a time, e.g. from Azure Monitor.
type Observation struct {
	Time  time.Time `json:"time"`
	Nodes int       `json:"nodes"`
}

// MaxObservations bounds a history: ReadHistory reads and Forecast fits at
// most this many observations.
const MaxObservations = 1_000_000

// MaxHistoryNodes bounds an observation's node count: modes.SpecMaxNodes,
// the most nodes any Spec, custom ones included, gives a pool, and so the
// most a pool Forecast models can ever have had. A larger count is a
// typo or a unit error, not a pool; it is not bounded by the cluster's
// own pool limit, because a history may record a pool above what fits
// now (its dates are then in the history).
const MaxHistoryNodes = modes.SpecMaxNodes

// tooManyNodes bounds an observation's count, in words.
var tooManyNodes = "want at most " + count.Thousands(MaxHistoryNodes) +
	", the most nodes any Spec allows a pool (a custom Spec's ceiling; AKS allows " + count.Thousands(modes.MaxNodesPerPool) + ")"

// HistoryError is a line of a history ReadHistory cannot read. Its text
// starts with the line number; a caller adds the file's name.
type HistoryError struct {
	Line int    // 1-based line of the CSV input
	Msg  string // what is wrong, quoting the value
}

func (e *HistoryError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ReadHistory reads a pool's node counts as CSV rows of time,nodes: the
// time in RFC 3339 (2026-01-02T15:04:05Z, fractional seconds and offsets
// allowed) or as a date (2026-01-02, midnight UTC) in the years 1–9999,
// the nodes a whole number from 0 to MaxHistoryNodes. A first row whose nodes field is not a number is a header
// and is skipped. Blank lines are skipped; spaces around fields are
// ignored. The observations come back oldest first whatever the rows'
// order. A malformed row, a count out of range, a time given twice (said
// as each line wrote it) or more than MaxObservations rows is a
// *HistoryError naming the line and the value;
// an empty input is no error and no observation.
func ReadHistory(r io.Reader) ([]Observation, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var out []Observation
	var lines []int      // the line of each observation, for errors after sorting
	var written []string // each observation's time as its line wrote it
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &HistoryError{Line: pe.Line, Msg: pe.Err.Error()}
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != 2 {
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("%q is not time,nodes: %d fields", strings.Join(rec, ","), len(rec))}
		}
		ts, ns := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		n, nerr := strconv.Atoi(ns)
		if nerr != nil && first && !looksNumeric(ns) {
			continue // a header: time,nodes
		}
		t, terr := parseHistoryTime(ts)
		switch {
		case terr != nil:
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("%q is not time,nodes: time %q: want RFC 3339 (2026-01-02T15:04:05Z) or YYYY-MM-DD", strings.Join(rec, ","), ts)}
		case errors.Is(nerr, strconv.ErrRange) && ns[0] != '-':
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("nodes %s: %s", ns, tooManyNodes)}
		case errors.Is(nerr, strconv.ErrRange):
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("nodes %s: want 0 or more", ns)}
		case nerr != nil:
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("%q is not time,nodes: nodes %q: want a whole number", strings.Join(rec, ","), ns)}
		case n < 0:
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("%s nodes: want 0 or more", count.Thousands(n))}
		case n > MaxHistoryNodes:
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("%s nodes: %s", count.Thousands(n), tooManyNodes)}
		case len(out) == MaxObservations:
			return nil, &HistoryError{Line: line, Msg: fmt.Sprintf("more than %d observations", MaxObservations)}
		}
		out = append(out, Observation{Time: t, Nodes: n})
		lines = append(lines, line)
		written = append(written, strings.Clone(ts))
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return out[a].Time.Compare(out[b].Time) })
	sorted := make([]Observation, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
		if i > 0 && out[k].Time.Equal(sorted[i-1].Time) {
			a, b := idx[i-1], k // stable: a's line is the earlier
			if lines[a] > lines[b] {
				a, b = b, a
			}
			theirs := "" // the earlier line's time, when written otherwise
			if written[a] != written[b] {
				theirs = " " + written[a]
			}
			return nil, &HistoryError{Line: lines[b], Msg: fmt.Sprintf("time %s repeats line %d's%s: one observation per time", written[b], lines[a], theirs)}
		}
	}
	return sorted, nil
}

// parseHistoryTime reads RFC 3339 or a date (midnight UTC), in the years
// 1–9999.
func parseHistoryTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.Parse(time.DateOnly, s)
	}
	if err == nil && t.Year() < 1 {
		err = errors.New("year 0")
	}
	return t, err
}

// looksNumeric reports whether s starts like a number (a sign or a digit):
// such a field is a malformed count, not a header's column name.
func looksNumeric(s string) bool {
	return s != "" && (s[0] == '-' || s[0] == '+' || s[0] >= '0' && s[0] <= '9')
}
