// Package digest decides who is due a digest and when, and records them: each
// cohort's schedule (in the coach's time or each member's own), the period a
// digest belongs to, and the items it carries. The store records a period once
// and the outbox sends it; this package holds the rules.
package digest

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// Store is what building digests needs from the workspace.
type Store interface {
	DigestCohorts(ctx context.Context) ([]app.DigestCohort, error)
	DigestMembers(ctx context.Context, cohortID int64) ([]app.DigestMember, error)
	RecordDigests(ctx context.Context, cohortID int64, until time.Time, dues []app.DigestDue, newIDs func() app.MessageIdentity) (int, error)
	DigestSettings(ctx context.Context, cohortID int64) (app.DigestSettings, error)
	SaveDigestSettings(ctx context.Context, cohortID int64, s app.DigestSettings) error
	LastDigestUntil(ctx context.Context, cohortID, clientID int64) (time.Time, error)
	PreviewDigest(ctx context.Context, cohortID, clientID int64, since, until time.Time) (app.Digest, error)
	FindClientByID(ctx context.Context, id int64) (app.Client, error)
	Setting(ctx context.Context, key string, v any) error
}

// Plan returns the members of a cohort due a digest at now, each with the
// period it belongs to (one period, the latest, however many were missed), the
// zone it is written in, and where its news start: the end of their previous
// digest, or for their first one a period back (never before they joined).
func Plan(c app.DigestCohort, members []app.DigestMember, coach *time.Location, now time.Time) []app.DigestDue {
	s := ScheduleOf(c.Settings)
	var dues []app.DigestDue
	for _, m := range members {
		zone := s.ZoneFor(m.TimeZone, coach)
		period, due := s.Due(zone, m.LastPeriod, m.Joined, now)
		if !due {
			continue
		}
		since := m.LastUntil
		if since.IsZero() {
			since = period.Add(-s.length())
			if m.Joined.After(since) {
				since = m.Joined
			}
		}
		dues = append(dues, app.DigestDue{ClientID: m.ClientID, Period: period, Zone: zone.String(), Since: since})
	}
	return dues
}

// length is how far back a member's first digest reaches.
func (s Schedule) length() time.Duration {
	if s.Every == EveryDay {
		return 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// Summary counts what one run did.
type Summary struct {
	Cohorts int `json:"cohorts"` // cohorts with members due
	Digests int `json:"digests"` // copies queued
}

// Run records and queues every digest due at now, cohort by cohort. A cohort
// that fails stops the run with its error; what was recorded before stays (each
// cohort is its own transaction, and a rerun picks up the rest).
func Run(ctx context.Context, st Store, now time.Time, newIDs func() app.MessageIdentity) (Summary, error) {
	var sum Summary
	coach, err := CoachZone(ctx, st)
	if err != nil {
		return sum, err
	}
	cohorts, err := st.DigestCohorts(ctx)
	if err != nil {
		return sum, err
	}
	for _, c := range cohorts {
		if err := ctx.Err(); err != nil {
			return sum, app.Wrap(app.ECANCELED, err, "Stopped; the digests recorded so far will be sent")
		}
		members, err := st.DigestMembers(ctx, c.ID)
		if err != nil {
			return sum, err
		}
		dues := Plan(c, members, coach, now)
		if len(dues) == 0 {
			continue
		}
		n, err := st.RecordDigests(ctx, c.ID, now, dues, newIDs)
		if err != nil {
			return sum, err
		}
		sum.Cohorts++
		sum.Digests += n
	}
	return sum, nil
}

// Settings returns a cohort's digest settings, described in a sentence, with
// when the next digest goes (in the coach's zone, for member-local schedules
// the next one anywhere is not known: the coach's hour is shown).
func Settings(ctx context.Context, st Store, cohortID int64, now time.Time) (app.DigestSettings, error) {
	d, err := st.DigestSettings(ctx, cohortID)
	if err != nil {
		return d, err
	}
	coach, err := CoachZone(ctx, st)
	if err != nil {
		return d, err
	}
	s := ScheduleOf(d)
	d.Described = s.DescribeIn(coach)
	if next, ok := s.Next(coach, now); ok {
		d.Next = &next
	}
	return d, nil
}

// SaveSettings checks and saves a cohort's digest settings.
func SaveSettings(ctx context.Context, st Store, cohortID int64, d app.DigestSettings) error {
	if err := ScheduleOf(d).Check(); err != nil {
		return err
	}
	return st.SaveDigestSettings(ctx, cohortID, d)
}

// Preview is the next digest a member would get, and when: what the window's
// preview and `roundtable digest preview` show. at is the moment to look from
// (now, or a time the coach chose).
func Preview(ctx context.Context, st Store, cohortID, clientID int64, at time.Time) (app.Digest, time.Time, error) {
	d, err := st.DigestSettings(ctx, cohortID)
	if err != nil {
		return app.Digest{}, time.Time{}, err
	}
	c, err := st.FindClientByID(ctx, clientID)
	if err != nil {
		return app.Digest{}, time.Time{}, err
	}
	coach, err := CoachZone(ctx, st)
	if err != nil {
		return app.Digest{}, time.Time{}, err
	}
	s := ScheduleOf(d)
	zone := s.ZoneFor(c.TimeZone, coach)
	sendAt, ok := s.Next(zone, at)
	if !ok {
		sendAt = at // digests are off: show what one would carry now
	}
	since, err := st.LastDigestUntil(ctx, cohortID, clientID)
	if err != nil {
		return app.Digest{}, time.Time{}, err
	}
	if since.IsZero() {
		since = sendAt.Add(-s.length())
	}
	p, err := st.PreviewDigest(ctx, cohortID, clientID, since, at)
	if err != nil {
		return p, sendAt, err
	}
	p.Zone, p.Period = zone.String(), sendAt
	return p, sendAt, nil
}

// CoachZoneKey names the coach's time zone in the workspace's settings.
const CoachZoneKey = "coach_time_zone"

// CoachZone returns the coach's time zone: the one in the settings, else this
// computer's (by its IANA name, so that it can be written down with a digest).
func CoachZone(ctx context.Context, st interface {
	Setting(ctx context.Context, key string, v any) error
}) (*time.Location, error) {
	var name string
	err := st.Setting(ctx, CoachZoneKey, &name)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	if name == "" {
		name = LocalZoneName()
	}
	return Zone(name, time.UTC), nil
}

// LocalZoneName is this computer's time zone by its IANA name ("Europe/Paris"),
// or "UTC" when it cannot be told: $TZ, then the /etc/localtime link on Linux
// and macOS. (On Windows, time.Local has no IANA name; the coach picks one in
// the settings.)
func LocalZoneName() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
	}
	if runtime.GOOS != "windows" {
		if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
			if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
				if _, err := time.LoadLocation(name); err == nil {
					return name
				}
			}
		}
	}
	return "UTC"
}
