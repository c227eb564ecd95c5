package content

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
)

// Store is what releasing lessons needs from the workspace.
type Store interface {
	ReleaseCohorts(ctx context.Context) ([]app.ReleaseCohort, error)
	ReleaseMembers(ctx context.Context, cohortID int64) ([]app.ReleaseMember, error)
	RecordReleases(ctx context.Context, cohortID int64, at time.Time, rs []app.LessonRelease, newIDs func() app.MessageIdentity) (int, error)
	Setting(ctx context.Context, key string, v any) error
}

// DueAt returns when an entry of a cohort's curriculum is released to a
// member whose lessons go by the clock of zone (ZoneOf): its date, or day N of
// the cohort or of the membership (day 1 is the start or join date), at its
// hour (else the digest's); a spring-forward gap moves it to the end of the
// gap, a repeated hour takes its first occurrence. ok is false when it cannot
// be told (a cohort day without a start date).
func DueAt(c app.ReleaseCohort, e app.CurriculumEntry, m app.ReleaseMember, zone *time.Location) (time.Time, bool) {
	hour := c.Digest.Hour
	if e.Hour != nil {
		hour = *e.Hour
	}
	var day time.Time
	switch e.Rule {
	case app.ReleaseOnDate:
		d, err := time.Parse(time.DateOnly, e.Date)
		if err != nil {
			return time.Time{}, false
		}
		day = d
	case app.ReleaseCohortDay:
		d, err := time.Parse(time.DateOnly, c.StartDate)
		if err != nil {
			return time.Time{}, false
		}
		day = d.AddDate(0, 0, e.Day-1)
	case app.ReleaseJoinDay:
		y, mo, dd := JoinedDay(m, zone).In(zone).Date()
		day = time.Date(y, mo, dd+e.Day-1, 0, 0, 0, 0, time.UTC)
	default:
		return time.Time{}, false
	}
	return digest.At(zone, day.Year(), day.Month(), day.Day(), hour), true
}

// ZoneOf is the zone whose clock a member's lessons follow, by the digest
// setting: the coach's or the member's own.
func ZoneOf(c app.ReleaseCohort, m app.ReleaseMember, coach *time.Location) *time.Location {
	return digest.ScheduleOf(c.Digest).ZoneFor(m.TimeZone, coach)
}

// JoinedDay is the first instant of the day a member joined, on their
// lessons' clock: the date the coach gave, else the day of joined_at.
func JoinedDay(m app.ReleaseMember, zone *time.Location) time.Time {
	d, err := time.Parse(time.DateOnly, m.JoinedOn)
	if err != nil {
		y, mo, dd := m.JoinedAt.In(zone).Date()
		d = time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC)
	}
	return digest.At(zone, d.Year(), d.Month(), d.Day(), 0)
}

// Plan returns what is due to the members of a cohort at now and not yet
// released to them. A lesson that fell due on a day before a member joined
// (by date or cohort day; join-day lessons count from the joining; a lesson of
// the joining day itself is theirs as for everyone) is a late joiner's: under app.LateNext it is never sent to them; under
// app.LateCatchUp every lesson due to them goes at once in one welcome mail,
// in the order they fell due. Other lessons go one by one, by mail, or in the
// next digest to members who take the cohort's posts there (when the cohort
// has a digest). A member whose join date is still ahead gets nothing yet.
func Plan(c app.ReleaseCohort, members []app.ReleaseMember, coach *time.Location, now time.Time) []app.LessonRelease {
	type due struct {
		id    int64
		at    time.Time
		order int
	}
	var out []app.LessonRelease
	// A lesson by date or cohort day falls due at the same instant for every
	// member on the same clock: worked out once per zone, not per member (the
	// window's timer asks every minute).
	type key struct {
		entry int
		zone  *time.Location
	}
	shared := map[key]time.Time{}
	for _, m := range members {
		if m.JoinedAt.After(now) {
			continue // joins on a later day the coach gave
		}
		if len(m.Released) >= len(c.Entries) && allReleased(c.Entries, m.Released) {
			continue
		}
		zone := ZoneOf(c, m, coach)
		joinedDay := JoinedDay(m, zone)
		var dues []due
		late := false
		for i, e := range c.Entries {
			if m.Released[e.LessonID] {
				continue
			}
			at, ok := shared[key{i, zone}]
			if !ok {
				if at, ok = DueAt(c, e, m, zone); !ok {
					continue
				}
				if e.Rule != app.ReleaseJoinDay {
					shared[key{i, zone}] = at
				}
			}
			if at.After(now) {
				continue
			}
			if e.Rule != app.ReleaseJoinDay && at.Before(joinedDay) {
				if c.LateJoiners == app.LateNext {
					continue
				}
				late = true
			}
			dues = append(dues, due{e.LessonID, at, i})
		}
		if len(dues) == 0 {
			continue
		}
		sort.SliceStable(dues, func(i, j int) bool {
			if !dues[i].at.Equal(dues[j].at) {
				return dues[i].at.Before(dues[j].at)
			}
			return dues[i].order < dues[j].order
		})
		if late {
			r := app.LessonRelease{ClientID: m.ClientID, Via: app.ViaWelcome}
			for _, d := range dues {
				r.LessonIDs = append(r.LessonIDs, d.id)
			}
			out = append(out, r)
			continue
		}
		via := app.ViaMail
		if m.Delivery == app.DeliveryDigest && c.Digest.Every != app.DigestOff {
			via = app.ViaDigest
		}
		for _, d := range dues {
			out = append(out, app.LessonRelease{ClientID: m.ClientID, LessonIDs: []int64{d.id}, Via: via})
		}
	}
	return out
}

