package content_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/store"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// local is a wall clock in Paris, the coach's zone.
func local(y, m, d, h, min int) time.Time { return time.Date(y, time.Month(m), d, h, min, 0, 0, paris) }

// course is a course cohort starting on Monday 2 March 2026, whose coach
// lives in Paris, with a curriculum of three lessons and two members who
// joined the day before it started: Ana (Paris, every post by mail) and Ben
// (New York, posts in his digest).
type course struct {
	db       *store.DB
	clock    time.Time
	id       int64
	lessons  map[string]app.Lesson
	ana, ben app.Client
	newIDs   func() app.MessageIdentity
}

func newCourse(t *testing.T) *course {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &course{db: db, clock: local(2026, 3, 1, 12, 0), lessons: map[string]app.Lesson{},
		newIDs: compose.NewIDs(compose.From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true})}
	db.Now = func() time.Time { return c.clock }
	db.SaveSetting(ctx, digest.CoachZoneKey, "Europe/Paris")
	h, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring course", Kind: app.KindCourseCohort, StartDate: "2026-03-02"})
	if err != nil {
		t.Fatal(err)
	}
	c.id = h.ID
	// The digest (and so the lessons) at 09:00 in the coach's time, daily.
	if err := db.SaveDigestSettings(ctx, c.id, app.DigestSettings{Every: app.DigestDaily, Hour: 9, Weekday: 5}); err != nil {
		t.Fatal(err)
	}
	c.ana, c.ben = c.member(t, "Ana Lima", "ana@example.net", "Europe/Paris"), c.member(t, "Ben Okafor", "ben@example.org", "America/New_York")
	if _, err := db.SetDelivery(ctx, c.id, []int64{c.ben.ID}, app.DeliveryDigest); err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"Week 1: Foundations", "Week 2: Habits", "Live Q&A notes"} {
		l, _, err := db.SaveLesson(ctx, 0, app.LessonInput{Title: title, Order: i + 1, Body: "Read this about " + title + ".",
			CheckIn: "What did you try?", AskDone: true}, false, c.newIDs)
		if err != nil {
			t.Fatal(err)
		}
		c.lessons[title] = l
	}
	c.schedule(t, "Week 1: Foundations", app.CurriculumInput{Rule: app.ReleaseCohortDay, Day: 1})
	c.schedule(t, "Week 2: Habits", app.CurriculumInput{Rule: app.ReleaseCohortDay, Day: 8})
	eighteen := 18
	c.schedule(t, "Live Q&A notes", app.CurriculumInput{Rule: app.ReleaseOnDate, Date: "2026-03-20", Hour: &eighteen})
	return c
}

