// Roundtable's window program: it opens the coach's window. On Linux it is
// installed as roundtable-window, beside or under the command-line program
// (app/cli/roundtable), which runs commands without loading the webview and
// hands over to this one when there is none. This program still runs every
// command itself (see app/cli), for whoever calls it directly, and it is the
// only program on Windows and macOS (see docs/benchmarks.md, issue 12). This
// file only wires the parts together.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/cli"
	"github.com/roundtablehq/roundtable/app/csp"
	"github.com/roundtablehq/roundtable/app/demo"
	"github.com/roundtablehq/roundtable/app/display"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/secret"
	"github.com/roundtablehq/roundtable/app/store"
	"github.com/roundtablehq/roundtable/app/ui"
	"github.com/roundtablehq/roundtable/app/window"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	workspace, args := cli.TakeWorkspaceFlag(os.Args[1:])
	if cli.IsCommand(args) {
		attachConsole()
		os.Exit(cli.Run(&cli.Env{Ctx: context.Background(), Workspace: workspace,
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, args))
	}
	if len(args) > 0 && args[0] == cli.OpenWord {
		args = args[1:]
	}
	// The rest of the arguments belong to Wails (the dev build reads its own flags).
	os.Args = append(os.Args[:1], args...)
	err := display.Check()
	var next reopening
	if err == nil {
		next, err = runWindow(workspace)
	}
	if err == nil && next.restore != "" {
		// The window asked to restore a backup: now that it is closed and the
		// workspace free, restore, and tell the next window how it went.
		os.Setenv(ui.RestoredEnv, ui.RestoreAfterClose(next.path, next.restore))
	}
	if err == nil && next.path != "" {
		// The window asked to reopen on another workspace (the demo, or back
		// from it, or after a restore): start afresh on that file, with the
		// same Wails arguments.
		err = relaunch(next.path, args)
	}
	if err != nil {
		msg := app.ErrorMessage(err)
		if app.ErrorCode(err) == app.EINTERNAL {
			msg = err.Error() // not ours: its own words are all there is
		}
		fmt.Fprintln(os.Stderr, "roundtable:", msg)
		os.Exit(1)
	}
}

// windowAssets serves the frontend with the window's Content-Security-Policy as a
// header on every response (csp.ForBuild: the dev build alone allows websockets),
// and the view to open on in the page when a script asked for one.
func windowAssets(files fs.FS) *assetserver.Options {
	withCSP := csp.Middleware(csp.ForBuild)
	return &assetserver.Options{Assets: files, Middleware: func(next http.Handler) http.Handler {
		return withCSP(ui.StartRoutePage(next))
	}}
}

// reopening is what the window asked for as it closed: a workspace to open
// again (path, "" for none), after restoring a backup into it (restore).
type reopening struct{ path, restore string }

