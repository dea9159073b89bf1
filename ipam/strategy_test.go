package ipam_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ipcap/ipcap/internal/enum/enumtest"
	"github.com/ipcap/ipcap/ipam"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isFieldError accepts ipam's parse error: a *modes.FieldError, the parse
// error of every ipcap enum, naming package ipam and wrapping ErrInvalid.
func isFieldError(err error) bool {
	return enumtest.FieldError("ipam")(err) && errors.Is(err, ipam.ErrInvalid)
}

// Every Strategy, zero included, has one text form: String == MarshalText
// == what ParseStrategy and UnmarshalText read.
func TestStrategyTextForms(t *testing.T) {
	assert.Equal(t, []string{"first-fit", "next-fit", "random"}, enumtest.Check(t, ipam.ParseStrategy, isFieldError))
	assert.Equal(t, []string{"Strategy"}, enumtest.Declared(t, "."), "every enum of package ipam is checked here")
	assert.Equal(t, ipam.FirstFit, ipam.Strategy(0), "the zero Strategy is first fit")
}

func TestParseStrategyError(t *testing.T) {
	_, err := ipam.ParseStrategy("best-fit")
	require.ErrorIs(t, err, ipam.ErrInvalid)
	var fe *modes.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "strategy", fe.Field)
	assert.Equal(t, "best-fit", fe.Value)
	assert.EqualError(t, err, `ipam: strategy "best-fit": unknown strategy (want first-fit, next-fit or random)`)
}

// A Strategy is its identifier in JSON, read ignoring case; a value past
// Random neither marshals nor passes Options.Validate.
func TestStrategyJSON(t *testing.T) {
	b, err := json.Marshal(map[string]ipam.Strategy{"strategy": ipam.Random})
	require.NoError(t, err)
	assert.JSONEq(t, `{"strategy":"random"}`, string(b))
	var back map[string]ipam.Strategy
	require.NoError(t, json.Unmarshal([]byte(`{"strategy":"Next-Fit"}`), &back))
	assert.Equal(t, ipam.NextFit, back["strategy"])
	err = json.Unmarshal([]byte(`{"strategy":"best-fit"}`), &back)
	assert.ErrorIs(t, err, ipam.ErrInvalid)

	_, err = json.Marshal(ipam.Strategy(3))
	assert.Error(t, err)
	assert.Equal(t, "Strategy(3)", ipam.Strategy(3).String())
	assert.ErrorIs(t, ipam.Options{Strategy: 3}.Validate(), ipam.ErrInvalid)
}
