package export

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"sync"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/roundtablehq/roundtable/app"
	"github.com/yuin/goldmark"
)

// Archive writes a cohort's conversation as one HTML file that any browser
// opens offline, years from now: every post as the coach wrote it, the
// members' replies under it in the order they came, the coach's answers under
// the reply they answer, and what each reply quoted behind "Quoted text". It
// holds no script and loads nothing (its Content-Security-Policy forbids it);
// the posts' Markdown is rendered without raw HTML and sanitised, the replies
// are text. Private replies stay in, marked, since the archive is the coach's.
// It returns how many replies it wrote.
func Archive(ctx context.Context, st Store, cohortName string, now time.Time, w io.Writer) (int, error) {
	h, convs, err := conversation(ctx, st, cohortName)
	if err != nil {
		return 0, err
	}
	roster, err := st.Roster(ctx, h.ID, true)
	if err != nil {
		return 0, err
	}
	page := archivePage{Cohort: h, Roster: roster, ExportedAt: now}
	for _, c := range convs {
		ac := archiveConversation{Post: c.Post, Body: markdownHTML(c.Post.Body)}
		for _, r := range c.Replies {
			ar := archiveReply{Reply: r}
			for _, a := range r.Answers {
				ar.Answers = append(ar.Answers, markdownHTML(a.Body))
			}
			ac.Replies = append(ac.Replies, ar)
			page.Replies++
		}
		page.Conversations = append(page.Conversations, ac)
	}
	return page.Replies, archiveTemplate().Execute(w, page)
}

type archivePage struct {
	Cohort        app.Cohort
	Roster        []app.Member
	Conversations []archiveConversation
	Replies       int
	ExportedAt    time.Time
}

type archiveConversation struct {
	Post    app.Post
	Body    template.HTML
	Replies []archiveReply
}

type archiveReply struct {
	app.Reply
	Answers []template.HTML
}

var (
	markdown = goldmark.New() // raw HTML in the Markdown is left out, not passed through
	// sanitizer is made on first use: 0.5 ms and 240 KB on every command's
	// start otherwise.
	sanitizer = sync.OnceValue(bluemonday.UGCPolicy)
)

// markdownHTML renders the coach's Markdown for the archive, sanitised.
func markdownHTML(src string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitizer().SanitizeBytes(b.Bytes()))
}

// localTime is a stored time (a time.Time or *time.Time) in the zone of the
// computer writing the archive, the coach's own; false when unset.
func localTime(v any) (time.Time, bool) {
	var t time.Time
	switch v := v.(type) {
	case time.Time:
		t = v
	case *time.Time:
		if v != nil {
			t = *v
		}
	}
	return t.Local(), !t.IsZero()
}

// archiveTemplate is parsed on first use, not when any command starts
// (0.8 ms of every start; docs/benchmarks.md).
var archiveTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("archive").Funcs(template.FuncMap{
		"when": func(v any) string {
			t, ok := localTime(v)
			if !ok {
				return ""
			}
			return t.Format("Monday 2 January 2006, 15:04 MST")
		},
		"day": func(v any) string {
			t, ok := localTime(v)
			if !ok {
				return ""
			}
			return t.Format("2 January 2006")
		},
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Cohort.Name}} — conversation archive</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
header p, .meta { color: #5f6368; font-size: 0.9rem; }
section.post { border-top: 2px solid #d0d7de; margin-top: 2.5rem; padding-top: 1rem; }
article.reply { border-left: 3px solid #d0d7de; margin: 1rem 0 1rem 0.5rem; padding: 0.25rem 0 0.25rem 1rem; }
article.reply.private { border-left-color: #b58900; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.answer { background: #f6f8fa; border-radius: 6px; padding: 0.5rem 1rem; margin-top: 0.5rem; }
.badge { font-size: 0.8rem; border: 1px solid currentColor; border-radius: 4px; padding: 0 0.3rem; margin-left: 0.4rem; }
details { margin-top: 0.5rem; color: #5f6368; }
ul.roster { columns: 2; padding-left: 1.2rem; }
@media print { details { display: none; } }
</style>
</head>
<body>
<header>
<h1>{{.Cohort.Name}}</h1>
{{if .Cohort.Purpose}}<p>{{.Cohort.Purpose}}</p>{{end}}
<p>{{len .Conversations}} posts and {{.Replies}} replies, archived by Roundtable on {{day .ExportedAt}}.</p>
</header>
{{if .Roster}}<h2>Members</h2>
<ul class="roster">{{range .Roster}}<li>{{.Name}}{{if .LeftAt}} <span class="meta">(left {{day .LeftAt}})</span>{{end}}</li>{{end}}</ul>{{end}}
{{range .Conversations}}
<section class="post">
<h2>{{if .Post.Title}}{{.Post.Title}}{{else}}{{.Post.Subject}}{{end}}</h2>
<p class="meta">{{if .Post.QueuedAt}}Sent {{when .Post.QueuedAt}}{{else}}Not sent{{end}}</p>
<div class="body">{{.Body}}</div>
{{range .Replies}}
<article class="reply{{if .Private}} private{{end}}">
<p class="meta"><strong>{{.Name}}</strong> &lt;{{.Email}}&gt; · {{if .SentAt.IsZero}}{{when .ReceivedAt}}{{else}}{{when .SentAt}}{{end}}{{if .Private}}<span class="badge">Private: for the coach only</span>{{end}}{{if .Hidden}}<span class="badge">Kept out of digests</span>{{end}}</p>
<div class="text">{{.Text}}</div>
{{range .Answers}}<div class="answer"><p class="meta">The coach answered:</p>{{.}}</div>{{end}}
{{if .Quoted}}<details><summary>Quoted text</summary><div class="text">{{.Quoted}}</div></details>{{end}}
</article>
{{else}}<p class="meta">No replies.</p>
{{end}}
</section>
{{else}}<p>Nothing was posted in this cohort.</p>
{{end}}
</body>
</html>
`))
})
