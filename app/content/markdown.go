// Package content holds the lesson library, each cohort's curriculum and its
// release, the check-ins read from members' replies and the progress grid:
// the rules; the store records, the outbox sends and the inbox reads.
package content

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/roundtablehq/roundtable/app"
)

// A lesson file is Markdown with YAML front matter between two "---" lines:
//
//	---
//	title: Week 1
//	module: Foundations
//	order: 1
//	checkin: What did you try this week?
//	---
//
//	The lesson's Markdown…
//
// "done: true" asks for a "done" reply. Export writes this canonical form
// (the keys in this order, one blank line, the body exactly as stored), so
// importing exported files and exporting again gives the same bytes.

// frontMatter is a lesson file's YAML header, in the order export writes it.
type frontMatter struct {
	Title   string `yaml:"title"`
	Module  string `yaml:"module,omitempty"`
	Order   int    `yaml:"order"`
	CheckIn string `yaml:"checkin,omitempty"`
	Done    bool   `yaml:"done,omitempty"`
}

const fence = "---\n"

// ReadLessonFile reads one lesson file; name is its file name, whose stem
// becomes the lesson's slug.
func ReadLessonFile(name string, data []byte) (app.LessonInput, error) {
	slug := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	in := app.LessonInput{Slug: slug}
	if !strings.HasPrefix(text, fence) {
		return in, app.Errorf(app.EINVALID, "%s does not start with front matter: its first line must be --- followed by title, module, order and checkin.", name)
	}
	head, body, ok := strings.Cut(text[len(fence):], "\n"+fence)
	if !ok {
		if head, ok = strings.CutSuffix(text[len(fence):], "\n---"); !ok {
			return in, app.Errorf(app.EINVALID, "%s: the front matter has no closing --- line.", name)
		}
	}
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil && !errors.Is(err, io.EOF) {
		return in, app.Wrap(app.EINVALID, err, "%s: the front matter is not valid (keys: title, module, order, checkin, done)", name)
	}
	in.Title, in.Module, in.Order, in.CheckIn, in.AskDone = strings.TrimSpace(fm.Title), fm.Module, fm.Order, fm.CheckIn, fm.Done
	in.Body = strings.TrimPrefix(body, "\n")
	if err := CheckLesson(in); err != nil {
		return in, app.Wrap(app.EINVALID, err, "%s", name)
	}
	return in, nil
}

// LessonFile writes a lesson in the canonical form.
func LessonFile(l app.Lesson) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(fence)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(frontMatter{Title: l.Title, Module: l.Module, Order: l.Order, CheckIn: l.CheckIn, Done: l.AskDone}); err != nil {
		return nil, err
	}
	enc.Close()
	b.WriteString(fence + "\n")
	b.WriteString(l.Body)
	return b.Bytes(), nil
}

// Library is what the lesson folder needs from the workspace.
type Library interface {
	Lessons(ctx context.Context) ([]app.Lesson, error)
	UpsertLessons(ctx context.Context, ins []app.LessonInput) (app.LessonImport, error)
}

// Import reads every .md file of dir into the library, all or nothing: a file
// with a mistake stops the import with its name, before anything is written.
// Lessons already there (same file name, or else same title) are updated in
// place.
func Import(ctx context.Context, lib Library, dir string) (app.LessonImport, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return app.LessonImport{}, err
	}
	if len(names) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return app.LessonImport{}, app.Wrap(app.ENOTFOUND, err, "Cannot read the folder %s", dir)
		}
		return app.LessonImport{}, app.Errorf(app.EINVALID, "%s holds no .md files: write one lesson a file, with front matter.", dir)
	}
	sort.Strings(names)
	ins := make([]app.LessonInput, 0, len(names))
	titles := map[string]string{} // lower-cased title → the file that has it
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return app.LessonImport{}, app.Wrap(app.EINVALID, err, "Cannot read %s", name)
		}
		in, err := ReadLessonFile(filepath.Base(name), data)
		if err != nil {
			return app.LessonImport{}, err
		}
		key := strings.ToLower(in.Title)
		if other, ok := titles[key]; ok {
			return app.LessonImport{}, app.Errorf(app.EINVALID, "%s and %s both have the title %q; give each lesson its own title.", other, filepath.Base(name), in.Title)
		}
		titles[key] = filepath.Base(name)
		ins = append(ins, in)
	}
	return lib.UpsertLessons(ctx, ins)
}

// Export writes every lesson of the library into dir as SLUG.md, creating dir
// when needed, and returns how many files it wrote.
func Export(ctx context.Context, lib Library, dir string) (int, error) {
	ls, err := lib.Lessons(ctx)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, app.Wrap(app.EINVALID, err, "Cannot make the folder %s", dir)
	}
	for _, l := range ls {
		data, err := LessonFile(l)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(dir, l.Slug+".md"), data, 0o644); err != nil {
			return 0, app.Wrap(app.EINVALID, err, "Cannot write %s", l.Slug+".md")
		}
	}
	return len(ls), nil
}
