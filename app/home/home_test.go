package home

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/store"
)

// now is the tests' fixed clock: a Wednesday afternoon.
var now = time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)

// workspace builds a workspace on a real file, moving its clock to write each
// thing at the time it is meant to have happened.
type workspace struct {
	t   *testing.T
	db  *store.DB
	ctx context.Context
	seq int
}

func newWorkspace(t *testing.T, zone string) *workspace {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &workspace{t: t, db: db, ctx: context.Background()}
	if err := db.SaveSetting(w.ctx, digest.CoachZoneKey, zone); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return now }
	return w
}

// at runs fn with the workspace's clock at t.
func (w *workspace) at(t time.Time, fn func()) {
	w.db.Now = func() time.Time { return t }
	defer func() { w.db.Now = func() time.Time { return now } }()
	fn()
}

// cohort makes a cohort and a post for its members to reply to.
func (w *workspace) cohort(name, kind, purpose string) (cohortID, postID int64) {
	w.t.Helper()
	c, err := w.db.CreateCohort(w.ctx, app.CohortInput{Name: name, Kind: kind, Purpose: purpose})
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := w.db.CreatePost(w.ctx, app.PostInput{CohortID: c.ID, Subject: "Week 1", Body: "How is it going?"})
	if err != nil {
		w.t.Fatal(err)
	}
	return c.ID, p.ID
}