// runWindow runs the window on the workspace until it closes. It returns what
// to reopen when the coach asked to switch or restore (see ui.OnReopen, ui.OnRestore).
func runWindow(workspace string) (reopening, error) {
	if workspace == "" {
		p, err := app.DefaultWorkspacePath()
		if err != nil {
			return reopening{}, err
		}
		workspace = p
	}
	separateWebKitStorage()
	db, openErr := store.OpenAs(workspace, store.HolderWindow)
	if openErr != nil {
		// Tell the coach in a dialog as well as on the terminal: a window app is
		// usually started from a menu, where nobody reads stderr.
		slog.Error("workspace", "path", workspace, "err", openErr)
		// The dialog's own failure (no display) changes nothing: the sentence
		// still goes to stderr and the exit status is not 0.
		wails.Run(&options.App{
			Title: "Roundtable", Width: 480, Height: 200,
			AssetServer: windowAssets(assets),
			OnStartup: func(ctx context.Context) {
				runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.ErrorDialog,
					Title: "Roundtable cannot open the workspace", Message: app.ErrorMessage(openErr)})
				runtime.Quit(ctx)
			},
		})
		return reopening{}, openErr
	}
	defer db.Close()
	go db.Warm(context.Background()) // beside GTK's and WebKit's start

	secrets, err := secret.Open(workspace, os.Getenv(cli.KeyringEnv) == "off")
	if err != nil {
		// The passwords may still be beside the workspace: the account settings
		// will ask for them again, and the log says why.
		slog.Error("passwords", "err", err)
	}
	workspaceSvc := ui.NewWorkspaceService(db, workspace)
	title := "Roundtable"
	if _, isDemo := demo.ReturnTo(context.Background(), db); isDemo {
		title = "Roundtable — demo workspace"
	}
	var next reopening
	clients := ui.NewClientService(db)
	cohorts := ui.NewCohortService(db)
	mail := ui.NewMailService(db, secrets)
	conversations := ui.NewConversationService(db, secrets)
	digests := ui.NewDigestService(db)
	sessionsSvc := ui.NewSessionService(db)
	homeSvc := ui.NewHomeService(db)
	contentSvc := ui.NewContentService(db)
	searchSvc := ui.NewSearchService(db)
	var outgoing *sending.Sending
	// The window opens where the coach left it (see app/window).
	geometryFile, _ := window.DefaultFile()
	geometry, restore := window.Load(geometryFile)
	if !restore {
		geometry = window.Geometry{Width: 1200, Height: 780}
	}
	err = wails.Run(&options.App{
		Title:            title,
		Width:            geometry.Width,
		Height:           geometry.Height,
		MinWidth:         820,
		MinHeight:        520,
		AssetServer:      windowAssets(assets),
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 249, A: 255},
		OnStartup: func(ctx context.Context) {
			if restore {
				runtime.WindowSetPosition(ctx, geometry.X, geometry.Y)
			}
			ui.Startup(ctx, workspaceSvc, clients, cohorts, mail, conversations, digests, sessionsSvc, contentSvc, homeSvc, searchSvc)
			ui.OnQuit(workspaceSvc, func() { ui.RememberWindow(ctx, geometryFile) })
			ui.OnReopen(workspaceSvc, func(path string) {
				next = reopening{path: path}
				runtime.Quit(ctx)
			})
			ui.OnRestore(workspaceSvc, func(file string) {
				next = reopening{path: workspace, restore: file}
				runtime.Quit(ctx)
			})
			snd, err := sending.Start(ctx, db, secrets, ui.OutboxReporter(mail))
			if err != nil {
				runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.ErrorDialog,
					Title: "Sending could not start", Message: app.ErrorMessage(err)})
				runtime.Quit(ctx)
				return
			}
			outgoing = snd
			ui.AttachSending(mail, snd)
			ui.StartInbox(ctx, conversations, snd, 5*time.Minute)
			every, ahead := dueTimer()
			ui.StartDigests(ctx, digests, snd, every, ahead)
			ui.StartBackups(ctx, workspaceSvc, time.Minute, time.Hour)
			ui.StartSessions(sessionsSvc, cohorts, snd)
			ui.StartContent(contentSvc, snd)
		},
		OnBeforeClose: func(ctx context.Context) bool {
			ui.RememberWindow(ctx, geometryFile)
			return false
		},
		OnShutdown: func(context.Context) {
			if outgoing != nil {
				outgoing.Close()
			}
		},
		Bind:    []any{workspaceSvc, clients, cohorts, mail, conversations, digests, sessionsSvc, contentSvc, homeSvc, searchSvc},
		Linux:   &linux.Options{ProgramName: "roundtable", Icon: icon, WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		Windows: &windows.Options{WebviewUserDataPath: webviewDataPath()},
	})
	return next, err
}

// webviewDataPath is where WebView2 keeps its own storage on Windows:
// %LocalAppData%\Roundtable\WebView2, out of the roaming folder that holds the
// workspace (by itself it would write beside the program's name in %AppData%).
// Elsewhere it is unused; "" leaves the default.
func webviewDataPath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "Roundtable", "WebView2")
}
