package render

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// BenchmarkRenderAndBuild personalises a typical 400-word announcement for one
// member and builds the message, as the outbox does for every recipient. The
// project needs 500 messages a second end to end including SMTP.
func BenchmarkRenderAndBuild(b *testing.B) {
	c := readContent(b, "testdata/announcement.md")
	env := envelope()
	env.Date = time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	size := 0
	for i := 0; b.Loop(); i++ {
		v := Vars{
			FirstName:   fmt.Sprint("Member", i%100),
			Name:        fmt.Sprint("Member", i%100, " Example"),
			Email:       fmt.Sprint("member", i%100, "@example.com"),
			CohortName:  "Spring Cohort",
			CoachName:   "Coach Carla",
			Unsubscribe: "mailto:unsubscribe@coach.example?subject=unsubscribe",
		}
		body, err := Render(c, v)
		if err != nil {
			b.Fatal(err)
		}
		env.ToName, env.ToEmail = v.Name, v.Email
		env.MessageID = NewMessageID("coach.example")
		msg, err := Build(env, body, nil)
		if err != nil {
			b.Fatal(err)
		}
		size = len(msg)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(size), "bytes/msg")
}

// BenchmarkRender is Render alone, to see where the time goes.
func BenchmarkRender(b *testing.B) {
	c := readContent(b, "testdata/announcement.md")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(c, member); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is Build alone.
func BenchmarkBuild(b *testing.B) {
	body, err := Render(readContent(b, "testdata/announcement.md"), member)
	if err != nil {
		b.Fatal(err)
	}
	env := envelope()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(env, body, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderAndBuildNothingShared changes every paragraph for every
// member, so no sanitised block can be reused: the cost of a one-off message.
func BenchmarkRenderAndBuildNothingShared(b *testing.B) {
	c := readContent(b, "testdata/announcement.md")
	base := c.Markdown
	env := envelope()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Markdown = strings.ReplaceAll(base, "\n\n", fmt.Sprintf(" %d\n\n", i))
		body, err := Render(c, member)
		if err != nil {
			b.Fatal(err)
		}
		env.MessageID = NewMessageID("coach.example")
		if _, err := Build(env, body, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
