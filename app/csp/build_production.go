//go:build !dev

package csp

// ForBuild is the policy of this build: Production for every build but the dev one.
const ForBuild = Production
