//go:build linux && (desktop || dev) && !bindings

package main

/*
#cgo pkg-config: glib-2.0
#include <glib.h>
#include <stdlib.h>
*/
import "C"
import "unsafe"

// webkitProgramName names the folders WebKitGTK keeps its own storage in
// (HSTS, media keys, cache): $XDG_DATA_HOME/NAME and $XDG_CACHE_HOME/NAME. The
// program name would put them in ~/.local/share/roundtable, beside the coach's
// workspace file; the app's ID keeps them in a folder of their own.
const webkitProgramName = "io.github.roundtablehq.Roundtable"

// separateWebKitStorage must run before the window starts: GTK keeps a program
// name already set, and WebKit reads it once, when the window makes its web
// view. The window's class (WM_CLASS) is then the app's ID too, as the desktop
// file's StartupWMClass says, so the dock shows the window under its entry.
func separateWebKitStorage() {
	name := C.CString(webkitProgramName)
	defer C.free(unsafe.Pointer(name))
	C.g_set_prgname(name)
}