func allReleased(es []app.CurriculumEntry, released map[int64]bool) bool {
	for _, e := range es {
		if !released[e.LessonID] {
			return false
		}
	}
	return true
}

// Summary counts what one release run did.
type Summary struct {
	Lessons  int `json:"lessons"`  // lessons released (by mail, in a digest, or listed in a welcome mail)
	Welcomes int `json:"welcomes"` // catch-up mails to late joiners
}

// Release records and queues every lesson due at now, cohort by cohort, each
// cohort in one transaction (a run stopped half-way keeps whole cohorts, and
// the next run does the rest). With dryRun it only counts.
func Release(ctx context.Context, st Store, now time.Time, newIDs func() app.MessageIdentity, dryRun bool) (Summary, error) {
	var sum Summary
	cohorts, err := st.ReleaseCohorts(ctx)
	if err != nil || len(cohorts) == 0 {
		return sum, err
	}
	coach, err := digest.CoachZone(ctx, st)
	if err != nil {
		return sum, err
	}
	for _, c := range cohorts {
		if err := ctx.Err(); err != nil {
			return sum, app.Wrap(app.ECANCELED, err, "Stopped; the lessons released so far will be sent")
		}
		members, err := st.ReleaseMembers(ctx, c.ID)
		if err != nil {
			return sum, err
		}
		rs := Plan(c, members, coach, now)
		if len(rs) == 0 {
			continue
		}
		if dryRun {
			for _, r := range rs {
				sum.Lessons += len(r.LessonIDs)
				if r.Via == app.ViaWelcome {
					sum.Welcomes++
				}
			}
			continue
		}
		n, err := st.RecordReleases(ctx, c.ID, now, rs, newIDs)
		if err != nil {
			return sum, err
		}
		sum.Lessons += n
		for _, r := range rs {
			if r.Via == app.ViaWelcome {
				sum.Welcomes++
			}
		}
	}
	return sum, nil
}

// Describe says when an entry is released, in a sentence: "Day 3 of the
// cohort at 09:00 (each member's time)".
func Describe(e app.CurriculumEntry, d app.DigestSettings, coach *time.Location) string {
	hour := d.Hour
	if e.Hour != nil {
		hour = *e.Hour
	}
	var when string
	switch e.Rule {
	case app.ReleaseOnDate:
		when = fmt.Sprintf("On %s at %02d:00", e.Date, hour)
	case app.ReleaseCohortDay:
		when = fmt.Sprintf("Day %d of the cohort at %02d:00", e.Day, hour)
	case app.ReleaseJoinDay:
		when = fmt.Sprintf("Day %d after each member joined, at %02d:00", e.Day, hour)
	}
	if d.MemberLocal {
		return when + " (each member's time)"
	}
	return when + " (your time, " + coach.String() + ")"
}

// Coming is a lesson that goes out between two times: the first time it goes
// to a member of the cohort, and to how many members in that span.
type Coming struct {
	CohortID int64
	Cohort   string
	LessonID int64
	Title    string
	At       time.Time
	Members  int
}

// UpcomingStore is what Upcoming reads.
type UpcomingStore interface {
	ReleaseCohorts(ctx context.Context) ([]app.ReleaseCohort, error)
	ReleaseMembers(ctx context.Context, cohortID int64) ([]app.ReleaseMember, error)
	Setting(ctx context.Context, key string, v any) error
}

// Upcoming lists the lessons that fall due in [from, to) to members who have
// not had them, soonest first, by the same clock as Release (DueAt): what the
// home screen's week shows. A join-day lesson counts each member on their own
// day; the list gives its first time and how many it reaches in the span.
// Late joiners' catch-up mails go at the next run and are not listed.
func Upcoming(ctx context.Context, st UpcomingStore, from, to time.Time) ([]Coming, error) {
	cohorts, err := st.ReleaseCohorts(ctx)
	if err != nil || len(cohorts) == 0 {
		return nil, err
	}
	coach, err := digest.CoachZone(ctx, st)
	if err != nil {
		return nil, err
	}
	var out []Coming
	for _, c := range cohorts {
		members, err := st.ReleaseMembers(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range c.Entries {
			u := Coming{CohortID: c.ID, Cohort: c.Name, LessonID: e.LessonID, Title: e.Lesson}
			for _, m := range members {
				if m.Released[e.LessonID] {
					continue
				}
				at, ok := DueAt(c, e, m, ZoneOf(c, m, coach))
				if !ok || at.Before(from) || !at.Before(to) {
					continue
				}
				if u.Members == 0 || at.Before(u.At) {
					u.At = at
				}
				u.Members++
			}
			if u.Members > 0 {
				out = append(out, u)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}
