package capacity_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadHistory(t *testing.T) {
	in := "time,nodes\n2026-01-08T12:00:00+01:00, 5\n\n2026-01-01,3\n2026-01-15T00:00:00.5Z,9\n"
	h, err := capacity.ReadHistory(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, h, 3)
	assert.Equal(t, []int{3, 5, 9}, []int{h[0].Nodes, h[1].Nodes, h[2].Nodes}, "oldest first")
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), h[0].Time)
	assert.True(t, h[1].Time.Equal(time.Date(2026, 1, 8, 11, 0, 0, 0, time.UTC)), "%v", h[1].Time)
	assert.Equal(t, 500*time.Millisecond, time.Duration(h[2].Time.Nanosecond()))

	h, err = capacity.ReadHistory(strings.NewReader(""))
	require.NoError(t, err)
	assert.Empty(t, h)

	for _, tt := range []struct{ in, want string }{
		{"2026-01-01,3\nyesterday,4\n", `line 2: "yesterday,4" is not time,nodes: time "yesterday"`},
		{"2026-01-01,3\n2026-01-02,-4\n", "line 2: -4 nodes: want 0 or more"},
		{"2026-01-01,3\n2026-01-02,4.5\n", `line 2: "2026-01-02,4.5" is not time,nodes: nodes "4.5": want a whole number`},
		{"2026-01-01,3\n2026-01-02\n", `line 2: "2026-01-02" is not time,nodes: 1 fields`},
		{"2026-13-01,3\n", `line 1: "2026-13-01,3" is not time,nodes: time "2026-13-01"`}, // no header: the count is a number
		// A repeated time is said as the user wrote it, on both lines.
		{"time,nodes\n2026-01-01,3\n2026-01-02,4\n2026-01-01T00:00:00Z,5\n", "line 4: time 2026-01-01T00:00:00Z repeats line 2's 2026-01-01: one observation per time"},
		{"time,nodes\n2026-01-01,3\n2026-01-02,4\n2026-01-01,5\n", "line 4: time 2026-01-01 repeats line 2's: one observation per time"},
		{"2026-01-02,4\n2026-01-01T05:00:00+05:00,3\n2026-01-01,5\n", "line 3: time 2026-01-01 repeats line 2's 2026-01-01T05:00:00+05:00: one observation per time"},
		// A count no pool can have: more than MaxHistoryNodes (modes.SpecMaxNodes).
		{"2026-01-01,3\n2026-01-02,4000000\n", "line 2: 4,000,000 nodes: want at most 1,000,000, the most nodes any Spec allows a pool (a custom Spec's ceiling; AKS allows 1,000)"},
		{"2026-01-01,3\n2026-01-02,-4000\n", "line 2: -4,000 nodes: want 0 or more"},
		// Too large for an int: the bound, not "a whole number".
		{"2026-01-01,3\n2026-01-02,99999999999999999999\n", "line 2: nodes 99999999999999999999: want at most 1,000,000, the most nodes any Spec allows a pool"},
		{"2026-01-01,3\n2026-01-02,-99999999999999999999\n", "line 2: nodes -99999999999999999999: want 0 or more"},
		{"0000-12-31,3\n", `line 1: "0000-12-31,3" is not time,nodes: time "0000-12-31"`},
		{"2026-01-01,3\n\"2026-01-02,4\n", "line 2: extraneous or missing \" in quoted-field"},
	} {
		_, err := capacity.ReadHistory(strings.NewReader(tt.in))
		var he *capacity.HistoryError
		require.ErrorAs(t, err, &he, "%q", tt.in)
		assert.ErrorContains(t, err, tt.want, "%q", tt.in)
	}

	_, err = capacity.ReadHistory(failingReader{})
	assert.ErrorIs(t, err, errBroken)
}

var errBroken = errors.New("broken")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errBroken }

func TestDateRangeJSON(t *testing.T) {
	d := capacity.DateRange{P10: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), P50: time.Date(2027, 5, 14, 0, 0, 0, 0, time.UTC)}
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `{"p10":"2027-03-01","p50":"2027-05-14"}`, string(b), "an unknown bound is omitted")
	var back capacity.DateRange
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d, back)

	b, err = json.Marshal(capacity.DateRange{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))

	_, err = json.Marshal(capacity.DateRange{P90: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorContains(t, err, "want a date in the years 1–9999")
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"p50":"2027-02-30"}`), &back), `DateRange.p50: "2027-02-30": want YYYY-MM-DD`)
	assert.Error(t, json.Unmarshal([]byte(`{"p50":3}`), &back))
}

// FuzzReadHistory: any input is observations or a *HistoryError, never a
// panic; what it reads is in time order, one per time, with counts of 0
// or more, and reads back the same written out.
func FuzzReadHistory(f *testing.F) {
	f.Add("time,nodes\n2026-01-01,3\n2026-01-08T12:00:00Z,5\n")
	f.Add("2026-01-01,3\n2026-01-01,4\n")
	f.Add("\"a\nb\",3\n")
	f.Add("2026-01-01T00:00:00.123456789+14:00,0\n0001-01-01,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		h, err := capacity.ReadHistory(strings.NewReader(in))
		if err != nil {
			var he *capacity.HistoryError
			if errors.As(err, &he) {
				require.Greater(t, he.Line, 0)
			}
			return
		}
		var b strings.Builder
		for i, o := range h {
			require.GreaterOrEqual(t, o.Nodes, 0)
			if i > 0 {
				require.True(t, o.Time.After(h[i-1].Time), "%v then %v", h[i-1].Time, o.Time)
			}
			b.WriteString(o.Time.Format(time.RFC3339Nano) + "," + strconv.Itoa(o.Nodes) + "\n")
		}
		back, err := capacity.ReadHistory(strings.NewReader(b.String()))
		require.NoError(t, err)
		require.Len(t, back, len(h))
		for i := range h {
			require.True(t, h[i].Time.Equal(back[i].Time) && h[i].Nodes == back[i].Nodes, "%v, %v", h[i], back[i])
		}
	})
}