func (c *course) member(t *testing.T, name, email, zone string) app.Client {
	t.Helper()
	ctx := context.Background()
	cl, err := c.db.CreateClient(ctx, app.ClientInput{Name: name, Email: email, TimeZone: zone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.db.AddMembers(ctx, c.id, []int64{cl.ID}, ""); err != nil {
		t.Fatal(err)
	}
	return cl
}

func (c *course) schedule(t *testing.T, title string, in app.CurriculumInput) {
	t.Helper()
	in.CohortID, in.LessonID = c.id, c.lessons[title].ID
	if err := content.Schedule(context.Background(), c.db, in); err != nil {
		t.Fatal(err)
	}
}

// run releases what is due at now (and sets the clock there).
func (c *course) run(t *testing.T, now time.Time) content.Summary {
	t.Helper()
	c.clock = now
	sum, err := content.Release(context.Background(), c.db, now, c.newIDs, false)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// got returns, per member, what they received: "Title (via)" for each
// release, and the subjects of their outbox copies.
func (c *course) got(t *testing.T, who app.Client) (released, mails []string) {
	t.Helper()
	ctx := context.Background()
	g, err := c.db.ProgressGrid(ctx, c.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range g.Members {
		if r.ClientID != who.ID {
			continue
		}
		for i, cell := range r.Cells {
			if cell.State != app.LessonNotReleased {
				released = append(released, g.Lessons[i].Title)
			}
		}
	}
	items, err := c.db.Outbox(ctx, app.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.ClientID == who.ID {
			mails = append(mails, it.Subject)
		}
	}
	slices.Sort(mails)
	return released, mails
}

func check(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// TestReleaseCohortDaysAndDates: each lesson goes at its hour in the coach's
// zone, once, by mail to Ana and into Ben's digest; running twice, or again
// later, sends nothing twice.
func TestReleaseCohortDaysAndDates(t *testing.T) {
	c := newCourse(t)
	if sum := c.run(t, local(2026, 3, 2, 8, 59)); sum.Lessons != 0 {
		t.Fatalf("a minute early: released %d, want 0", sum.Lessons)
	}
	if sum := c.run(t, local(2026, 3, 2, 9, 0)); sum.Lessons != 2 {
		t.Fatalf("day 1 at 09:00: released %d, want 2 (Ana, Ben)", sum.Lessons)
	}
	for i := 0; i < 2; i++ {
		if sum := c.run(t, local(2026, 3, 2, 9, 30)); sum.Lessons != 0 {
			t.Fatalf("run again: released %d, want 0", sum.Lessons)
		}
	}
	rel, mails := c.got(t, c.ana)
	check(t, "Ana's lessons", rel, []string{"Week 1: Foundations"})
	check(t, "Ana's mail", mails, []string{"Week 1: Foundations"})
	rel, mails = c.got(t, c.ben)
	check(t, "Ben's lessons", rel, []string{"Week 1: Foundations"})
	check(t, "Ben's mail (his digest carries it)", mails, nil)

	// Ben's digest at 09:00 carries the lesson; Ana's lists nothing new.
	if _, err := digest.Run(context.Background(), c.db, local(2026, 3, 2, 9, 30), c.newIDs); err != nil {
		t.Fatal(err)
	}
	_, mails = c.got(t, c.ben)
	check(t, "Ben's mail after the digest", mails, []string{"Digest of Spring course"})
	hist, err := c.db.DigestHistory(context.Background(), c.ben.ID)
	if err != nil || len(hist) != 1 || len(hist[0].Items) != 1 || hist[0].Items[0].PostSubject != "Week 1: Foundations" ||
		!strings.Contains(hist[0].Items[0].Text, "Reply **done**") {
		t.Fatalf("Ben's digest: %+v, %v; want the lesson as its one item", hist, err)
	}
	if hist, _ := c.db.DigestHistory(context.Background(), c.ana.ID); len(hist) == 1 && hist[0].Items != nil && len(hist[0].Items) > 0 {
		t.Errorf("Ana's digest carries %+v: the lesson was Ben's alone, and she had it by mail", hist[0].Items)
	}

	// A laptop closed for three weeks: everything due goes at the next run, in order, once.
	if sum := c.run(t, local(2026, 3, 23, 7, 0)); sum.Lessons != 4 {
		t.Fatalf("three weeks later: released %d, want 4", sum.Lessons)
	}
	rel, mails = c.got(t, c.ana)
	check(t, "Ana's lessons", rel, []string{"Week 1: Foundations", "Week 2: Habits", "Live Q&A notes"})
	check(t, "Ana's mail", mails, []string{"Live Q&A notes", "Week 1: Foundations", "Week 2: Habits"})
	if sum := c.run(t, local(2026, 3, 23, 7, 0)); sum.Lessons != 0 {
		t.Fatalf("run again: released %d", sum.Lessons)
	}
}

// TestReleaseJoinDays: a join-day lesson counts from each member's own join
// date, including one the coach gave for a member who started elsewhere.
func TestReleaseJoinDays(t *testing.T) {
	c := newCourse(t)
	c.schedule(t, "Live Q&A notes", app.CurriculumInput{Rule: app.ReleaseJoinDay, Day: 3})
	ctx := context.Background()
	// Cleo joins on 10 March; Dan started elsewhere on 1 February.
	c.clock = local(2026, 3, 10, 15, 0)
	cleo := c.member(t, "Cleo Park", "cleo@example.com", "")
	c.clock = local(2026, 3, 10, 15, 1)
	dan := c.member(t, "Dan Roe", "dan@example.com", "")
	if err := c.db.SetJoinDate(ctx, c.id, []int64{dan.ID}, "2026-02-01"); err != nil {
		t.Fatal(err)
	}
	c.run(t, local(2026, 3, 3, 9, 0)) // Ana and Ben: day 3 of their membership (joined 1 March)
	rel, _ := c.got(t, c.ana)
	check(t, "Ana on 3 March", rel, []string{"Week 1: Foundations", "Live Q&A notes"})

	c.run(t, local(2026, 3, 11, 9, 0))
	rel, _ = c.got(t, cleo)
	if slices.Contains(rel, "Live Q&A notes") {
		t.Errorf("Cleo got the day-3 lesson on her day 2")
	}
	rel, _ = c.got(t, dan)
	if !slices.Contains(rel, "Live Q&A notes") {
		t.Errorf("Dan, who joined on 1 February, did not get his day-3 lesson: %q", rel)
	}
	c.run(t, local(2026, 3, 12, 9, 0))
	rel, _ = c.got(t, cleo)
	if !slices.Contains(rel, "Live Q&A notes") {
		t.Errorf("Cleo did not get the lesson on her day 3: %q", rel)
	}
}

// TestLateJoiner: a member joining on day 10 gets, under catch-up, every
// lesson already due in one welcome mail listing them in order; under next,
// only the lessons still to come.
func TestLateJoiner(t *testing.T) {
	for _, rule := range []string{app.LateCatchUp, app.LateNext} {
		t.Run(rule, func(t *testing.T) {
			c := newCourse(t)
			ctx := context.Background()
			if err := c.db.SetLateJoiners(ctx, c.id, rule); err != nil {
				t.Fatal(err)
			}
			c.run(t, local(2026, 3, 9, 9, 0))
			c.clock = local(2026, 3, 11, 15, 0) // day 10
			eve := c.member(t, "Eve Stone", "eve@example.com", "Europe/Berlin")
			sum := c.run(t, local(2026, 3, 11, 15, 5))
			rel, mails := c.got(t, eve)
			if rule == app.LateCatchUp {
				if sum.Welcomes != 1 || sum.Lessons != 2 {
					t.Errorf("got %+v, want one welcome mail with 2 lessons", sum)
				}
				check(t, "Eve's lessons", rel, []string{"Week 1: Foundations", "Week 2: Habits"})
				check(t, "Eve's mail", mails, []string{"Welcome to Spring course: your lessons so far"})
				post := c.welcome(t, eve)
				i1, i2 := strings.Index(post.Body, "## Week 1: Foundations"), strings.Index(post.Body, "## Week 2: Habits")
				if i1 < 0 || i2 < i1 {
					t.Errorf("the welcome mail does not list the lessons in order:\n%s", post.Body)
				}
			} else {
				if sum.Lessons != 0 {
					t.Errorf("got %+v, want nothing for Eve before the next lesson", sum)
				}
				check(t, "Eve's lessons", rel, nil)
			}
			c.run(t, local(2026, 3, 11, 16, 0))
			_, again := c.got(t, eve)
			check(t, "Eve's mail after another run", again, mails)
			c.run(t, local(2026, 3, 20, 18, 0))
			rel, _ = c.got(t, eve)
			if !slices.Contains(rel, "Live Q&A notes") {
				t.Errorf("Eve did not get the next lesson: %q", rel)
			}
		})
	}
}

func (c *course) welcome(t *testing.T, who app.Client) app.Post {
	t.Helper()
	ctx := context.Background()
	items, _ := c.db.Outbox(ctx, app.OutboxFilter{})
	for _, it := range items {
		if it.ClientID == who.ID && strings.HasPrefix(it.Subject, "Welcome") {
			p, err := c.db.FindPost(ctx, it.PostID)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatal("no welcome mail")
	return app.Post{}
}

// TestScheduleEdits: moving a released lesson never sends it again; moving a
// lesson earlier releases it at the next run.
func TestScheduleEdits(t *testing.T) {
	c := newCourse(t)
	c.run(t, local(2026, 3, 9, 9, 0))
	c.schedule(t, "Week 2: Habits", app.CurriculumInput{Rule: app.ReleaseCohortDay, Day: 15})
	c.schedule(t, "Week 1: Foundations", app.CurriculumInput{Rule: app.ReleaseCohortDay, Day: 2})
	if sum := c.run(t, local(2026, 3, 16, 9, 0)); sum.Lessons != 0 {
		t.Errorf("released %d after moving released lessons later, want 0", sum.Lessons)
	}
	nine := 9
	c.schedule(t, "Live Q&A notes", app.CurriculumInput{Rule: app.ReleaseOnDate, Date: "2026-03-16", Hour: &nine})
	if sum := c.run(t, local(2026, 3, 16, 9, 5)); sum.Lessons != 2 {
		t.Errorf("released %d after moving a lesson earlier, want 2", sum.Lessons)
	}
	_, mails := c.got(t, c.ana)
	check(t, "Ana's mail", mails, []string{"Live Q&A notes", "Week 1: Foundations", "Week 2: Habits"})
}

// TestLessonEditedAfterRelease: a change reaches those who get the lesson
// later; the members who had it get the correction only when the coach asks.
func TestLessonEditedAfterRelease(t *testing.T) {
	c := newCourse(t)
	ctx := context.Background()
	c.run(t, local(2026, 3, 2, 9, 0))
	l := c.lessons["Week 1: Foundations"]
	in := app.LessonInput{Slug: l.Slug, Title: l.Title, Order: l.Order, Body: "Read this, fixed.", CheckIn: l.CheckIn, AskDone: true}
	if _, n, err := c.db.SaveLesson(ctx, l.ID, in, false, c.newIDs); err != nil || n != 0 {
		t.Fatalf("save without correction: %d queued, %v", n, err)
	}
	_, mails := c.got(t, c.ana)
	check(t, "Ana's mail after the edit", mails, []string{"Week 1: Foundations"})

	c.clock = local(2026, 3, 3, 10, 0)
	cleo := c.member(t, "Cleo Park", "cleo@example.com", "")
	c.run(t, local(2026, 3, 3, 10, 1))
	p := c.welcome(t, cleo)
	if !strings.Contains(p.Body, "Read this, fixed.") {
		t.Errorf("Cleo's catch-up carries the old text:\n%s", p.Body)
	}
	if _, n, err := c.db.SaveLesson(ctx, l.ID, in, true, c.newIDs); err != nil || n != 3 {
		t.Fatalf("send the correction: %d queued, %v; want 3 (Ana, Ben, Cleo)", n, err)
	}
	_, mails = c.got(t, c.ana)
	check(t, "Ana's mail after the correction", mails, []string{"Correction: Week 1: Foundations", "Week 1: Foundations"})
}

// TestKilledMidRelease: a run that dies half-way (here, inside the
// transaction of a cohort) leaves nothing half-recorded; the next run sends
// every lesson once.
func TestKilledMidRelease(t *testing.T) {
	c := newCourse(t)
	calls := 0
	ids := c.newIDs
	c.newIDs = func() app.MessageIdentity {
		calls++
		if calls == 4 {
			panic("killed")
		}
		return ids()
	}
	func() {
		defer func() { recover() }()
		c.run(t, local(2026, 3, 9, 9, 0))
	}()
	c.newIDs = ids
	for _, who := range []app.Client{c.ana, c.ben} {
		if rel, mails := c.got(t, who); rel != nil || mails != nil {
			t.Errorf("after the kill, %s has %q / %q; want nothing recorded", who.Name, rel, mails)
		}
	}
	c.run(t, local(2026, 3, 9, 9, 1))
	c.run(t, local(2026, 3, 9, 9, 2))
	rel, mails := c.got(t, c.ana)
	check(t, "Ana's lessons", rel, []string{"Week 1: Foundations", "Week 2: Habits"})
	check(t, "Ana's mail", mails, []string{"Week 1: Foundations", "Week 2: Habits"})
}

// TestReleaseAcrossDST: lessons at each member's own 09:00 stay at 09:00 on
// their clock through the spring change (Paris on 29 March, New York on 8
// March), and an hour that does not exist goes at the end of the gap.
func TestReleaseAcrossDST(t *testing.T) {
	c := newCourse(t)
	ctx := context.Background()
	if err := c.db.SaveDigestSettings(ctx, c.id, app.DigestSettings{Every: app.DigestDaily, Hour: 9, Weekday: 5, MemberLocal: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.db.SetDelivery(ctx, c.id, []int64{c.ben.ID}, app.DeliveryIndividual); err != nil {
		t.Fatal(err)
	}
	two := 2
	c.schedule(t, "Week 1: Foundations", app.CurriculumInput{Rule: app.ReleaseCohortDay, Day: 28}) // Sunday 29 March
	c.schedule(t, "Week 2: Habits", app.CurriculumInput{Rule: app.ReleaseCohortDay, Day: 29})      // Monday 30 March
	c.schedule(t, "Live Q&A notes", app.CurriculumInput{Rule: app.ReleaseOnDate, Date: "2026-03-29", Hour: &two})
	steps := []struct {
		utc  time.Time
		want int
	}{
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), 0},  // 01:59 CET: 02:00 does not exist tonight in Paris
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), 1},   // 03:00 CEST, the end of the gap: Ana's Q&A
		{time.Date(2026, 3, 29, 5, 59, 0, 0, time.UTC), 0},  // 01:59 EDT
		{time.Date(2026, 3, 29, 6, 0, 0, 0, time.UTC), 1},   // 02:00 EDT: Ben's Q&A
		{time.Date(2026, 3, 29, 6, 59, 0, 0, time.UTC), 0},  // 08:59 CEST
		{time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC), 1},   // 09:00 CEST (08:00 UTC the day before): Ana's week 1
		{time.Date(2026, 3, 29, 12, 59, 0, 0, time.UTC), 0}, // 08:59 EDT
		{time.Date(2026, 3, 29, 13, 0, 0, 0, time.UTC), 1},  // 09:00 EDT: Ben's week 1
		{time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC), 1},   // Monday 09:00 CEST: Ana's week 2
		{time.Date(2026, 3, 30, 13, 0, 0, 0, time.UTC), 1},  // Monday 09:00 EDT: Ben's week 2
	}
	for _, s := range steps {
		if sum := c.run(t, s.utc); sum.Lessons != s.want {
			t.Errorf("at %s: released %d, want %d", s.utc.Format(time.RFC3339), sum.Lessons, s.want)
		}
	}
}

// TestReleaseFallBack: an hour that comes twice when the clocks go back goes
// at its first occurrence, once.
func TestReleaseFallBack(t *testing.T) {
	c := newCourse(t)
	two := 2
	c.schedule(t, "Live Q&A notes", app.CurriculumInput{Rule: app.ReleaseOnDate, Date: "2026-10-25", Hour: &two})
	c.run(t, time.Date(2026, 10, 24, 23, 59, 0, 0, time.UTC)) // 01:59 CEST: everything before is out
	steps := []struct {
		utc  time.Time
		want int
	}{
		{time.Date(2026, 10, 24, 23, 59, 30, 0, time.UTC), 0},
		{time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), 2}, // 02:00 CEST, the first 02:00: Ana and Ben (coach's clock)
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), 0}, // 02:00 CET, the second: nothing again
	}
	for _, s := range steps {
		if sum := c.run(t, s.utc); sum.Lessons != s.want {
			t.Errorf("at %s: released %d, want %d", s.utc.Format(time.RFC3339), sum.Lessons, s.want)
		}
	}
}

