// Package lazyre holds regular expressions compiled the first time they are
// used instead of when the program starts.
//
// Why: the reply trimmer and the mail classifier hold some forty expressions,
// and compiling them all in package initialisation took about 7 ms of every
// command's start (GODEBUG=inittrace=1, docs/benchmarks.md) — also of the
// commands that never read a reply, such as `roundtable version` or an inbox
// sync that finds nothing new. Test binaries still compile every expression at
// start, so a pattern that does not compile fails every test of its package.
package lazyre

import (
	"os"
	"regexp"
	"strings"
	"sync"
)

// Regexp is a regular expression compiled on first use; it is safe for
// concurrent use, as *regexp.Regexp is.
type Regexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// inTest is true in a test binary (its name ends in .test).
var inTest = strings.HasSuffix(strings.TrimSuffix(os.Args[0], ".exe"), ".test")

// New returns expr, to be compiled with regexp.MustCompile when first used.
func New(expr string) *Regexp {
	r := &Regexp{expr: expr}
	if inTest {
		r.Re()
	}
	return r
}

// Re returns the compiled expression.
func (r *Regexp) Re() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.expr) })
	return r.re
}

func (r *Regexp) MatchString(s string) bool { return r.Re().MatchString(s) }

func (r *Regexp) FindString(s string) string { return r.Re().FindString(s) }

func (r *Regexp) FindStringSubmatch(s string) []string { return r.Re().FindStringSubmatch(s) }

func (r *Regexp) FindAllStringIndex(s string, n int) [][]int { return r.Re().FindAllStringIndex(s, n) }

func (r *Regexp) ReplaceAllString(src, repl string) string { return r.Re().ReplaceAllString(src, repl) }

func (r *Regexp) Match(b []byte) bool { return r.Re().Match(b) }

func (r *Regexp) FindIndex(b []byte) []int { return r.Re().FindIndex(b) }

func (r *Regexp) FindSubmatchIndex(b []byte) []int { return r.Re().FindSubmatchIndex(b) }

func (r *Regexp) FindStringIndex(s string) []int { return r.Re().FindStringIndex(s) }
