package app

// Progress reports how far a long job has come. Long jobs take a
// report func(Progress) and call it as they go; the window shows it as a progress
// bar, the CLI ignores it or prints it.
type Progress struct {
	Job   string `json:"job"`   // which job: "clients:import", "outbox:send", ...
	Done  int    `json:"done"`  // units finished so far
	Total int    `json:"total"` // units in all, 0 when not known yet
	Note  string `json:"note"`  // what is happening now, in the coach's words
}

// NoProgress is a report func that drops every report, for callers that show none.
func NoProgress(Progress) {}
