// Package home makes the home screen: what happens today and this week, what
// waits for the coach, who has gone quiet and how each cohort is doing. The
// window and `roundtable home` both call Build; the numbers come from replies,
// check-ins and attendance only (nothing tracks members' mail).
package home

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/sessions"
)

// Store is what the home screen reads from the workspace.
type Store interface {
	HomeFacts(ctx context.Context, q app.HomeQuery) (app.HomeFacts, error)
	CohortActivity(ctx context.Context, cohortID int64, since time.Time) ([]app.Activity, error)
	LastReply(ctx context.Context, clientID, cohortID int64) (app.LastReply, bool, error)
	Setting(ctx context.Context, key string, v any) error
	// What content.Upcoming reads, for the lessons of the coming week.
	ReleaseCohorts(ctx context.Context) ([]app.ReleaseCohort, error)
	ReleaseMembers(ctx context.Context, cohortID int64) ([]app.ReleaseMember, error)
}

const (
	day = 24 * time.Hour
	// Ahead is how far the agenda looks: today and the coming week.
	Ahead = 7 * day
	// failedFor is how long a failed message stays on the home screen; older
	// ones stay in the outbox, where the coach already saw them.
	failedFor = 30 * day
	// saidMax is how much of a quiet member's last reply the list shows.
	saidMax = 160
)

// Build makes the home screen as of now, with weeks in the coach's zone.
func Build(ctx context.Context, st Store, now time.Time) (app.Home, error) {
	zone, err := digest.CoachZone(ctx, st)
	if err != nil {
		return app.Home{}, err
	}
	weeks := WeekStarts(now, zone, app.HomeWeeks)
	// Far enough back for the charts, the signals' two and four weeks, and
	// the longest quiet time the cohorts ask for (read from the facts below:
	// a first read covers the defaults, a rare longer N reads again).
	since := weeks[0]
	if s := now.Add(-HoggingWindow); s.Before(since) {
		since = s
	}
	q := app.HomeQuery{Now: now, Since: since, Until: now.Add(Ahead), FailedSince: now.Add(-failedFor)}
	f, err := st.HomeFacts(ctx, q)
	if err != nil {
		return app.Home{}, err
	}
	if s := now.AddDate(0, 0, -maxQuietDays(f.Cohorts)); s.Before(since) {
		since, q.Since = s, s
		if f, err = st.HomeFacts(ctx, q); err != nil {
			return app.Home{}, err
		}
	}
	lessons, err := content.Upcoming(ctx, st, now, now.Add(Ahead))
	if err != nil {
		return app.Home{}, err
	}
	h := app.Home{
		Now: now, Zone: zone.String(), Weeks: rfc3339(weeks), CheckIns: f.CheckIns,
		Agenda: agenda(f, lessons, zone, now), Outbox: f.Outbox, Unread: f.Unread, Unapproved: f.Unapproved,
		Unmatched: f.Unmatched, Bounces: f.Bounces,
	}
	last := lastSpoke(f.Activity)
	members := byCohort(f.Members)
	acts := map[int64][]app.Activity{}
	for _, a := range f.Activity {
		acts[a.CohortID] = append(acts[a.CohortID], a)
	}
	var quiet []candidate
	for _, c := range f.Cohorts {
		ms := members[c.ID]
		e := app.CohortEngagement{CohortID: c.ID, Name: c.Name, Kind: c.Kind, QuietDays: app.QuietDaysFor(c.Kind, c.QuietDays),
			QuietDaysSet: c.QuietDays, Members: len(counted(ms, now))}
		e.Weeks = weekly(c.ID, ms, acts[c.ID], weeks, now)
		e.Signals = signals(c, ms, acts[c.ID], now)
		if c.Lessons {
			if s, ok := checkInsFalling(e.Weeks, weeks, c.ID, counted(ms, now), acts[c.ID], now); ok {
				e.Signals = append(e.Signals, s)
			}
		}
		h.Cohorts = append(h.Cohorts, e)
		quiet = append(quiet, quietIn(c, e.QuietDays, ms, last, since, now)...)
	}
	h.QuietTotal = len(quiet)
	if h.Quiet, err = describeQuiet(ctx, st, quiet, now); err != nil {
		return app.Home{}, err
	}
	if h.Cohorts == nil {
		h.Cohorts = []app.CohortEngagement{}
	}
	return h, nil
}

