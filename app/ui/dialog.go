package ui

import (
	"context"
	"os"
	"path/filepath"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// DialogFileEnv names an environment variable that, when set, answers every file
// dialog with its value instead of opening one. The browser tests use it: a
// system dialog cannot be driven from a web page.
const DialogFileEnv = "ROUNDTABLE_TEST_DIALOG_FILE"

func openDialog(ctx context.Context, opts runtime.OpenDialogOptions) (string, error) {
	if p := os.Getenv(DialogFileEnv); p != "" {
		return p, nil
	}
	return runtime.OpenFileDialog(ctx, opts)
}

func saveDialog(ctx context.Context, opts runtime.SaveDialogOptions) (string, error) {
	if p := os.Getenv(DialogFileEnv); p != "" {
		return p, nil
	}
	return runtime.SaveFileDialog(ctx, opts)
}

// folderDialog asks for a folder. Under the browser tests (DialogFileEnv), the
// answer is a folder beside that file.
func folderDialog(ctx context.Context, opts runtime.OpenDialogOptions) (string, error) {
	if p := os.Getenv(DialogFileEnv); p != "" {
		return filepath.Dir(p), nil
	}
	return runtime.OpenDirectoryDialog(ctx, opts)
}
