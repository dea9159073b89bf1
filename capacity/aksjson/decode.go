package aksjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// MaxDocumentSize is the largest document ReadCluster and ReadFiles read,
// in bytes (64 MiB). An `az aks show` of 100 pools is under 1 MB; the
// largest documents are VNets that list every IP configuration: 5,000
// Azure CNI nodes at 30 pods is about 50 MB. Documents are read as a
// stream and only the fields ipcap uses are kept, so memory stays well
// below the document's size.
const MaxDocumentSize = 64 << 20

// maxDepth bounds the nesting of the values aksjson skips.
const maxDepth = 1000

var errTooLarge = errors.New("document too large")

// limited reads at most MaxDocumentSize bytes, then fails with errTooLarge,
// and counts what it has read.
type limited struct {
	r    io.Reader
	read int64
}

func (l *limited) Read(p []byte) (int, error) {
	left := MaxDocumentSize + 1 - l.read
	if left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

// reader walks one JSON document as a stream of tokens, tracking the path
// of each value so that every error names where in the document it is.
// Only null is taken as "not set"; any other value of the wrong kind is an
// error that shows the value and says what belongs there.
type reader struct {
	doc     string
	src     *limited
	dec     *json.Decoder
	started bool // a token has been read
}

func newReader(doc string, r io.Reader) *reader {
	src := &limited{r: r}
	dec := json.NewDecoder(src)
	dec.UseNumber()
	return &reader{doc: doc, src: src, dec: dec}
}

func (r *reader) errAt(path string, off int64, format string, args ...any) *Error {
	return &Error{Doc: r.doc, Path: path, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// tokenErr turns a failure to read a token into an *Error.
func (r *reader) tokenErr(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, errTooLarge):
		return r.errAt("", MaxDocumentSize, "the document is larger than %d MiB, the most aksjson reads", MaxDocumentSize>>20)
	case errors.As(err, &se):
		return r.errAt("", se.Offset, "not JSON: %s", se.Error())
	case errors.Is(err, io.EOF) && !r.started:
		return r.errAt("", 0, "empty: the document holds no JSON value")
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return r.errAt("", r.src.read, "truncated: the document ends early")
	}
	return &Error{Doc: r.doc, Offset: -1, Msg: err.Error()}
}

// token reads the next token and the offset where it starts.
func (r *reader) token() (json.Token, int64, error) {
	off := r.dec.InputOffset()
	t, err := r.dec.Token()
	if err != nil {
		return nil, off, r.tokenErr(err)
	}
	r.started = true
	return t, off, nil
}

// end reads what follows the top-level value: nothing but white space.
func (r *reader) end() error {
	off := r.dec.InputOffset()
	_, err := r.dec.Token()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case errors.Is(err, errTooLarge):
		return r.tokenErr(err)
	}
	return r.errAt("", off, "trailing data after the JSON document")
}