// Roster returns each member's replies and check-ins per week over the chart's
// weeks in one cohort: the roster's sparklines. Members with none are left out.
func Roster(ctx context.Context, st Store, cohortID int64, now time.Time) (app.RosterActivity, error) {
	zone, err := digest.CoachZone(ctx, st)
	if err != nil {
		return app.RosterActivity{}, err
	}
	weeks := WeekStarts(now, zone, app.HomeWeeks)
	acts, err := st.CohortActivity(ctx, cohortID, weeks[0])
	if err != nil {
		return app.RosterActivity{}, err
	}
	byClient := map[int64][]int{}
	var order []int64
	for _, a := range acts {
		w := weekOf(weeks, a.At, now)
		if w < 0 || a.Kind == app.ActivityAttended {
			continue
		}
		if byClient[a.ClientID] == nil {
			byClient[a.ClientID] = make([]int, len(weeks))
			order = append(order, a.ClientID)
		}
		byClient[a.ClientID][w]++
	}
	out := app.RosterActivity{Weeks: rfc3339(weeks), Members: []app.MemberActivity{}}
	for _, id := range order {
		out.Members = append(out.Members, app.MemberActivity{ClientID: id, Weekly: byClient[id]})
	}
	return out, nil
}

// WeekStarts returns the starts (Monday 00:00 in zone) of the n weeks up to and
// including the one now is in, oldest first. Calendar arithmetic in the zone
// keeps a week starting at midnight across a DST change.
func WeekStarts(now time.Time, zone *time.Location, n int) []time.Time {
	local := now.In(zone)
	back := (int(local.Weekday()) + 6) % 7 // days since Monday
	y, m, d := local.Date()
	out := make([]time.Time, n)
	for i := range out {
		out[i] = time.Date(y, m, d-back-7*(n-1-i), 0, 0, 0, 0, zone)
	}
	return out
}

// rfc3339 writes times as the window and the JSON read them.
func rfc3339(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format(time.RFC3339)
	}
	return out
}

// weekOf returns the index of the week t falls in, or -1 outside the weeks
// (before the first, or after now).
func weekOf(weeks []time.Time, t, now time.Time) int {
	if t.Before(weeks[0]) || t.After(now) {
		return -1
	}
	i := sort.Search(len(weeks), func(i int) bool { return weeks[i].After(t) })
	return i - 1
}

func maxQuietDays(cs []app.HomeCohort) int {
	n := 0
	for _, c := range cs {
		n = max(n, app.QuietDaysFor(c.Kind, c.QuietDays))
	}
	return n
}

