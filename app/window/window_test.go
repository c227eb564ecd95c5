package window

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roundtable", "window.json")
	t.Run("OK", func(t *testing.T) {
		want := Geometry{X: 40, Y: 30, Width: 1024, Height: 700}
		if err := Save(path, want); err != nil {
			t.Fatal(err)
		}
		if got, ok := Load(path); !ok || got != want {
			t.Fatalf("got %+v %v, want %+v", got, ok, want)
		}
	})
	t.Run("ErrNoFile", func(t *testing.T) {
		if _, ok := Load(filepath.Join(t.TempDir(), "none.json")); ok {
			t.Fatal("got a geometry from no file, want none")
		}
	})
	t.Run("ErrDamaged", func(t *testing.T) {
		os.WriteFile(path, []byte("{not json"), 0o600)
		if _, ok := Load(path); ok {
			t.Fatal("got a geometry from a damaged file, want none")
		}
	})
	t.Run("ErrTooSmall", func(t *testing.T) {
		if err := Save(path, Geometry{Width: 10, Height: 10}); err == nil {
			t.Fatal("saved a 10×10 window, want it refused")
		}
		os.WriteFile(path, []byte(`{"x":0,"y":0,"width":1,"height":1}`), 0o600)
		if _, ok := Load(path); ok {
			t.Fatal("got a 1×1 window, want the default size instead")
		}
	})
}
