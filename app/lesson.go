package app

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Lesson is one lesson of the coach's library: Markdown like a post, in a
// module, reusable across cohorts, with an optional check-in question and an
// optional "reply done when finished".
type Lesson struct {
	ID      int64  `json:"id"`
	Slug    string `json:"slug"` // its file's name in a Markdown folder, without ".md"
	Title   string `json:"title"`
	Module  string `json:"module"`
	Order   int    `json:"order"`
	Body    string `json:"body"` // Markdown
	CheckIn string `json:"checkIn"`
	// AskDone adds "reply done when you have finished" to the mail.
	AskDone   bool      `json:"askDone"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// LessonInput is what the coach (or a Markdown file) sets on a lesson. Slug
// may be "": it is made from the title.
type LessonInput struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Module  string `json:"module"`
	Order   int    `json:"order"`
	Body    string `json:"body"`
	CheckIn string `json:"checkIn"`
	AskDone bool   `json:"askDone"`
}

// LessonImport counts what importing a folder of lessons did to the library.
type LessonImport struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Release rules: when a curriculum entry releases its lesson.
const (
	ReleaseOnDate    = "date"       // on a date, at an hour
	ReleaseCohortDay = "cohort_day" // on day N of the cohort (day 1 is its start date)
	ReleaseJoinDay   = "join_day"   // on day N of each member's membership (day 1 is the day they joined)
)

// What a cohort does for a member who joins after lessons were due.
const (
	LateCatchUp = "catch_up" // every lesson already due, at once, in one welcome mail
	LateNext    = "next"     // only the lessons still to come
)

// How a lesson reached a member (LessonRelease.Via).
const (
	ViaMail    = "mail"    // their own copy
	ViaDigest  = "digest"  // an item of their next digest
	ViaWelcome = "welcome" // listed in the catch-up mail
)

// CurriculumEntry is when one lesson is released in a cohort.
type CurriculumEntry struct {
	LessonID int64  `json:"lessonId"`
	Lesson   string `json:"lesson"` // its title
	Module   string `json:"module"`
	Order    int    `json:"order"`
	Rule     string `json:"rule"` // ReleaseOnDate, ReleaseCohortDay or ReleaseJoinDay
	Date     string `json:"date"` // YYYY-MM-DD, for ReleaseOnDate
	Day      int    `json:"day"`  // N, for the day rules
	// Hour is the local hour of release; nil: the cohort's digest hour.
	Hour *int `json:"hour"`
	// Released counts the members it was released to.
	Released int `json:"released"`
	// Described says when, in a sentence, for the window and the CLI.
	Described string `json:"described"`
}

// Curriculum is a cohort's schedule of lessons, in release order.
type Curriculum struct {
	CohortID    int64             `json:"cohortId"`
	Cohort      string            `json:"cohort"`
	StartDate   string            `json:"startDate"`
	LateJoiners string            `json:"lateJoiners"` // LateCatchUp or LateNext
	Entries     []CurriculumEntry `json:"entries"`
}

// CurriculumInput sets when one lesson is released in a cohort: Rule with Date
// and Hour, or with Day (Hour nil for the digest's hour).
type CurriculumInput struct {
	CohortID int64  `json:"cohortId"`
	LessonID int64  `json:"lessonId"`
	Rule     string `json:"rule"`
	Date     string `json:"date"`
	Day      int    `json:"day"`
	Hour     *int   `json:"hour"`
}

// ReleaseCohort is a cohort with a curriculum, with what its releases need:
// its start, its late-joiner rule and its digest setting (whose hour and zone
// lessons follow).
type ReleaseCohort struct {
	ID          int64
	Name        string
	StartDate   string
	LateJoiners string
	Digest      DigestSettings
	Entries     []CurriculumEntry
}

// ReleaseMember is a current member who can receive lessons, with the lessons
// already released to them.
type ReleaseMember struct {
	ClientID int64
	TimeZone string
	Delivery string
	JoinedAt time.Time
	JoinedOn string // YYYY-MM-DD the coach gave, or ""
	Released map[int64]bool
}

// LessonRelease is what one run releases to one member: one lesson (by mail
// or in their digest) or, for a late joiner catching up, every lesson due in
// one welcome mail, in order.
type LessonRelease struct {
	ClientID  int64
	LessonIDs []int64
	Via       string
}

// Lesson check-in states, as the progress grid shows them.
const (
	LessonNotReleased = "not_released"
	LessonReleased    = "released"
	LessonReplied     = "replied"
	LessonDone        = "done"
	LessonExcused     = "excused"
)

// ProgressCell is one member's state on one lesson.
type ProgressCell struct {
	LessonID    int64      `json:"lessonId"`
	State       string     `json:"state"`
	ReleasedAt  *time.Time `json:"releasedAt"`
	CheckInText string     `json:"checkInText"` // their latest reply to the lesson
	ReplyID     int64      `json:"replyId"`     // that reply, to open it; 0 for none
}

// ProgressRow is one member's line of the grid with their counts.
type ProgressRow struct {
	ClientID int64          `json:"clientId"`
	Name     string         `json:"name"`
	Email    string         `json:"email"`
	Cells    []ProgressCell `json:"cells"`
	Released int            `json:"released"`
	Replied  int            `json:"replied"` // replied or done
	Done     int            `json:"done"`
}

// ProgressLesson is one column of the grid with its counts.
type ProgressLesson struct {
	LessonID int64  `json:"lessonId"`
	Title    string `json:"title"`
	Released int    `json:"released"`
	Replied  int    `json:"replied"` // replied or done
	Done     int    `json:"done"`
}

// ProgressGrid is a cohort's members × lessons at a glance.
type ProgressGrid struct {
	CohortID int64            `json:"cohortId"`
	Cohort   string           `json:"cohort"`
	Lessons  []ProgressLesson `json:"lessons"`
	Members  []ProgressRow    `json:"members"`
}

// LessonMail is the subject and Markdown body of a lesson as members receive
// it: the lesson, then its check-in question and the "done" hint.
func LessonMail(l Lesson) (subject, body string) {
	return l.Title, strings.TrimRight(l.Body, "\n") + lessonFooter(l)
}

func lessonFooter(l Lesson) string {
	var b strings.Builder
	if q := strings.TrimSpace(l.CheckIn); q != "" {
		fmt.Fprintf(&b, "\n\n**Check-in:** %s Reply to this email to answer.", q)
	}
	if l.AskDone {
		b.WriteString("\n\nReply **done** when you have finished this lesson.")
	}
	return b.String() + "\n"
}

// WelcomeMail is the one mail a late joiner catching up receives: every lesson
// already due, in order, each under its title.
func WelcomeMail(cohort string, ls []Lesson) (subject, body string) {
	var b strings.Builder
	if len(ls) == 1 {
		fmt.Fprintf(&b, "Welcome to %s! Here is the lesson the group has had so far.\n", cohort)
	} else {
		fmt.Fprintf(&b, "Welcome to %s! Here are the %d lessons the group has had so far, in order:\n\n", cohort, len(ls))
		for i, l := range ls {
			fmt.Fprintf(&b, "%d. %s\n", i+1, l.Title)
		}
	}
	for _, l := range ls {
		fmt.Fprintf(&b, "\n---\n\n## %s\n\n%s", l.Title, strings.TrimRight(l.Body, "\n")+lessonFooter(l))
	}
	if len(ls) > 1 {
		fmt.Fprintf(&b, "\nA reply to this email is your check-in for “%s”.\n", ls[len(ls)-1].Title)
	}
	return "Welcome to " + cohort + ": your lessons so far", b.String()
}

// LessonSlug makes a file name for a lesson from its title: lower case ASCII
// letters and digits joined by dashes ("Week 1: Café" → "week-1-cafe").
func LessonSlug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(title)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "lesson"
	}
	return b.String()
}

// CheckLesson says, in a sentence, what is wrong with a lesson.
func CheckLesson(in LessonInput) error {
	switch {
	case strings.TrimSpace(in.Title) == "":
		return FieldErrorf(EINVALID, "title", "Give the lesson a title: it is the subject members see.")
	case strings.ContainsAny(in.Title, "\r\n"):
		return FieldErrorf(EINVALID, "title", "The lesson's title must be one line.")
	case strings.TrimSpace(in.Body) == "":
		return FieldErrorf(EINVALID, "body", "The lesson %q is empty; write something first.", in.Title)
	case strings.ContainsAny(in.CheckIn, "\r\n"):
		return FieldErrorf(EINVALID, "checkIn", "The check-in question must be one line.")
	}
	return nil
}

// LessonUse is where a lesson is used: what the coach is asked before deleting
// it, and told after.
type LessonUse struct {
	Title string `json:"title"`
	// Cohorts is how many cohorts have it in their curriculum.
	Cohorts int `json:"cohorts"`
	// Members is how many members it was released to (in all cohorts).
	Members int `json:"members"`
}