// agenda lists the sessions, scheduled posts, lessons and digests of the
// coming week.
func agenda(f app.HomeFacts, lessons []content.Coming, zone *time.Location, now time.Time) []app.AgendaItem {
	out := []app.AgendaItem{}
	end := now.Add(Ahead)
	for _, s := range f.Sessions {
		// A session under way still belongs to today.
		for _, at := range sessions.Occurrences(s, now, end) {
			who := s.Cohort
			if s.ClientID != 0 {
				who = s.Client
			}
			out = append(out, app.AgendaItem{Kind: app.AgendaSession, At: at, Title: s.Title, Detail: who,
				CohortID: s.CohortID, Cohort: s.Cohort, ClientID: s.ClientID, SessionID: s.ID})
		}
	}
	for _, p := range f.Posts {
		detail := "Scheduled announcement"
		if p.SendAt.Before(now) {
			detail = "Overdue: goes with the next run of what is due"
		}
		out = append(out, app.AgendaItem{Kind: app.AgendaPost, At: *p.SendAt, Title: render.CohortSubject(p.Subject, p.Cohort, ""),
			Detail: detail, CohortID: p.CohortID, Cohort: p.Cohort, PostID: p.ID})
	}
	for _, l := range lessons {
		out = append(out, app.AgendaItem{Kind: app.AgendaLesson, At: l.At, Title: l.Title,
			Detail: fmt.Sprintf("To %s of %s", memberCount(l.Members), l.Cohort), CohortID: l.CohortID, Cohort: l.Cohort})
	}
	for _, c := range f.Digests {
		s := digest.ScheduleOf(c.Settings)
		if at, ok := s.Next(zone, now); ok && at.Before(end) {
			out = append(out, app.AgendaItem{Kind: app.AgendaDigest, At: at, Title: "Digest of " + c.Name,
				Detail: s.DescribeIn(zone), CohortID: c.ID, Cohort: c.Name})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

type pair struct{ cohort, client int64 }

// lastSpoke returns when each member last replied or checked in, per cohort
// (attendance is not speaking: a member who comes but never writes is quiet).
func lastSpoke(acts []app.Activity) map[pair]time.Time {
	out := map[pair]time.Time{}
	for _, a := range acts {
		if a.Kind == app.ActivityAttended {
			continue
		}
		k := pair{a.CohortID, a.ClientID}
		if a.At.After(out[k]) {
			out[k] = a.At
		}
	}
	return out
}

// byCohort groups the memberships by cohort (pointers: at 10,000 members,
// copying the structs was a tenth of the screen's time).
func byCohort(ms []app.HomeMember) map[int64][]*app.HomeMember {
	out := map[int64][]*app.HomeMember{}
	for i := range ms {
		out[ms[i].CohortID] = append(out[ms[i].CohortID], &ms[i])
	}
	return out
}

// counted keeps the members whose activity the screen weighs: in the cohort
// now, as members (a co-host is the coach's side), clients not archived.
func counted(ms []*app.HomeMember, now time.Time) []*app.HomeMember {
	out := make([]*app.HomeMember, 0, len(ms))
	for _, m := range ms {
		if m.LeftAt == nil && m.Role == app.RoleMember && !m.Archived && !m.JoinedAt.After(now) {
			out = append(out, m)
		}
	}
	return out
}

// weekly counts a cohort's activity week by week, and its members each week.
func weekly(cohortID int64, ms []*app.HomeMember, acts []app.Activity, weeks []time.Time, now time.Time) []app.WeekEngagement {
	out := make([]app.WeekEngagement, len(weeks))
	isMember := map[int64]bool{}
	for i, start := range weeks {
		end := now
		if i+1 < len(weeks) {
			end = weeks[i+1]
		}
		for _, m := range ms {
			if m.Role == app.RoleMember && !m.Archived && m.JoinedAt.Before(end) && (m.LeftAt == nil || !m.LeftAt.Before(start)) {
				out[i].Members++
				isMember[m.ClientID] = true
			}
		}
	}
	active := make([]map[int64]bool, len(weeks))
	for _, a := range acts {
		w := weekOf(weeks, a.At, now)
		if a.CohortID != cohortID || w < 0 || !isMember[a.ClientID] {
			continue
		}
		switch a.Kind {
		case app.ActivityReply:
			out[w].Replies++
		case app.ActivityCheckIn:
			out[w].CheckIns++
		case app.ActivityAttended:
			out[w].Attended++
		}
		if active[w] == nil {
			active[w] = map[int64]bool{}
		}
		active[w][a.ClientID] = true
	}
	for w := range out {
		out[w].Active = len(active[w])
	}
	return out
}

// candidate is a quiet member before the list is cut and described. known is
// false when they said nothing since the facts begin: their last reply, if
// any, is older and looked up only for the members shown.
type candidate struct {
	m         *app.HomeMember
	cohort    string
	quietDays int
	ref       time.Time // their last reply, or when they joined
	known     bool
}

// quietIn finds a cohort's members who said nothing for its quiet days: in the
// cohort now as members, clients active and reachable, getting its mail, and
// not away by their own word (an auto-reply, with no return date or one still
// ahead; their next real reply clears it). Someone who joined less than N days
// ago has not had N days to speak.
func quietIn(c app.HomeCohort, days int, ms []*app.HomeMember, last map[pair]time.Time, since, now time.Time) []candidate {
	var out []candidate
	limit := now.AddDate(0, 0, -days)
	for _, m := range counted(ms, now) {
		away := m.Away && (m.AwayUntil == nil || m.AwayUntil.After(now))
		if m.Status != "active" || !m.Mailable || m.Delivery == app.DeliveryNone || away {
			continue
		}
		ref, known := last[pair{c.ID, m.ClientID}], true
		if ref.IsZero() {
			ref, known = m.JoinedAt, !m.JoinedAt.Before(since)
		}
		if m.JoinedAt.After(ref) {
			ref = m.JoinedAt
		}
		if ref.After(limit) {
			continue
		}
		out = append(out, candidate{m: m, cohort: c.Name, quietDays: days, ref: ref, known: known})
	}
	return out
}

// describeQuiet orders the quiet members, most recently gone quiet first, and
// describes the first QuietListMax with their last reply.
func describeQuiet(ctx context.Context, st Store, cs []candidate, now time.Time) ([]app.QuietMember, error) {
	// Those silent since before the facts begin come last (their silence is the
	// longest), newest members first among them.
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].known != cs[j].known {
			return cs[i].known
		}
		return cs[i].ref.After(cs[j].ref)
	})
	cs = cs[:min(len(cs), app.QuietListMax)]
	out := make([]app.QuietMember, 0, len(cs))
	for _, c := range cs {
		q := app.QuietMember{ClientID: c.m.ClientID, Name: c.m.Name, Email: c.m.Email, CohortID: c.m.CohortID, Cohort: c.cohort,
			QuietDays: c.quietDays, AwayUntil: c.m.AwayUntil}
		r, ok, err := st.LastReply(ctx, c.m.ClientID, c.m.CohortID)
		if err != nil {
			return nil, err
		}
		ref := c.ref
		if ok {
			at := r.At
			q.LastAt, q.LastSaid, q.LastPost = &at, firstWords(r.Text, saidMax), r.PostID
			if !c.known && at.After(ref) {
				ref = at
			}
		}
		q.Days = int(now.Sub(ref) / day)
		out = append(out, q)
	}
	// The looked-up ones may now be known to be more recent than their order said.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Days < out[j].Days })
	return out, nil
}

// firstWords returns text on one line, cut at a word before n bytes with "…".
func firstWords(text string, n int) string {
	s := strings.Join(strings.Fields(text), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > n/2 {
		cut = i
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}

// memberCount is "1 member", "12 members".
func memberCount(n int) string {
	if n == 1 {
		return "1 member"
	}
	return fmt.Sprintf("%d members", n)
}
