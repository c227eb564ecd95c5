//go:build dev

package csp

// ForBuild is the policy of this build: Dev, because it was built with the dev tag.
const ForBuild = Dev
