package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/roundtablehq/roundtable/app"
)

// BenchmarkBackup compares ways of copying a workspace that is in use (see
// CopyInto: the backup API in slices; VACUUM INTO, as before; the backup API
// in one step), on 50,000 clients, while a writer adds a client every
// millisecond or so: the time of one copy, and the slowest write meanwhile
// (max-write-ms), which is what the window would feel.
func BenchmarkBackup(b *testing.B) {
	if v := os.Getenv("BENCH_COPY_NICE"); v != "" {
		fmt.Sscan(v, &copyNice)
	}
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
		"CopyInto":   func(dst string) error { return db.CopyInto(ctx, dst) },
		"VacuumInto": func(dst string) error { _, err := db.rdb.ExecContext(ctx, "VACUUM INTO ?", dst); return err },
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
	for _, name := range []string{"NoCopy", "CopyInto", "VacuumInto", "BackupAPI"} {
		b.Run(name, func(b *testing.B) {
			var w windowStats
			for b.Loop() {
				stop := playWindow(b, db, time.Millisecond, false, &w)
				dst := filepath.Join(dir, fmt.Sprintf("%s-%d.db", name, time.Now().UnixNano()))
				err := copies[name](dst)
				stop()
				if err != nil {
					b.Fatal(err)
				}
				os.Remove(dst)
			}
			b.ReportMetric(float64(w.worstWrite.Microseconds())/1000, "max-write-ms")
		})
	}
}

// BenchmarkBackupLarge copies a workspace of about BENCH_BACKUP_MB megabytes
// (default 1024: 10,000 clients, and posts whose attachments make up the rest,
// which is how a coach's file grows) while "the window" works on: every 50 ms
// it reads the first page of the clients list (the call the window makes
// most) and adds a client. It reports the copy's seconds (copy-s), then the
// check and fsync backup.Create makes before naming a copy (check-s), and,
// over both, the slowest read and write (max-read-ms, max-write-ms) and how
// many of the window's calls took over 100 ms (calls>100ms, of calls): for
// CopyInto, for the VACUUM INTO it replaced (before/after in the same
// minutes), and for no copy at all over 4 s (what the shared machine costs
// anyway). Skipped unless
// BENCH_BACKUP_MB is set: building the file takes minutes, so with
// BENCH_BACKUP_WORKSPACE=FILE it is built once there and reused by later runs.
func BenchmarkBackupLarge(b *testing.B) {
	mb := 0
	fmt.Sscan(os.Getenv("BENCH_BACKUP_MB"), &mb)
	if mb == 0 {
		b.Skip("set BENCH_BACKUP_MB (e.g. 1024) to build a workspace that large")
	}
	ctx := context.Background()
	db := largeWorkspace(b, mb)
	st, _ := os.Stat(db.path)
	b.Logf("workspace: %.0f MB", float64(st.Size())/(1<<20))
	dir := b.TempDir()
	if d := os.Getenv("BENCH_BACKUP_DIR"); d != "" {
		dir = d
	}
	copies := map[string]func(dst string) error{
		"CopyInto":   func(dst string) error { return db.CopyInto(ctx, dst) },
		"VacuumInto": func(dst string) error { _, err := db.rdb.ExecContext(ctx, "VACUUM INTO ?", dst); return err },
		"NoCopy":     func(string) error { time.Sleep(4 * time.Second); return nil },
	}
	// Other paces of CopyInto, to try: pages a step, the pause between
	// steps, megabytes between flushes.
	if v := os.Getenv("BENCH_COPY_STEP"); v != "" {
		fmt.Sscan(v, &copyStepPages)
	}
	if v := os.Getenv("BENCH_COPY_PAUSE"); v != "" {
		copyPause, _ = time.ParseDuration(v)
	}
	if v := os.Getenv("BENCH_COPY_FLUSH_MB"); v != "" {
		fmt.Sscan(v, &copyFlushBytes)
		copyFlushBytes <<= 20
	}
	if v := os.Getenv("BENCH_COPY_NICE"); v != "" {
		fmt.Sscan(v, &copyNice)
	}
	names := []string{"NoCopy", "CopyInto", "VacuumInto"}
	// A whole `roundtable backup create` in a process of its own, beside this
	// one writing as the window would: BENCH_BACKUP_CMDS=NAME=BINARY,... (a
	// build before and after a change, say); its time is start to exit.
	for _, c := range strings.Split(os.Getenv("BENCH_BACKUP_CMDS"), ",") {
		label, bin, ok := strings.Cut(c, "=")
		if !ok {
			continue
		}
		name := "Process-" + label
		names = append(names, name)
		copies[name] = func(string) error {
			out := filepath.Join(dir, "process")
			cmd := exec.Command(bin, "backup", "create", out)
			cmd.Env = append(os.Environ(), "ROUNDTABLE_WORKSPACE="+db.path)
			if msg, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("%s: %v: %s", bin, err, msg)
			}
			return nil
		}
	}
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			var w windowStats
			var copyTime, checkTime time.Duration
			for b.Loop() {
				stop := playWindow(b, db, 50*time.Millisecond, true, &w)
				dst := filepath.Join(dir, fmt.Sprintf("large-%d.db", time.Now().UnixNano()))
				start := time.Now()
				err := copies[name](dst)
				copyTime += time.Since(start)
				if err == nil && (name == "CopyInto" || name == "VacuumInto") {
					// What backup.Create does next: check the copy through, and
					// put it on the disk before naming it.
					start = time.Now()
					if _, err = InspectCopy(ctx, dst, true); err == nil {
						err = syncFile(dst)
					}
					checkTime += time.Since(start)
				}
				stop()
				if err != nil {
					b.Fatal(err)
				}
				// Removing a gigabyte makes the disk busy too: only once the
				// window has stopped.
				os.Remove(dst)
				os.RemoveAll(filepath.Join(dir, "process"))
			}
			b.ReportMetric(copyTime.Seconds()/float64(b.N), "copy-s")
			b.ReportMetric(checkTime.Seconds()/float64(b.N), "check-s")
			b.ReportMetric(float64(w.worstRead.Microseconds())/1000, "max-read-ms")
			b.ReportMetric(float64(w.worstWrite.Microseconds())/1000, "max-write-ms")
			b.ReportMetric(float64(w.over), "calls>100ms")
			b.ReportMetric(float64(w.calls), "calls")
		})
	}
}

