package cite

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the repository root, seen from this package's directory.
const root = "../.."

// self is this package's directory, which the scan skips.
var self = filepath.Join(root, "internal", "cite")

var (
	// keyRE is a source key: 2–5 capitals, then optional digits (IPP, NLIM,
	// AKS456). W and U numbers are one capital, so they never match.
	keyRE = regexp.MustCompile(`^[A-Z]{2,5}[0-9]*$`)
	// noteRE is a worked example (W8) or an open question (U2).
	noteRE = regexp.MustCompile(`^[WU][0-9]+$`)
	// bareNoteRE finds W and U numbers anywhere in a comment.
	bareNoteRE = regexp.MustCompile(`\b[WU][0-9]+\b`)
	// bracketRE finds one bracketed group, which may span comment lines.
	bracketRE = regexp.MustCompile(`\[([^\[\]]*)\]`)
)

// A ref is one key or W/U number found in a text, at byte offset off.
type ref struct {
	name string
	off  int
}

// refs returns the citations in text: the keys and W/U numbers of every
// bracketed group that opens with one ([IPP], [LEG, OVC], [ISS; W8, W9],
// [DYN, ACN cns/ipampool/monitor.go]), then every bare W/U number. A group
// right after an identifier character or a closing bracket is an index
// expression (a[i], m[ID], f()[0]), and a group whose first word is not a
// citation ([0]sync.Mutex, [N], [Check], [net.IP]) is something else; both
// are skipped.
func refs(text string) []ref {
	var out []ref
	for _, m := range bracketRE.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 && isIndexBase(text[m[0]-1]) {
			continue
		}
		cited := false
		start := m[2]
		for _, item := range splitItems(text[m[2]:m[3]]) {
			word, at := firstWord(item)
			off := start + at
			start += len(item) + 1
			if word == "" {
				continue
			}
			isKey, isNote := keyRE.MatchString(word), noteRE.MatchString(word)
			if !cited {
				if !isKey && !isNote {
					break // not a citation
				}
				cited = true
			}
			if isKey {
				out = append(out, ref{word, off})
			}
			// W/U numbers are picked up by the bare scan below.
		}
	}
	for _, m := range bareNoteRE.FindAllStringIndex(text, -1) {
		out = append(out, ref{text[m[0]:m[1]], m[0]})
	}
	return out
}

