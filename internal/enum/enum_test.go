package enum

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnum(t *testing.T) {
	names := []string{"", "a-b", "", "c"}
	for _, tt := range []struct {
		v    uint8
		name string
		ok   bool
	}{{0, "", true}, {1, "a-b", true}, {2, "T(2)", false}, {3, "c", true}, {4, "T(4)", false}} {
		assert.Equal(t, tt.name, name(names, tt.v, "T"), "name(%d)", tt.v)
		b, err := text(names, tt.v, "T")
		if !tt.ok {
			assert.Error(t, err, "text(%d)", tt.v)
			continue
		}
		require.NoError(t, err, "text(%d)", tt.v)
		assert.Equal(t, tt.name, string(b))
		v, ok := parse(tt.name, names)
		assert.True(t, ok, "parse(%q)", tt.name)
		assert.Equal(t, tt.v, v, "parse(%q)", tt.name)
	}
	v, ok := parse("A-B", names)
	assert.True(t, ok && v == 1, "parse ignores case: got %d, %v", v, ok)
	_, ok = parse("x", names)
	assert.False(t, ok, `parse("x") found a value`)
	v, ok = parse("", []string{"none", "x"})
	assert.True(t, ok && v == 0, `parse("") = %d, %v; want the zero value`, v, ok)
	assert.Equal(t, "a-b or c", Alternatives(names))
	assert.Equal(t, "x", Alternatives([]string{"", "x"}))
	assert.Equal(t, "a, b or c", Alternatives([]string{"a", "b", "", "c"}))
}

func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{"AdmissionEra": "admissionEra", "Limit": "limit", "OS": "os",
		"IPFamily": "ipFamily", "Op": "op", "x": "x", "": ""} {
		assert.Equal(t, want, lowerCamel(in), in)
	}
}

type testEnum uint8

var errSentinel = errors.New("sentinel")

func TestTable(t *testing.T) {
	tab := Table[testEnum]{Type: "pkg.TestEnum", What: "test thing", Names: []string{"", "a-b", "", "c"}, Sentinel: errSentinel}
	assert.Equal(t, "a-b", tab.String(1))
	assert.Equal(t, "TestEnum(2)", tab.String(2))
	b, err := tab.Text(3)
	require.NoError(t, err)
	assert.Equal(t, "c", string(b))
	_, err = tab.Text(2)
	assert.EqualError(t, err, "cannot marshal pkg.TestEnum(2)")
	v, err := tab.Parse("C")
	require.NoError(t, err)
	assert.Equal(t, testEnum(3), v)

	_, err = tab.Parse("x")
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, FieldError{Pkg: "pkg", Field: "testEnum", Value: "x", Reason: "unknown test thing (want a-b or c)", Err: errSentinel}, *fe,
		"the package is Type's, the field Type's name in lower camel case")
	assert.EqualError(t, err, `pkg: testEnum "x": unknown test thing (want a-b or c)`)
	assert.ErrorIs(t, err, errSentinel)

	tab.Field = "apiField"
	_, err = tab.Parse("x")
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "apiField", fe.Field)

	v = 1
	require.NoError(t, Unmarshal([]byte("c"), &v, tab.Parse))
	assert.Equal(t, testEnum(3), v)
	assert.Error(t, Unmarshal([]byte("x"), &v, tab.Parse))
	assert.Equal(t, testEnum(3), v, "an error leaves the value as it was")
}

// Without What the reason names the field; without Sentinel the error
// wraps nothing; a FieldError without a package is written without one.
func TestTableDefaults(t *testing.T) {
	tab := Table[testEnum]{Type: "pkg.OS", Names: []string{"Linux", "Windows"}}
	_, err := tab.Parse("plan9")
	assert.EqualError(t, err, `pkg: os "plan9": unknown os (want Linux or Windows)`)
	assert.Nil(t, errors.Unwrap(err))
	assert.EqualError(t, &FieldError{Field: "f", Value: "v", Reason: "r"}, `f "v": r`)
}