// windowStats is what the window felt while copies ran: its slowest read and
// write, and how many of its calls took over 100 ms, of how many.
type windowStats struct {
	worstRead, worstWrite time.Duration
	over, calls           int
}

// playWindow plays the window until the returned stop is called: every
// interval it reads the first page of the clients list (with reads) and adds
// a client, adding what it felt to w.
func playWindow(b *testing.B, db *DB, every time.Duration, reads bool, w *windowStats) (stop func()) {
	ctx := context.Background()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	felt := func(start time.Time, worst *time.Duration) {
		d := time.Since(start)
		*worst = max(*worst, d)
		if d > 100*time.Millisecond {
			w.over++
		}
		w.calls++
	}
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-time.After(every):
			}
			if reads {
				start := time.Now()
				if _, err := db.ListClients(ctx, app.ClientFilter{Limit: 100}); err != nil {
					b.Error(err)
					return
				}
				felt(start, &w.worstRead)
			}
			start := time.Now()
			if _, err := db.CreateClient(ctx, app.ClientInput{Name: "W", Email: fmt.Sprintf("w%d-%d@example.com", time.Now().UnixNano(), i)}); err != nil {
				b.Error(err)
				return
			}
			felt(start, &w.worstWrite)
		}
	}()
	return func() { close(done); wg.Wait() }
}

// syncFile puts the file at path on the disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// largeWorkspace opens a workspace of about mb megabytes: the one at
// BENCH_BACKUP_WORKSPACE when it is there, else one built (there, or in a
// temporary folder) of 10,000 clients and posts with 8 MB attachments.
func largeWorkspace(b *testing.B, mb int) *DB {
	ctx := context.Background()
	path := os.Getenv("BENCH_BACKUP_WORKSPACE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "workspace.db")
	}
	_, err := os.Stat(path)
	built := err == nil
	db, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if built {
		return db
	}
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
	return db
}