// TestReleaseByDelivery: a member who takes the cohort's posts in the digest
// gets lessons by mail when the cohort has no digest; a paused member gets
// nothing until they come back, then everything due, nothing skipped; a member
// whose join date is still ahead gets nothing until then.
func TestReleaseByDelivery(t *testing.T) {
	c := newCourse(t)
	ctx := context.Background()
	if err := c.db.SaveDigestSettings(ctx, c.id, app.DigestSettings{Every: app.DigestOff, Hour: 9, Weekday: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.db.SetDelivery(ctx, c.id, []int64{c.ana.ID}, app.DeliveryNone); err != nil {
		t.Fatal(err)
	}
	cleo := c.member(t, "Cleo Park", "cleo@example.com", "")
	if err := c.db.SetJoinDate(ctx, c.id, []int64{cleo.ID}, "2026-03-12"); err != nil {
		t.Fatal(err)
	}
	c.run(t, local(2026, 3, 9, 9, 0))
	_, mails := c.got(t, c.ben)
	check(t, "Ben's mail (no digest: by mail)", mails, []string{"Week 1: Foundations", "Week 2: Habits"})
	rel, _ := c.got(t, c.ana)
	check(t, "paused Ana's lessons", rel, nil)
	rel, _ = c.got(t, cleo)
	check(t, "Cleo's lessons before her join date", rel, nil)

	if _, err := c.db.SetDelivery(ctx, c.id, []int64{c.ana.ID}, app.DeliveryIndividual); err != nil {
		t.Fatal(err)
	}
	c.run(t, local(2026, 3, 12, 9, 0))
	_, mails = c.got(t, c.ana)
	check(t, "Ana's mail once back", mails, []string{"Week 1: Foundations", "Week 2: Habits"})
	_, mails = c.got(t, cleo)
	check(t, "Cleo's mail on her join date (a late joiner catching up)", mails, []string{"Welcome to Spring course: your lessons so far"})
}

// TestJoiningOnTheDay: a member added on day 1 after the lesson's hour gets it
// as everyone did, under either rule: a late joiner is one who joins on a later
// day.
func TestJoiningOnTheDay(t *testing.T) {
	for _, rule := range []string{app.LateCatchUp, app.LateNext} {
		c := newCourse(t)
		if err := c.db.SetLateJoiners(context.Background(), c.id, rule); err != nil {
			t.Fatal(err)
		}
		c.run(t, local(2026, 3, 2, 9, 0))
		c.clock = local(2026, 3, 2, 11, 0)
		fay := c.member(t, "Fay Wray", "fay@example.com", "")
		c.run(t, local(2026, 3, 2, 11, 1))
		_, mails := c.got(t, fay)
		check(t, rule+": Fay's mail", mails, []string{"Week 1: Foundations"})
	}
}

// TestLessonMailIsSearchedAsItsLesson: the mails that carry lessons (the
// cohort's lesson mail, each late joiner's catch-up welcome) are found as the
// lesson, once, not as a post per mail.
func TestLessonMailIsSearchedAsItsLesson(t *testing.T) {
	c := newCourse(t)
	ctx := context.Background()
	if err := c.db.SetLateJoiners(ctx, c.id, app.LateCatchUp); err != nil {
		t.Fatal(err)
	}
	c.run(t, local(2026, 3, 9, 9, 0))
	c.clock = local(2026, 3, 11, 15, 0)
	c.member(t, "Eve Stone", "eve@example.com", "Europe/Berlin")
	c.member(t, "Finn Hale", "finn@example.com", "Europe/Berlin")
	if sum := c.run(t, local(2026, 3, 11, 15, 5)); sum.Welcomes != 2 {
		t.Fatalf("got %+v, want two welcome mails", sum)
	}
	for _, words := range []string{"Foundations", "lessons so far"} {
		res, err := c.db.Search(ctx, app.SearchQuery{Text: words})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range res.Groups {
			if g.Kind == app.SearchPost {
				t.Errorf("%q found %d lesson mails as posts: %+v", words, g.Total, g.Hits)
			}
		}
	}
	res, err := c.db.Search(ctx, app.SearchQuery{Text: "Foundations", Kinds: []string{app.SearchLesson}})
	if err != nil || len(res.Groups) != 1 || res.Groups[0].Total != 1 {
		t.Errorf("the lesson itself: %+v, %v; want it found once", res, err)
	}
}

// TestDeleteLesson: a deleted lesson leaves the library, the curriculum, the
// progress grid and search; what members received stays, and nothing is sent
// again or later because of it.
func TestDeleteLesson(t *testing.T) {
	c := newCourse(t)
	ctx := context.Background()
	c.run(t, local(2026, 3, 9, 9, 0)) // weeks 1 and 2 released to Ana; Ben's wait for his digest
	_, before := c.got(t, c.ana)
	week2 := c.lessons["Week 2: Habits"]
	use, err := c.db.LessonUse(ctx, week2.ID)
	if err != nil || use.Title != week2.Title || use.Cohorts != 1 || use.Members != 2 {
		t.Fatalf("use: %+v, %v; want 1 cohort and 2 members", use, err)
	}
	if got, err := c.db.DeleteLesson(ctx, week2.ID); err != nil || got != use {
		t.Fatalf("delete: %+v, %v", got, err)
	}
	lessons, _ := c.db.Lessons(ctx)
	for _, l := range lessons {
		if l.ID == week2.ID {
			t.Error("the lesson is still in the library")
		}
	}
	cur, err := c.db.Curriculum(ctx, c.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cur.Entries {
		if e.LessonID == week2.ID {
			t.Error("the lesson is still in the curriculum")
		}
	}
	released, after := c.got(t, c.ana)
	check(t, "Ana's grid", released, []string{"Week 1: Foundations"})
	check(t, "Ana's mail, which stays", after, before)
	if res, _ := c.db.Search(ctx, app.SearchQuery{Text: "Habits", Kinds: []string{app.SearchLesson}}); len(res.Groups) != 0 {
		t.Errorf("still found: %+v", res.Groups)
	}
	c.run(t, local(2026, 3, 21, 9, 0))
	_, later := c.got(t, c.ana)
	count := func(mails []string) int {
		n := 0
		for _, m := range mails {
			if m == week2.Title {
				n++
			}
		}
		return n
	}
	if count(later) != count(before) || !slices.Contains(later, "Live Q&A notes") {
		t.Errorf("after a later run Ana has %q; want the next lesson and the deleted one no more than before (%q)", later, before)
	}
	if _, err := c.db.DeleteLesson(ctx, week2.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("deleting it again: %v, want not found", err)
	}
}
