// Command ourtrim runs Roundtable's reply trimmer over cases read as JSON from
// stdin ([{"id": ..., "body": ...}]) and writes [{"id": ..., "text": ...}] to
// stdout, so that scripts/bench/trimmers/compare.js can score it beside the
// trimmers on npm with the same cases and the same comparison.
package main

import (
	"encoding/json"
	"log"
	"os"

	"github.com/roundtablehq/roundtable/app/mail/trim"
)

type trimCase struct {
	ID   string `json:"id"`
	Body string `json:"body"`
}

type trimmed struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func main() {
	var cases []trimCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		log.Fatalf("ourtrim: read cases: %v", err)
	}
	out := make([]trimmed, 0, len(cases))
	for _, c := range cases {
		out = append(out, trimmed{ID: c.ID, Text: trim.Reply(c.Body).Text})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		log.Fatalf("ourtrim: write results: %v", err)
	}
}
