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
