"""Reads calendar objects with Python's icalendar library (Debian's
python3-icalendar), a third parser beside the Go ones, and prints what it
reads as JSON, one object per file named on the command line.

Used by the test behind the build tag 'pyical' (survey/ical/python_test.go).
"""
import json
import sys

import icalendar


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    cal = icalendar.Calendar.from_ical(data)
    out = {"file": path, "method": str(cal.get("method", "")), "version": str(cal.get("version", "")),
           "timezones": [], "events": []}
    for comp in cal.walk():
        if comp.name == "VTIMEZONE":
            out["timezones"].append({"tzid": str(comp.get("tzid")),
                                     "parts": sorted(c.name for c in comp.subcomponents)})
        elif comp.name == "VEVENT":
            start, end = comp.decoded("dtstart"), comp.decoded("dtend")
            attendee = comp.get("attendee")
            out["events"].append({
                "uid": str(comp.get("uid")),
                "sequence": int(comp.get("sequence")),
                "summary": str(comp.get("summary")),
                "location": str(comp.get("location", "")),
                "description": str(comp.get("description", "")),
                "status": str(comp.get("status")),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "start_tz": str(start.tzinfo),
                "stamp": comp.decoded("dtstamp").isoformat(),
                "attendee": str(attendee),
                "attendee_cn": str(attendee.params.get("CN", "")),
            })
    return out


def main():
    json.dump([read(p) for p in sys.argv[1:]], sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
