package secrets

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

//go:embed rules.toml
var embeddedRules []byte

// minSecretLen is the shortest value any rule reports.
const minSecretLen = 8

// maxRegexLen bounds a rule's regex source (policy rules are untrusted).
const maxRegexLen = 4096

// ruleFile is the TOML document: global allowlists and rules.
type ruleFile struct {
	Title      string      `toml:"title"`
	Allowlists []Allowlist `toml:"allowlists"`
	Rules      []Rule      `toml:"rules"`
}

// RuleError is a rule that could not be compiled. ID is "" when the rule has
// none; Index is its position in the list given.
type RuleError struct {
	ID    string
	Index int
	Err   error
}

func (e *RuleError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("secret rule #%d: %v", e.Index+1, e.Err)
	}
	return fmt.Sprintf("secret rule %q: %v", e.ID, e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

var errDuplicateID = errors.New("duplicate id")

type compiledRule struct {
	Rule
	re         *regexp.Regexp
	context    *regexp.Regexp // nil for format rules
	keywords   []string
	allowlists []*compiledAllowlist
}

type compiledAllowlist struct {
	regexes   []*regexp.Regexp
	stopwords []string // lower-case
}

// load parses and compiles a ruleset document.
func load(data []byte) (*Detector, error) {
	var f ruleFile
	dec := toml.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	d := &Detector{generic: defaultGeneric}
	for i, a := range f.Allowlists {
		c, err := compileAllowlist(a)
		if err != nil {
			return nil, fmt.Errorf("allowlist #%d: %w", i+1, err)
		}
		d.global = append(d.global, c)
	}
	seen := map[string]bool{genericRuleID: true}
	for i, r := range f.Rules {
		c, err := compileRule(r)
		if err != nil {
			return nil, &RuleError{ID: r.ID, Index: i, Err: err}
		}
		if seen[r.ID] {
			return nil, &RuleError{ID: r.ID, Index: i, Err: errDuplicateID}
		}
		seen[r.ID] = true
		if c.context != nil {
			d.context = append(d.context, c)
		} else {
			d.rules = append(d.rules, c)
		}
	}
	return d, nil
}

func compileRule(r Rule) (*compiledRule, error) {
	if strings.TrimSpace(r.ID) == "" {
		return nil, errors.New("missing id")
	}
	if r.Regex == "" {
		return nil, errors.New("missing regex")
	}
	if len(r.Regex) > maxRegexLen {
		return nil, fmt.Errorf("regex longer than %d bytes", maxRegexLen)
	}
	re, err := regexp.Compile(r.Regex)
	if err != nil {
		return nil, fmt.Errorf("regex: %w", err)
	}
	if r.SecretGroup < 0 || r.SecretGroup > re.NumSubexp() {
		return nil, fmt.Errorf("secretGroup %d: the regex has %d groups", r.SecretGroup, re.NumSubexp())
	}
	if r.Entropy < 0 || r.Entropy > 8 || math.IsNaN(r.Entropy) {
		return nil, fmt.Errorf("entropy %v: want 0 to 8 bits per byte", r.Entropy)
	}
	c := &compiledRule{Rule: r, re: re}
	if r.Context != "" {
		if len(r.Context) > maxRegexLen {
			return nil, fmt.Errorf("context longer than %d bytes", maxRegexLen)
		}
		if c.context, err = regexp.Compile(r.Context); err != nil {
			return nil, fmt.Errorf("context: %w", err)
		}
	}
	for _, k := range r.Keywords {
		if k == "" {
			return nil, errors.New("empty keyword")
		}
		c.keywords = append(c.keywords, strings.ToLower(k))
	}
	for i, a := range r.Allowlists {
		ca, err := compileAllowlist(a)
		if err != nil {
			return nil, fmt.Errorf("allowlist #%d: %w", i+1, err)
		}
		c.allowlists = append(c.allowlists, ca)
	}
	return c, nil
}

func compileAllowlist(a Allowlist) (*compiledAllowlist, error) {
	c := &compiledAllowlist{}
	for _, s := range a.Regexes {
		if len(s) > maxRegexLen {
			return nil, fmt.Errorf("regex longer than %d bytes", maxRegexLen)
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("regex %q: %w", s, err)
		}
		c.regexes = append(c.regexes, re)
	}
	for _, w := range a.Stopwords {
		if w != "" {
			c.stopwords = append(c.stopwords, strings.ToLower(w))
		}
	}
	return c, nil
}

// allows reports whether the allowlist drops secret.
func (a *compiledAllowlist) allows(secret, lower string) bool {
	for _, w := range a.stopwords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	for _, re := range a.regexes {
		if re.MatchString(secret) {
			return true
		}
	}
	return false
}

// allowed reports whether a global allowlist drops secret.
func (d *Detector) allowed(secret string) bool {
	lower := strings.ToLower(secret)
	for _, a := range d.global {
		if a.allows(secret, lower) {
			return true
		}
	}
	return false
}

// maxMatchesPerRule bounds the matches one rule reports in one string.
const maxMatchesPerRule = 100

// Windowed scanning: in a long text, a rule's regex runs only on the lines
// around its keywords' occurrences (windowBefore bytes before, windowAfter
// after — a private key block spans a few KiB), so the cost follows the
// keywords found, not the rules times the text.
const (
	windowMinText = 4 << 10
	windowBefore  = 512
	windowAfter   = 16 << 10
	windowAlign   = 1 << 10
)

// find appends the rule's matches in s (lower is asciiLower(s): same length, same offsets).
func (r *compiledRule) find(d *Detector, s, lower string, out []Match) []Match {
	if len(r.keywords) == 0 {
		return r.findIn(d, s, 0, len(s), out)
	}
	if len(s) < windowMinText {
		for _, k := range r.keywords {
			if strings.Contains(lower, k) {
				return r.findIn(d, s, 0, len(s), out)
			}
		}
		return out
	}
	for _, w := range keywordWindows(s, lower, r.keywords) {
		out = r.findIn(d, s, w[0], w[1], out)
	}
	return out
}

// keywordWindows returns the merged, line-aligned byte ranges of s around
// every occurrence of a keyword.
func keywordWindows(s, lower string, keywords []string) [][2]int {
	var ws [][2]int
	for _, k := range keywords {
		for off := 0; off < len(lower); {
			i := strings.Index(lower[off:], k)
			if i < 0 {
				break
			}
			p := off + i
			start, end := max(0, p-windowBefore), min(len(s), p+len(k)+windowAfter)
			// Align to line starts and ends nearby (a minified text has no
			// lines: the window then ends at a word boundary a regex needs).
			lo := max(0, start-windowAlign)
			if j := strings.LastIndexByte(s[lo:start], '\n'); j >= 0 {
				start = lo + j + 1
			} else {
				start = lo
			}
			hi := min(len(s), end+windowAlign)
			if j := strings.IndexByte(s[end:hi], '\n'); j >= 0 {
				end += j
			} else {
				end = hi
			}
			ws = append(ws, [2]int{start, end})
			off = p + len(k)
			if len(ws) > 1000 { // keywords everywhere: the whole text at once
				return [][2]int{{0, len(s)}}
			}
		}
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i][0] < ws[j][0] })
	var merged [][2]int
	for _, w := range ws {
		if n := len(merged); n > 0 && w[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], w[1])
			continue
		}
		merged = append(merged, w)
	}
	return merged
}