// show renders a token as the user wrote it, shortening long values.
func show(t json.Token) string {
	var s string
	switch v := t.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "a list"
	case string:
		return quote(v)
	case json.Number:
		s = string(v)
	case bool:
		s = strconv.FormatBool(v)
	case nil:
		s = "null"
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// quote quotes a string value, shortening a long one.
func quote(s string) string {
	if len(s) > 256 {
		i := 253
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "..."
	}
	return strconv.Quote(s)
}

func (r *reader) wrong(path string, off int64, t json.Token, want string) error {
	return r.errAt(path, off, "%s: want %s", show(t), want)
}

// join returns the path of a member key of the object at path; a key
// that is not a plain name is quoted in brackets, so that no control
// character or separator reaches a message unescaped.
func join(path, key string) string {
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '$' || c == '@') {
			return path + "[" + quote(key) + "]"
		}
	}
	if key == "" {
		return path + `[""]`
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// object reads an object at path, calling field with each key (as written)
// and its path; field must read the member's value (or skip it). A null
// object reads as absent: present is false.
func (r *reader) object(path, want string, field func(key, path string) error) (present bool, err error) {
	t, off, err := r.token()
	if err != nil {
		return false, err
	}
	if t == nil {
		return false, nil
	}
	return true, r.objectBody(path, want, t, off, field)
}

func (r *reader) objectBody(path, want string, t json.Token, off int64, field func(key, path string) error) error {
	if t != json.Delim('{') {
		return r.wrong(path, off, t, want)
	}
	for r.dec.More() {
		t, _, err := r.token()
		if err != nil {
			return err
		}
		key, _ := t.(string) // the decoder allows only strings here
		if err := field(key, join(path, key)); err != nil {
			return err
		}
	}
	_, _, err := r.token() // '}'
	return err
}

// array reads a list at path, calling elem for each element, which must
// read it. A null list reads as absent.
func (r *reader) array(path, want string, elem func(i int, path string) error) (present bool, err error) {
	t, off, err := r.token()
	if err != nil {
		return false, err
	}
	if t == nil {
		return false, nil
	}
	if t != json.Delim('[') {
		return false, r.wrong(path, off, t, want)
	}
	return true, r.arrayBody(path, want, t, off, elem)
}

// arrayBody reads the rest of a list whose first token, at off, is t.
func (r *reader) arrayBody(path, want string, t json.Token, off int64, elem func(i int, path string) error) error {
	if t != json.Delim('[') {
		return r.wrong(path, off, t, want)
	}
	for i := 0; r.dec.More(); i++ {
		if err := elem(i, index(path, i)); err != nil {
			return err
		}
	}
	_, _, err := r.token() // ']'
	return err
}

// elemObject reads a list element that must be an object (not null).
func (r *reader) elemObject(path, want string, field func(key, path string) error) error {
	t, off, err := r.token()
	if err != nil {
		return err
	}
	return r.objectBody(path, want, t, off, field)
}

// str is a string value and where it was found; path is "" when unset.
type str struct {
	v    string
	path string
}

// scalar reads a T or null at path and hands a T, with its offset, to
// set; null sets nothing, and any other value is not want.
func scalar[T any](r *reader, path, want string, set func(v T, off int64) error) error {
	t, off, err := r.token()
	if err != nil || t == nil {
		return err
	}
	if v, ok := t.(T); ok {
		return set(v, off)
	}
	return r.wrong(path, off, t, want)
}

// string reads a string or null at path into dst.
func (r *reader) string(path, want string, dst *str) error {
	return scalar(r, path, want, func(v string, _ int64) error {
		*dst = str{v, path}
		return nil
	})
}

// strings reads a list of strings at path; null elements are errors. want
// describes a list, elem its elements.
func (r *reader) strings(path, want, elem string, dst *[]str) error {
	_, err := r.stringList(path, want, elem, dst)
	return err
}

// stringList is strings that also reports whether the list was there: not
// null or absent.
func (r *reader) stringList(path, want, elem string, dst *[]str) (present bool, err error) {
	*dst = nil
	return r.array(path, want, func(i int, p string) error {
		t, off, err := r.token()
		if err != nil {
			return err
		}
		s, ok := t.(string)
		if !ok {
			return r.wrong(p, off, t, elem)
		}
		*dst = append(*dst, str{s, p})
		return nil
	})
}

// num is a whole number and where it was found; path is "" when unset.
type num struct {
	v    int
	path string
}

// integer reads a whole number or null at path into dst.
func (r *reader) integer(path string, dst *num) error {
	return scalar(r, path, "a whole number", func(v json.Number, off int64) error {
		n, err := strconv.Atoi(string(v))
		if errors.Is(err, strconv.ErrRange) {
			return r.errAt(path, off, "%s: out of range: want a count, a whole number of at most 18 digits", show(v))
		} else if err != nil {
			return r.wrong(path, off, v, "a whole number")
		}
		*dst = num{n, path}
		return nil
	})
}

// boolean reads true, false or null at path into dst.
func (r *reader) boolean(path string, dst *bool) error {
	return scalar(r, path, "true or false", func(v bool, _ int64) error {
		*dst = v
		return nil
	})
}

// skip reads and discards one value, however nested (to maxDepth).
func (r *reader) skip(path string) error {
	t, off, err := r.token()
	if err != nil {
		return err
	}
	return r.skipFrom(path, t, off)
}

// skipFrom discards the rest of the value whose first token, at off, is t.
func (r *reader) skipFrom(path string, t json.Token, off int64) error {
	depth := 0
	for {
		switch t {
		case json.Delim('{'), json.Delim('['):
			if depth++; depth > maxDepth {
				return r.errAt(path, off, "nested more than %d levels deep", maxDepth)
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
		var err error
		if t, off, err = r.token(); err != nil {
			return err
		}
	}
}
