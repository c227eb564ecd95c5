"""Reads calendar files Roundtable wrote with a second, independent parser
(Python's icalendar, with dateutil for the RRULE) and checks them against what
the Go test expects. The event's times are placed with the VTIMEZONE in the
file itself, never with the reader's own zone data, so a wrong or missing
definition fails.

Input: a JSON list on stdin of {"file", "method", "uid", "sequence", "status",
"starts": [UTC times "2026-03-03T17:00:00Z", ...]}. Exit 1 with the reasons
when anything differs."""
import json
import sys
from datetime import datetime, timezone

import icalendar
from dateutil import rrule


def utc(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def check(case):
    errs = []
    with open(case["file"], "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    if str(cal.get("METHOD")) != case["method"]:
        errs.append("METHOD %s, want %s" % (cal.get("METHOD"), case["method"]))
    events = [c for c in cal.walk("VEVENT")]
    if len(events) != 1:
        return errs + ["%d VEVENTs, want 1" % len(events)]
    ev = events[0]
    for key in ("uid", "status"):
        if str(ev.get(key.upper())) != str(case[key]):
            errs.append("%s %s, want %s" % (key.upper(), ev.get(key.upper()), case[key]))
    if int(ev.get("SEQUENCE")) != case["sequence"]:
        errs.append("SEQUENCE %s, want %s" % (ev.get("SEQUENCE"), case["sequence"]))
    att = ev.get("ATTENDEE")
    if att is None or att.params.get("RSVP") != "TRUE":
        errs.append("ATTENDEE without RSVP=TRUE")
    if ev.get("ORGANIZER") is None:
        errs.append("no ORGANIZER")

    prop = ev["DTSTART"]
    tzid = prop.params.get("TZID")
    naive = prop.dt.replace(tzinfo=None)
    if tzid:
        tzs = [c for c in cal.walk("VTIMEZONE") if str(c["TZID"]) == tzid]
        if len(tzs) != 1:
            return errs + ["TZID %s has no VTIMEZONE in the file" % tzid]
        tz = tzs[0].to_tz()
        place = (lambda d: tz.localize(d)) if hasattr(tz, "localize") else (lambda d: d.replace(tzinfo=tz))
    else:
        place = lambda d: d.replace(tzinfo=timezone.utc)

    until = None
    if "RRULE" in ev:
        parts = ev["RRULE"].to_ical().decode().split(";")
        for part in parts:
            if part.startswith("UNTIL="):
                until = utc(datetime.strptime(part[6:], "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%dT%H:%M:%SZ"))
        # UNTIL is UTC while the rule runs on the local clock: expand without it
        # and stop at it once each start is placed.
        rule = ";".join(p for p in parts if not p.startswith("UNTIL="))
        if until is not None:
            rule += ";COUNT=500"
        starts = list(rrule.rrulestr(rule, dtstart=naive))
    else:
        starts = [naive]
    got = [place(d).astimezone(timezone.utc) for d in starts]
    if until is not None:
        got = [g for g in got if g <= until]
    want = [utc(s) for s in case["starts"]]
    if got != want:
        errs.append("%d starts %s..., want %d %s..." % (len(got), [g.isoformat() for g in got[:4]], len(want), case["starts"][:4]))
    return errs


def main():
    failed = False
    for case in json.load(sys.stdin):
        for e in check(case):
            failed = True
            print("%s: %s" % (case["file"], e))
    sys.exit(1 if failed else 0)


main()