// findIn appends the rule's matches in s[from:to], with offsets into s.
func (r *compiledRule) findIn(d *Detector, s string, from, to int, out []Match) []Match {
	text := s[from:to]
	for _, loc := range r.re.FindAllStringSubmatchIndex(text, maxMatchesPerRule) {
		start, end := secretRange(loc, r.SecretGroup)
		if start < 0 || end-start < 3 { // the regex sets the length; 3 bounds a password in a URL
			continue
		}
		if start == loc[0] && from+start > 0 && isWordByte(s[from+start-1]) {
			continue // starts inside a word
		}
		secret := text[start:end]
		e := Entropy(secret)
		if r.Entropy > 0 && e <= r.Entropy {
			continue
		}
		if d.allowed(secret) || r.allowedByOwn(secret) {
			continue
		}
		out = append(out, Match{RuleID: r.ID, Description: r.Description, Secret: secret,
			Start: from + start, End: from + end, Entropy: e, Tags: r.Tags})
	}
	return out
}

func (r *compiledRule) allowedByOwn(secret string) bool {
	lower := strings.ToLower(secret)
	for _, a := range r.allowlists {
		if a.allows(secret, lower) {
			return true
		}
	}
	return false
}

// secretRange picks the secret's byte range from a submatch index: group g,
// or the first non-empty group, or the whole match.
func secretRange(loc []int, g int) (int, int) {
	if g > 0 && 2*g+1 < len(loc) {
		return loc[2*g], loc[2*g+1]
	}
	for i := 2; i+1 < len(loc); i += 2 {
		if loc[i] >= 0 && loc[i+1] > loc[i] {
			return loc[i], loc[i+1]
		}
	}
	return loc[0], loc[1]
}

// Entropy returns the Shannon entropy of s in bits per byte.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	e := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			e -= p * math.Log2(p)
		}
	}
	return e
}

func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// asciiLower lower-cases ASCII letters only, so that offsets in the result
// are offsets in s (strings.ToLower replaces invalid UTF-8 and changes
// lengths). Keywords are matched against it.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
