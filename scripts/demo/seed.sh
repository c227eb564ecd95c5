#!/usr/bin/env bash
# seed.sh WORKSPACE: fills a workspace with demo data through the CLI — 40 clients,
# three cohorts, an announcement sent into the sandbox — for screenshots and demos.
set -euo pipefail
cd "$(dirname "$0")/../.."
ws=$1
rt() { ./build/bin/roundtable --workspace "$ws" "$@"; }
export ROUNDTABLE_KEYRING=off
rt clients import app/demo/data/clients.csv >/dev/null
rt cohorts create "Spring Mastermind" --kind mastermind --start 2026-03-02 --end 2026-05-29 --capacity 12 \
  --purpose "Twelve founders helping each other grow their practice" >/dev/null
rt cohorts create "Writers' Circle" --kind micro_community --start 2026-01-12 --capacity 25 >/dev/null
rt cohorts create "Leadership Lab" --kind group_coaching --start 2026-04-06 --end 2026-06-26 --capacity 8 >/dev/null
emails=$(rt clients list --json | python3 -c 'import json,sys; print(" ".join(c["email"] for c in json.load(sys.stdin)))')
set -- $emails
rt cohorts add-member "Spring Mastermind" "${@:1:10}" >/dev/null 2>&1
rt cohorts add-member "Writers' Circle" "${@:11:18}" >/dev/null 2>&1
rt cohorts add-member "Leadership Lab" "${@:29:6}" >/dev/null 2>&1
rt post create --cohort "Spring Mastermind" --subject "Welcome to {{cohort}}, {{first_name}}" --body app/demo/data/announcement.md >/dev/null
rt outbox send >/dev/null
rt sandbox reply-as ada.lovelace@example.com --text $'My goal: launch the new coaching offer by April.\n\nWhat stopped me so far: I kept polishing the sales page instead of asking people.\n\nAda' >/dev/null
rt sandbox reply-as alan.turing@example.com --text $'Mine is to write two chapters a month.\nThe group can help by asking me on Thursdays how many pages I wrote!' >/dev/null
rt sandbox reply-as amara.okafor@example.com --text $'Count me in. Goal: 10 paying clients by the end of the cohort.\n\nSent from my iPhone' >/dev/null
rt inbox sync >/dev/null
rt post create --cohort "Spring Mastermind" --subject "Week 2: {{first_name}}, one small step" --draft \
  --body app/demo/data/week2.md >/dev/null
# A small lesson library, released on the cohort's days 1, 3 and 8.
rt lessons import app/demo/data/lessons >/dev/null
rt curriculum set --cohort "Spring Mastermind" --lesson "Your one goal for the cohort" --cohort-day 1 >/dev/null
rt curriculum set --cohort "Spring Mastermind" --lesson "The first step you can take on Monday" --cohort-day 3 >/dev/null
rt curriculum set --cohort "Spring Mastermind" --lesson "Asking the group for help" --cohort-day 8 >/dev/null
