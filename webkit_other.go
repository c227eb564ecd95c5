//go:build !linux || !(desktop || dev) || bindings

package main

// separateWebKitStorage: WebView2 (Windows) keeps its data under the user's
// AppData folder by itself and WKWebView (macOS) under Library; without a
// window build there is nothing to separate.
func separateWebKitStorage() {}