// members adds n new clients to a cohort, joined at joined.
func (w *workspace) members(cohortID int64, joined time.Time, names ...string) []int64 {
	w.t.Helper()
	var ids []int64
	for _, n := range names {
		c, err := w.db.CreateClient(w.ctx, app.ClientInput{Name: n, Email: strings.ToLower(strings.ReplaceAll(n, " ", ".")) + "@example.com"})
		if err != nil {
			w.t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	w.at(joined, func() {
		if _, err := w.db.AddMembers(w.ctx, cohortID, ids, app.RoleMember); err != nil {
			w.t.Fatal(err)
		}
	})
	return ids
}

// reply imports a member's reply to a post, received at.
func (w *workspace) reply(postID, clientID int64, at time.Time, text string) {
	w.t.Helper()
	w.seq++
	w.at(at, func() {
		if _, err := w.db.ImportMail(w.ctx, app.IncomingMail{Kind: app.MailReply, Hash: fmt.Sprint("h", w.seq), MessageID: fmt.Sprint(w.seq, "@example.com"),
			ClientID: clientID, PostID: postID, FromEmail: "x@example.com", Subject: "Re: Week 1", Text: text, Trust: app.TrustPlausible}); err != nil {
			w.t.Fatal(err)
		}
	})
}

func (w *workspace) build() app.Home {
	w.t.Helper()
	h, err := Build(w.ctx, w.db, now)
	if err != nil {
		w.t.Fatal(err)
	}
	return h
}

func days(n int) time.Duration { return time.Duration(n) * day }

func quietNames(h app.Home) []string {
	var out []string
	for _, q := range h.Quiet {
		out = append(out, fmt.Sprintf("%s/%s/%d", q.Name, q.Cohort, q.Days))
	}
	return out
}

// TestQuietMembers: each cohort's own N (the kind's default or the coach's
// number), at its boundary, with the last thing the member said.
func TestQuietMembers(t *testing.T) {
	w := newWorkspace(t, "Europe/Paris")
	mm, mmPost := w.cohort("Mastermind", app.KindMastermind, "Grow together") // default 14 days
	ids := w.members(mm, now.Add(-days(200)), "Ana Almeida", "Ben Brook", "Cleo Chen", "Old Otto", "Paused Pia")
	ana, ben, otto, pia := ids[0], ids[1], ids[3], ids[4]
	newbie := w.members(mm, now.Add(-days(3)), "New Nina")[0]
	w.reply(mmPost, ana, now.Add(-days(14)+time.Minute), "Still here")                // 13 days 23:59 ago: not quiet
	w.reply(mmPost, ben, now.Add(-days(14)), "I finished the pricing page, finally.") // exactly 14 days: quiet
	w.reply(mmPost, otto, now.Add(-days(150)), "Long ago")                            // before the facts begin
	if _, err := w.db.UpdateClient(w.ctx, pia, app.ClientInput{Name: "Paused Pia", Email: "paused.pia@example.com", Status: "paused"}); err != nil {
		t.Fatal(err)
	}
	_ = newbie
	// Away by their own word until next week: not gone quiet.
	ari := w.members(mm, now.Add(-days(200)), "Away Ari")[0]
	back := now.Add(days(5))
	w.at(now.Add(-days(20)), func() {
		if _, err := w.db.ImportMail(w.ctx, app.IncomingMail{Kind: app.MailAutoReply, Hash: "away", ClientID: ari, Subject: "Out of office", AwayUntil: &back}); err != nil {
			t.Fatal(err)
		}
	})

	cc, ccPost := w.cohort("Course", app.KindCourseCohort, "Learn") // the coach says 5 days
	if err := w.db.SetQuietDays(w.ctx, cc, 5); err != nil {
		t.Fatal(err)
	}
	cids := w.members(cc, now.Add(-days(30)), "Dan Dorn", "Eve Eck")
	w.reply(ccPost, cids[0], now.Add(-days(4)), "Lesson 3 done")
	w.reply(ccPost, cids[1], now.Add(-days(6)), "Stuck on lesson 2")

	h := w.build()
	got := strings.Join(quietNames(h), " ")
	want := "Eve Eck/Course/6 Ben Brook/Mastermind/14 Old Otto/Mastermind/150 Cleo Chen/Mastermind/200"
	if got != want {
		t.Fatalf("got quiet %q, want %q", got, want)
	}
	if h.QuietTotal != 4 {
		t.Errorf("got QuietTotal %d, want 4", h.QuietTotal)
	}
	byName := map[string]app.QuietMember{}
	for _, q := range h.Quiet {
		byName[q.Name] = q
	}
	if q := byName["Ben Brook"]; q.LastSaid != "I finished the pricing page, finally." || q.LastPost != mmPost || q.QuietDays != 14 {
		t.Errorf("got Ben %+v, want his last words, the post and N=14", q)
	}
	if q := byName["Eve Eck"]; q.QuietDays != 5 || q.LastSaid != "Stuck on lesson 2" {
		t.Errorf("got Eve %+v, want N=5 and her last words", q)
	}
	if q := byName["Cleo Chen"]; q.LastAt != nil || q.LastSaid != "" {
		t.Errorf("got Cleo %+v, want no last reply", q)
	}
	if q := byName["Old Otto"]; q.LastSaid != "Long ago" {
		t.Errorf("got Otto %+v, want his reply from 150 days ago", q)
	}

	// Back to the kind's default (7 for a course): Eve is still quiet, Dan not.
	if err := w.db.SetQuietDays(w.ctx, cc, 0); err != nil {
		t.Fatal(err)
	}
	h = w.build()
	if got := strings.Join(quietNames(h), " "); !strings.HasPrefix(got, "Ben Brook/") {
		t.Errorf("with the course's default 7 days got %q, want Eve no longer quiet", got)
	}
	if err := w.db.SetQuietDays(w.ctx, cc, 400); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("got %v for 400 days, want EINVALID", err)
	}
}

// signalKinds returns the kinds of a cohort's signals, and the members of each.
func signalOf(t *testing.T, h app.Home, cohort, kind string) (app.HealthSignal, bool) {
	t.Helper()
	for _, c := range h.Cohorts {
		if c.Name != cohort {
			continue
		}
		for _, s := range c.Signals {
			if s.Kind == kind {
				return s, true
			}
		}
		return app.HealthSignal{}, false
	}
	t.Fatalf("no cohort %q on the home screen", cohort)
	return app.HealthSignal{}, false
}

func TestSignalPurposeAndSize(t *testing.T) {
	w := newWorkspace(t, "UTC")
	small, _ := w.cohort("Small", app.KindMastermind, "")
	w.members(small, now.Add(-days(30)), "A One", "B Two", "C Three", "D Four", "E Five", "F Six", "G Seven")
	right, _ := w.cohort("Right", app.KindMastermind, "Founders helping founders")
	w.members(right, now.Add(-days(30)), "H One", "I Two", "J Three", "K Four", "L Five", "M Six", "N Seven", "O Eight")
	h := w.build()
	if s, ok := signalOf(t, h, "Small", app.SignalNoPurpose); !ok || s.Why == "" {
		t.Errorf("got %+v, %v; want the purpose signal with why", s, ok)
	}
	if s, ok := signalOf(t, h, "Small", app.SignalSize); !ok || !strings.Contains(s.Message, "fewer than 8") || !strings.Contains(s.Why, "peers") {
		t.Errorf("got %+v; want the size signal for 7 members", s)
	}
	if _, ok := signalOf(t, h, "Right", app.SignalNoPurpose); ok {
		t.Error("the purpose signal fired for a cohort with a purpose")
	}
	if _, ok := signalOf(t, h, "Right", app.SignalSize); ok {
		t.Error("the size signal fired for a mastermind of 8")
	}
}

// TestSignalHogging: more than 40 % of the last 4 weeks' replies from one
// member fires; exactly 40 % does not; replies older than 4 weeks do not count.
func TestSignalHogging(t *testing.T) {
	w := newWorkspace(t, "UTC")
	at40, p40 := w.cohort("Forty", app.KindGroupCoaching, "x")
	a := w.members(at40, now.Add(-days(60)), "Ann A", "Bob B", "Cy C")
	for i, id := range []int64{a[0], a[0], a[1], a[1], a[2]} { // 2 of 5 = 40 %
		w.reply(p40, id, now.Add(-days(i+1)), "x")
	}
	w.reply(p40, a[0], now.Add(-days(29)), "older than four weeks")
	over, pOver := w.cohort("Over", app.KindGroupCoaching, "x")
	b := w.members(over, now.Add(-days(60)), "Dee D", "Eli E", "Fay F")
	for i, id := range []int64{b[0], b[0], b[0], b[1], b[1], b[2], b[2]} { // 3 of 7 = 42 %
		w.reply(pOver, id, now.Add(-days(i+1)), "x")
	}
	h := w.build()
	if s, ok := signalOf(t, h, "Forty", app.SignalHogging); ok {
		t.Errorf("got %+v at exactly 40 %%, want none", s)
	}
	s, ok := signalOf(t, h, "Over", app.SignalHogging)
	if !ok || len(s.Members) != 1 || s.Members[0].ClientID != b[0] || !strings.Contains(s.Message, "3 of the 7 replies (42 %)") {
		t.Errorf("got %+v, %v; want Dee writing 3 of 7", s, ok)
	}
}

// TestSignalSilent: more than a third of the members silent for 2 weeks fires;
// exactly a third does not; a newcomer is not counted.
func TestSignalSilent(t *testing.T) {
	w := newWorkspace(t, "UTC")
	third, pThird := w.cohort("Third", app.KindMicroCommunity, "x")
	m := w.members(third, now.Add(-days(60)), "P1 A", "P2 B", "P3 C", "P4 D", "P5 E", "P6 F")
	for _, id := range m[:4] { // 2 of 6 silent: a third
		w.reply(pThird, id, now.Add(-days(13)), "here")
	}
	w.members(third, now.Add(-days(2)), "P7 New") // silent, but new
	more, pMore := w.cohort("More", app.KindMicroCommunity, "x")
	n := w.members(more, now.Add(-days(60)), "Q1 A", "Q2 B", "Q3 C", "Q4 D", "Q5 E", "Q6 F")
	for _, id := range n[:3] { // 3 of 6 silent
		w.reply(pMore, id, now.Add(-days(13)), "here")
	}
	w.reply(pMore, n[3], now.Add(-days(14)-time.Minute), "just too long ago")
	h := w.build()
	if s, ok := signalOf(t, h, "Third", app.SignalSilent); ok {
		t.Errorf("got %+v at exactly a third, want none", s)
	}
	s, ok := signalOf(t, h, "More", app.SignalSilent)
	if !ok || len(s.Members) != 3 || s.Members[0].Name != "Q4 D" || !strings.HasPrefix(s.Message, "3 of 6 members") {
		t.Errorf("got %+v, %v; want Q4, Q5 and Q6 silent", s, ok)
	}
}

// TestWeeksInCoachZone: weeks begin on Monday at midnight where the coach is.
// One reply at the same instant is in this week for a coach in Auckland and in
// last week for a coach in Los Angeles.
func TestWeeksInCoachZone(t *testing.T) {
	// Monday 16 November 00:30 in Auckland (UTC+13) is Sunday 15 November 03:30 in Los Angeles.
	instant := time.Date(2026, 11, 15, 11, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		zone string
		week int // index in the 8 weeks: 7 is this week
	}{{"Pacific/Auckland", 7}, {"America/Los_Angeles", 6}} {
		t.Run(tc.zone, func(t *testing.T) {
			w := newWorkspace(t, tc.zone)
			c, p := w.cohort("Circle", app.KindMastermind, "x")
			id := w.members(c, now.Add(-days(90)), "Zed Z")[0]
			w.reply(p, id, instant, "hello")
			h := w.build()
			loc, _ := time.LoadLocation(tc.zone)
			last, err := time.Parse(time.RFC3339, h.Weeks[len(h.Weeks)-1])
			if err != nil {
				t.Fatal(err)
			}
			last = last.In(loc)
			if last.Weekday() != time.Monday || last.Hour() != 0 || last.Minute() != 0 {
				t.Errorf("this week starts %v, want Monday 00:00 in %s", last, tc.zone)
			}
			var got []int
			for _, wk := range h.Cohorts[0].Weeks {
				got = append(got, wk.Replies)
			}
			if len(got) != app.HomeWeeks || got[tc.week] != 1 {
				t.Errorf("got replies per week %v, want the reply in week %d", got, tc.week)
			}
			ra, err := Roster(w.ctx, w.db, c, now)
			if err != nil || len(ra.Members) != 1 || ra.Members[0].Weekly[tc.week] != 1 {
				t.Errorf("got roster activity %+v (%v), want Zed's reply in week %d", ra, err, tc.week)
			}
		})
	}
}

func TestWeekStartsAcrossDST(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	// Summer time ends on Sunday 25 October 2026.
	ws := WeekStarts(time.Date(2026, 11, 4, 12, 0, 0, 0, time.UTC), paris, 3)
	for i, want := range []string{"2026-10-19 00:00 CEST", "2026-10-26 00:00 CET", "2026-11-02 00:00 CET"} {
		if got := ws[i].In(paris).Format("2006-01-02 15:04 MST"); got != want {
			t.Errorf("week %d starts %s, want %s", i, got, want)
		}
	}
}

// TestAgendaAndWaiting: a weekly session's next occurrences, a scheduled
// announcement and the cohort's next digest in the coming week, in time order;
// the invitations waiting in the outbox; an unread reply.
func TestAgendaAndWaiting(t *testing.T) {
	w := newWorkspace(t, "Europe/Paris")
	c, post := w.cohort("Circle", app.KindMastermind, "x") // digest: Fridays at 9 in each member's zone
	ids := w.members(c, now.Add(-days(10)), "Ana A", "Ben B")
	w.reply(post, ids[0], now.Add(-time.Hour), "unread")
	n := 0
	newIDs := func() app.MessageIdentity {
		n++
		return app.MessageIdentity{MessageID: fmt.Sprint("s", n, "@x"), Token: fmt.Sprint("t", n), BounceToken: fmt.Sprint("b", n)}
	}
	mail := func(s app.Session, to []app.SessionAttendee) (app.SessionMail, error) {
		return app.SessionMail{Subject: "Invitation", Body: "Come"}, nil
	}
	// Tuesdays 18:00 in Paris, weekly since two weeks ago.
	start := time.Date(2026, 11, 3, 17, 0, 0, 0, time.UTC)
	if _, err := w.db.CreateSession(w.ctx, app.SessionInput{CohortID: c, Title: "Weekly call", Start: start, Minutes: 60, TimeZone: "Europe/Paris", EveryWeeks: 1}, "uid-1", mail, newIDs); err != nil {
		t.Fatal(err)
	}
	sendAt := now.Add(2 * day)
	p, err := w.db.CreatePost(w.ctx, app.PostInput{CohortID: c, Subject: "Week 3 in {{cohort}}", Body: "x", SendAt: &sendAt})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.QueuePost(w.ctx, p.ID, newIDs); err != nil {
		t.Fatal(err)
	}
	// Two lessons: one on Friday at 10 (Paris), one in late December, beyond the week.
	if _, err := w.db.UpsertLessons(w.ctx, []app.LessonInput{{Slug: "pages", Title: "Morning pages", Order: 1, Body: "Write."},
		{Slug: "later", Title: "Later lesson", Order: 2, Body: "Later."}}); err != nil {
		t.Fatal(err)
	}
	ls, _ := w.db.Lessons(w.ctx)
	ten := 10
	for i, date := range []string{"2026-11-20", "2026-12-30"} {
		if err := w.db.SetCurriculum(w.ctx, app.CurriculumInput{CohortID: c, LessonID: ls[i].ID, Rule: app.ReleaseOnDate, Date: date, Hour: &ten}); err != nil {
			t.Fatal(err)
		}
	}
	h := w.build()
	var got []string
	for _, a := range h.Agenda {
		got = append(got, a.Kind+" "+a.At.UTC().Format("Mon 15:04")+" "+a.Title)
		if a.Kind == app.AgendaLesson && a.Detail != "To 2 members of Circle" {
			t.Errorf("got the lesson's detail %q, want whom it reaches", a.Detail)
		}
	}
	want := []string{"digest Fri 08:00 Digest of Circle", "lesson Fri 09:00 Morning pages", "post Fri 15:00 Week 3 in Circle", "session Tue 17:00 Weekly call"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got agenda %q, want %q", got, want)
	}
	if h.Outbox.Waiting != 2 {
		t.Errorf("got %d waiting in the outbox, want the 2 invitations", h.Outbox.Waiting)
	}
	if len(h.Unread) != 1 || h.Unread[0].Count != 1 || h.Unread[0].CohortID != c {
		t.Errorf("got unread %+v, want 1 in Circle", h.Unread)
	}
}

// TestSignalCheckInsFalling: in a cohort with lessons, check-ins falling two
// whole weeks running fire (5, 3, 1), naming who stopped; level weeks (5, 3,
// 3) do not; "done" by mail counts as a check-in, and the charts count them.
func TestSignalCheckInsFalling(t *testing.T) {
	w := newWorkspace(t, "UTC")
	if _, err := w.db.UpsertLessons(w.ctx, []app.LessonInput{
		{Slug: "l1", Title: "Lesson 1", Order: 1, Body: "One"},
		{Slug: "l2", Title: "Lesson 2", Order: 2, Body: "Two"},
		{Slug: "l3", Title: "Lesson 3", Order: 3, Body: "Three"},
	}); err != nil {
		t.Fatal(err)
	}
	lessons, err := w.db.Lessons(w.ctx)
	if err != nil || len(lessons) != 3 {
		t.Fatalf("got %d lessons (%v), want 3", len(lessons), err)
	}
	// Monday of this week is 16 November; the three whole weeks before it.
	weekStart := []time.Time{time.Date(2026, 10, 26, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 9, 10, 0, 0, 0, time.UTC)}
	seq := 0
	course := func(name string, counts [3]int) []int64 {
		c, _ := w.cohort(name, app.KindCourseCohort, "Learn")
		ids := w.members(c, now.Add(-days(60)), name+" A", name+" B", name+" C", name+" D", name+" E", name+" F")
		for i, l := range lessons {
			if err := w.db.SetCurriculum(w.ctx, app.CurriculumInput{CohortID: c, LessonID: l.ID, Rule: "cohort_day", Day: i * 7}); err != nil {
				t.Fatal(err)
			}
			for _, id := range ids[:counts[i]] {
				seq++
				w.at(weekStart[i], func() {
					if _, err := w.db.ImportMail(w.ctx, app.IncomingMail{Kind: app.MailDone, Hash: fmt.Sprint("done", seq), ClientID: id, CohortID: c, LessonID: l.ID}); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
		return ids
	}
	falling := course("Falling", [3]int{5, 3, 1})
	course("Level", [3]int{5, 3, 3})
	h := w.build()
	if !h.CheckIns {
		t.Error("got CheckIns false with a curriculum, want true")
	}
	s, ok := signalOf(t, h, "Falling", app.SignalCheckInsFalling)
	if !ok || !strings.Contains(s.Message, "5, 3, then 1") || len(s.Members) != 4 || s.Members[0].ClientID != falling[1] {
		t.Errorf("got %+v, %v; want 5, 3, 1 and the four who stopped (B to E)", s, ok)
	}
	if s, ok := signalOf(t, h, "Level", app.SignalCheckInsFalling); ok {
		t.Errorf("got %+v for 5, 3, 3, want none", s)
	}
	for _, c := range h.Cohorts {
		if c.Name == "Falling" {
			var got []int
			for _, wk := range c.Weeks[4:7] {
				got = append(got, wk.CheckIns)
			}
			if fmt.Sprint(got) != "[5 3 1]" {
				t.Errorf("got check-ins per week %v, want [5 3 1]", got)
			}
		}
	}
}
