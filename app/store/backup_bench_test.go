package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/roundtablehq/roundtable/app"
)

// BenchmarkBackup compares the two ways of copying a workspace that is in use
// (see CopyInto), on 50,000 clients, while a writer adds a client every
// millisecond or so: the time of one copy, and the slowest write meanwhile
// (max-write-ms), which is what the window would feel.
func BenchmarkBackup(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	seedClients(b, db, 50000)
	st, _ := os.Stat(db.path)
	b.Logf("workspace: %.1f MB", float64(st.Size())/(1<<20))
	dir := b.TempDir()
	if d := os.Getenv("BENCH_BACKUP_DIR"); d != "" {
		dir = d
	}
	copies := map[string]func(dst string) error{
		"VacuumInto": func(dst string) error { return db.CopyInto(ctx, dst) },
		"BackupAPI": func(dst string) error {
			src, err := db.rdb.Conn(ctx)
			if err != nil {
				return err
			}
			defer src.Close()
			dstDB, err := sql.Open("sqlite3", dst)
			if err != nil {
				return err
			}
			defer dstDB.Close()
			out, err := dstDB.Conn(ctx)
			if err != nil {
				return err
			}
			defer out.Close()
			return out.Raw(func(d any) error {
				return src.Raw(func(s any) error {
					bk, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
					if err != nil {
						return err
					}
					if _, err := bk.Step(-1); err != nil {
						bk.Finish()
						return err
					}
					return bk.Finish()
				})
			})
		},
	}
	// The writer alone for as long as a copy takes: what the disk costs anyway.
	copies["NoCopy"] = func(string) error { time.Sleep(300 * time.Millisecond); return nil }
	for _, name := range []string{"NoCopy", "VacuumInto", "BackupAPI"} {
		b.Run(name, func(b *testing.B) {
			var worst time.Duration
			for b.Loop() {
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						start := time.Now()
						if _, err := db.CreateClient(ctx, app.ClientInput{Name: "W", Email: fmt.Sprintf("w%s%d-%d@example.com", name, time.Now().UnixNano(), i)}); err != nil {
							b.Error(err)
							return
						}
						if d := time.Since(start); d > worst {
							worst = d
						}
						time.Sleep(time.Millisecond)
					}
				}()
				dst := filepath.Join(dir, fmt.Sprintf("%s-%d.db", name, time.Now().UnixNano()))
				err := copies[name](dst)
				close(stop)
				wg.Wait()
				if err != nil {
					b.Fatal(err)
				}
				os.Remove(dst)
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "max-write-ms")
		})
	}
}

// BenchmarkBackupLarge copies a workspace of about BENCH_BACKUP_MB megabytes
// (default 1024: 10,000 clients, and posts whose attachments make up the rest,
// which is how a coach's file grows) with VACUUM INTO, while "the window" works
// on: every 50 ms it reads the first page of the clients list (the call the
// window makes most) and adds a client. It reports the copy's seconds and the
// slowest read and write meanwhile (max-read-ms, max-write-ms). Skipped unless
// BENCH_BACKUP_MB is set: building the file takes a minute.
func BenchmarkBackupLarge(b *testing.B) {
	mb := 0
	fmt.Sscan(os.Getenv("BENCH_BACKUP_MB"), &mb)
	if mb == 0 {
		b.Skip("set BENCH_BACKUP_MB (e.g. 1024) to build a workspace that large")
	}
	ctx := context.Background()
	db := openTest(b)
	seedClients(b, db, 10000)
	cohort, err := db.CreateCohort(ctx, app.CohortInput{Name: "Big", Kind: app.KindMastermind})
	if err != nil {
		b.Fatal(err)
	}
	blob := make([]byte, 8<<20)
	for i := range blob {
		blob[i] = byte(i*7 + i/4096)
	}
	for size := int64(0); size < int64(mb)<<20; {
		p, err := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Slides", Body: "The slides."})
		if err != nil {
			b.Fatal(err)
		}
		blob[0]++ // no two alike
		if _, err := db.AddPostAttachment(ctx, p.ID, "slides.pdf", "application/pdf", blob); err != nil {
			b.Fatal(err)
		}
		st, _ := os.Stat(db.path)
		size = st.Size()
	}
	st, _ := os.Stat(db.path)
	b.Logf("workspace: %.0f MB", float64(st.Size())/(1<<20))
	dir := b.TempDir()
	if d := os.Getenv("BENCH_BACKUP_DIR"); d != "" {
		dir = d
	}
	var worstRead, worstWrite, copyTime time.Duration
	for b.Loop() {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
				start := time.Now()
				if _, err := db.ListClients(ctx, app.ClientFilter{Limit: 100}); err != nil {
					b.Error(err)
					return
				}
				worstRead = max(worstRead, time.Since(start))
				start = time.Now()
				if _, err := db.CreateClient(ctx, app.ClientInput{Name: "W", Email: fmt.Sprintf("large%d-%d@example.com", time.Now().UnixNano(), i)}); err != nil {
					b.Error(err)
					return
				}
				worstWrite = max(worstWrite, time.Since(start))
			}
		}()
		dst := filepath.Join(dir, fmt.Sprintf("large-%d.db", time.Now().UnixNano()))
		start := time.Now()
		err := db.CopyInto(ctx, dst)
		copyTime += time.Since(start)
		close(stop)
		wg.Wait()
		if err != nil {
			b.Fatal(err)
		}
		os.Remove(dst)
	}
	b.ReportMetric(copyTime.Seconds()/float64(b.N), "copy-s")
	b.ReportMetric(float64(worstRead.Microseconds())/1000, "max-read-ms")
	b.ReportMetric(float64(worstWrite.Microseconds())/1000, "max-write-ms")
}
