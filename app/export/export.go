// Package export writes what the workspace holds in formats other programs
// read, so the coach's history never depends on Roundtable: everything as one
// JSON document, and a cohort's conversation as an mbox that any mail program
// opens.
//
// Files are written as backups are: under a temporary name beside the target,
// private (0600), on the disk, then renamed, so a failed export leaves the
// previous file (or nothing) and never half a file.
package export

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// Store is what an export reads from the workspace.
type Store interface {
	AllClients(ctx context.Context, archived bool) ([]app.Client, error)
	ListCohorts(ctx context.Context, archived bool) ([]app.Cohort, error)
	FindCohortByName(ctx context.Context, name string) (app.Cohort, error)
	Roster(ctx context.Context, cohortID int64, history bool) ([]app.Member, error)
	ListConversations(ctx context.Context, cohortID int64) ([]app.Conversation, error)
	ReplyHeaders(ctx context.Context, cohortID int64) (map[int64]app.ReplyHeaders, error)
	Info(ctx context.Context) (app.WorkspaceInfo, error)
	Lessons(ctx context.Context) ([]app.Lesson, error)
	Curriculum(ctx context.Context, cohortID int64) (app.Curriculum, error)
	ProgressGrid(ctx context.Context, cohortID int64) (app.ProgressGrid, error)
}

// Everything reads the whole workspace into an Export. It reads part by part,
// each part as it is when read, so it can run while the window works on; for
// one frozen moment, export from a backup.
func Everything(ctx context.Context, st Store, now time.Time) (app.Export, error) {
	info, err := st.Info(ctx)
	if err != nil {
		return app.Export{}, err
	}
	ex := app.Export{Roundtable: app.Version, SchemaVersion: info.SchemaVersion, ExportedAt: now.UTC().Truncate(time.Second)}
	for _, archived := range []bool{false, true} {
		cs, err := st.AllClients(ctx, archived)
		if err != nil {
			return ex, err
		}
		ex.Clients = append(ex.Clients, cs...)
		hs, err := st.ListCohorts(ctx, archived)
		if err != nil {
			return ex, err
		}
		for _, h := range hs {
			c := app.CohortExport{Cohort: h}
			if c.Roster, err = st.Roster(ctx, h.ID, true); err != nil {
				return ex, err
			}
			if c.Conversations, err = st.ListConversations(ctx, h.ID); err != nil {
				return ex, err
			}
			if c.Curriculum, err = st.Curriculum(ctx, h.ID); err != nil {
				return ex, err
			}
			if c.Progress, err = st.ProgressGrid(ctx, h.ID); err != nil {
				return ex, err
			}
			ex.Cohorts = append(ex.Cohorts, c)
		}
	}
	if ex.Lessons, err = st.Lessons(ctx); err != nil {
		return ex, err
	}
	if ex.Clients == nil {
		ex.Clients = []app.Client{}
	}
	if ex.Cohorts == nil {
		ex.Cohorts = []app.CohortExport{}
	}
	return ex, nil
}

// Mbox writes each reply of the named cohort as one message to w, oldest
// conversation first, in the mboxrd format. Roundtable keeps no raw mail, so a
// message carries the headers it keeps: From, Subject and Date as the member
// sent them, the reply's own Message-ID, and In-Reply-To/References naming the
// copy of the post it answered (mail programs thread on these), plus
// X-Roundtable-Post, -Match and -Trust. The body is the member's words, then
// what was trimmed as quoted history. It returns how many messages it wrote.
func Mbox(ctx context.Context, st Store, cohortName string, w io.Writer) (int, error) {
	h, convs, err := conversation(ctx, st, cohortName)
	if err != nil {
		return 0, err
	}
	headers, err := st.ReplyHeaders(ctx, h.ID)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(w)
	n := 0
	for _, c := range convs {
		for _, r := range c.Replies {
			if err := writeMessage(bw, c.Post, r, headers[r.ID]); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, bw.Flush()
}

// conversation returns the named cohort and its conversations, oldest first.
func conversation(ctx context.Context, st Store, cohortName string) (app.Cohort, []app.Conversation, error) {
	h, err := st.FindCohortByName(ctx, cohortName)
	if err != nil {
		return h, nil, err
	}
	convs, err := st.ListConversations(ctx, h.ID)
	slices.Reverse(convs) // newest first in the store
	return h, convs, err
}

// writeMessage writes one reply as an mbox message. The body goes as
// quoted-printable with any line starting "From " written "=46rom ", so no
// mbox reader mistakes it for the next message and the text comes back
// exactly, with no ">From" added.
func writeMessage(w io.Writer, p app.Post, r app.Reply, h app.ReplyHeaders) error {
	date := r.SentAt
	if date.IsZero() {
		date = r.ReceivedAt
	}
	from := mail.Address{Name: oneLine(r.Name), Address: oneLine(r.Email)}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From %s %s\n", from.Address, date.UTC().Format("Mon Jan _2 15:04:05 2006"))
	header := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", name, value)
		}
	}
	header("From", from.String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(r.Subject)))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", angled(h.MessageID))
	header("In-Reply-To", angled(h.InReplyTo))
	header("References", angled(h.InReplyTo))
	header("X-Roundtable-Post", mime.QEncoding.Encode("utf-8", oneLine(p.Subject)))
	header("X-Roundtable-Match", oneLine(r.MatchWords))
	header("X-Roundtable-Trust", oneLine(r.Trust))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\n")
	text := r.Text
	if r.Quoted != "" {
		text += "\n\n" + r.Quoted
	}
	var qp bytes.Buffer
	q := quotedprintable.NewWriter(&qp)
	q.Write([]byte(strings.ReplaceAll(text, "\r\n", "\n")))
	q.Close()
	for _, line := range strings.Split(strings.ReplaceAll(qp.String(), "\r\n", "\n"), "\n") {
		if strings.HasPrefix(line, "From ") {
			line = "=46" + line[1:]
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}

// oneLine keeps a stored value from breaking a header in two.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// angled is a Message-ID as headers write it, "" for none.
func angled(id string) string {
	id = strings.Trim(oneLine(id), "<>")
	if id == "" || strings.ContainsAny(id, " <>") {
		return ""
	}
	return "<" + id + ">"
}

// WriteFile writes a file through write: under a temporary name beside it,
// 0600, on the disk, then renamed into place.
func WriteFile(path string, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return app.Wrap(app.EINVALID, err, "%s could not be written; choose another folder", path)
	}
	defer os.Remove(f.Name()) // gone after the rename
	err = f.Chmod(0o600)
	if err == nil {
		bw := bufio.NewWriter(f)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		var ae *app.Error
		if errors.As(err, &ae) {
			return err // the write's own sentence (a cancelled read, a damaged workspace)
		}
		return app.Wrap(app.EINVALID, err, "%s could not be written, so nothing was saved there", path)
	}
	return nil
}