func isIndexBase(c byte) bool {
	return c == '_' || c == ']' || c == ')' ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// splitItems splits a group's content at commas and semicolons, keeping
// every byte so that offsets can be recomputed (item lengths + 1 separator).
func splitItems(s string) []string {
	var out []string
	for {
		i := strings.IndexAny(s, ",;")
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
}

// firstWord returns the first word of item (up to a space, a colon or the
// end) and its byte offset in item.
func firstWord(item string) (string, int) {
	at := len(item) - len(strings.TrimLeft(item, " \t\n"))
	rest := item[at:]
	if i := strings.IndexAny(rest, " \t\n:"); i >= 0 {
		rest = rest[:i]
	}
	return rest, at
}

// A line is one comment line's text (markers stripped) and its line number.
type line struct {
	text string
	n    int
}

// commentGroups returns each comment group of f as its lines, so that a
// bracketed group may span lines and every finding keeps its line number.
func commentGroups(fset *token.FileSet, f *ast.File) [][]line {
	var out [][]line
	for _, g := range f.Comments {
		var ls []line
		for _, c := range g.List {
			n := fset.Position(c.Slash).Line
			if t, ok := strings.CutPrefix(c.Text, "//"); ok {
				ls = append(ls, line{t, n})
				continue
			}
			t := strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/")
			for i, s := range strings.Split(t, "\n") {
				ls = append(ls, line{s, n + i})
			}
		}
		out = append(out, ls)
	}
	return out
}

// A finding is one citation at file:line.
type finding struct {
	pos  string // file:line, the file relative to the repository root
	name string
}

// scan parses every .go file of the repository (bench/, its own module,
// included; testdata, hidden directories and this package skipped) and
// returns the citations of its comments, those of its string literals, and
// the W and U numbers of test files' string literals, which name the worked
// example or open question a test case reproduces ("W3 azure-cni /24") and
// reach no user.
func scan(t *testing.T) (comments, literals, testNotes []finding) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") ||
				path == self { // this package cites made-up examples
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		isTest := strings.HasSuffix(name, "_test.go")
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		at := func(n int) string { return rel + ":" + strconv.Itoa(n) }
		for _, g := range commentGroups(fset, f) {
			var b strings.Builder
			starts := make([]int, len(g))
			for i, l := range g {
				starts[i] = b.Len()
				b.WriteString(l.text)
				b.WriteByte('\n')
			}
			for _, r := range refs(b.String()) {
				i, found := slices.BinarySearch(starts, r.off)
				if !found {
					i--
				}
				comments = append(comments, finding{at(g[i].n), r.name})
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, r := range refs(s) {
				f := finding{at(fset.Position(lit.Pos()).Line), r.name}
				if isTest && noteRE.MatchString(r.name) {
					testNotes = append(testNotes, f)
				} else {
					literals = append(literals, f)
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	return comments, literals, testNotes
}

// sourceKeys reads the key column of SOURCES.md's table.
func sourceKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	for _, l := range readLines(t, "SOURCES.md") {
		cells := strings.Split(l, "|")
		if len(cells) < 3 || cells[0] != "" {
			continue
		}
		k := strings.TrimSpace(cells[1])
		if !keyRE.MatchString(k) {
			continue
		}
		assert.False(t, keys[k], "SOURCES.md lists %s twice", k)
		keys[k] = true
	}
	require.NotEmpty(t, keys, "SOURCES.md: no keys found in its table")
	return keys
}

var (
	exampleRowRE  = regexp.MustCompile(`^\| (W[0-9]+) \|`)
	questionRowRE = regexp.MustCompile(`^- \*\*(U[0-9]+)[,:]`)
)

// notes returns the worked examples (table rows "| W8 |") and open questions
// (items "- **U2, …") that docs/aks-facts.md defines.
func notes(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, l := range readLines(t, "docs/aks-facts.md") {
		for _, re := range []*regexp.Regexp{exampleRowRE, questionRowRE} {
			if m := re.FindStringSubmatch(l); m != nil {
				out[m[1]] = true
			}
		}
	}
	require.True(t, out["W1"] && out["U1"], "docs/aks-facts.md: its worked examples or open questions were not found")
	return out
}

func readLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, name))
	require.NoError(t, err)
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		out = append(out, s.Text())
	}
	require.NoError(t, s.Err())
	return out
}

// TestCitationsResolve fails for every key a comment cites that SOURCES.md
// does not list, and every W or U number, of a comment or of a test's
// string literal, that docs/aks-facts.md does not define.
func TestCitationsResolve(t *testing.T) {
	keys, defined := sourceKeys(t), notes(t)
	comments, _, testNotes := scan(t)
	require.GreaterOrEqual(t, len(comments), 50, "citations in comments: fewer, and the scanner is broken")
	require.NotEmpty(t, testNotes, "W and U numbers in tests' string literals: none, and the scanner is broken")
	for _, c := range append(comments, testNotes...) {
		if noteRE.MatchString(c.name) {
			assert.True(t, defined[c.name], "%s: %s is not in docs/aks-facts.md", c.pos, c.name)
		} else {
			assert.True(t, keys[c.name], "%s: key %s is not in SOURCES.md", c.pos, c.name)
		}
	}
}

// TestNotesKeysListed checks that every key of the notes' own key table
// (docs/aks-facts.md §0) is in SOURCES.md.
func TestNotesKeysListed(t *testing.T) {
	keys := sourceKeys(t)
	in, n := false, 0
	for _, l := range readLines(t, "docs/aks-facts.md") {
		if strings.HasPrefix(l, "## ") {
			in = strings.HasPrefix(l, "## 0.")
			continue
		}
		cells := strings.Split(l, "|")
		if !in || len(cells) < 3 || !keyRE.MatchString(strings.TrimSpace(cells[1])) {
			continue
		}
		n++
		k := strings.TrimSpace(cells[1])
		assert.True(t, keys[k], "docs/aks-facts.md §0 lists %s; SOURCES.md does not", k)
	}
	require.NotZero(t, n, "docs/aks-facts.md: no key table in §0")
}

// TestLiteralCitations keeps source keys, and W and U numbers outside
// tests, out of string literals: they reach users, who cannot resolve them.
// A citation belongs in the comment beside the message.
func TestLiteralCitations(t *testing.T) {
	_, literals, _ := scan(t)
	for _, l := range literals {
		assert.Fail(t, "a string literal cites", "%s: string literal cites %s: move it to a comment", l.pos, l.name)
	}
}

func TestRefs(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"the /24 [KUB].", []string{"KUB"}},
		{"reused [LEG, OVC]", []string{"LEG", "OVC"}},
		{"follows [ISS; W8, W9, W10]: the", []string{"ISS", "W8", "W9", "W10"}},
		{"batches [DYN, ACN cns/ipampool/monitor.go]", []string{"DYN", "ACN"}},
		{"[VNF; SIF repeats it]", []string{"VNF", "SIF"}},
		{"across\nlines [QUO,\n NLIM]", []string{"QUO", "NLIM"}},
		{"(issue [AKS3653])", []string{"AKS3653"}},
		{"a bare U8 and W17; not W8x or AW1", []string{"U8", "W17"}},
		{"a message (U10)", []string{"U10"}},
		{"code a[i], m[ID], f()[0], [0]sync.Mutex, x [N], [Check], [net.IP]", nil},
		{"[see IPP] [i] [] [ 2 ]", nil},
	} {
		var got []string
		for _, r := range refs(tc.text) {
			got = append(got, r.name)
		}
		assert.Equal(t, tc.want, got, "refs(%q)", tc.text)
	}
}
