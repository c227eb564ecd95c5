package app

// WorkspaceInfo tells the coach which file they are working in.
type WorkspaceInfo struct {
	Path          string `json:"path"`
	SchemaVersion int    `json:"schemaVersion"`
	Clients       int    `json:"clients"`
	Cohorts       int    `json:"cohorts"`
	Version       string `json:"version"` // the Roundtable version running
}

// Version is the Roundtable version, set at build time with
// -ldflags "-X github.com/roundtablehq/roundtable/app.Version=...".
var Version = "0.1.0-dev"
