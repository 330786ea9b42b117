"""Calendars of the plan: RFC 5545 iCalendar feeds per antenna or spacecraft, and a printable pass sheet.

Each contact is one VEVENT whose UID is the contact's id, so a calendar client that subscribes to
a feed updates a contact in place; a contact a re-plan cancels stays in the feed as
``STATUS:CANCELLED`` with a higher ``SEQUENCE``.
"""

from __future__ import annotations

import html

from ..domain import Contact
from ..timebase import format_utc, from_unix

PRODID = "-//groundnet//contact plan//EN"


def uid(contact: Contact) -> str:
    return f"{contact.id}@groundnet"


def plan_calendar(contacts: list[Contact], name: str, stamp: float) -> bytes:
    """The contacts as an iCalendar feed named ``name``; ``stamp`` (POSIX s) is every event's DTSTAMP."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for c in sorted(contacts, key=lambda c: (c.start, c.antenna_id, c.id)):
        ev = Event()
        ev.add("uid", uid(c))
        ev.add("dtstamp", from_unix(stamp))
        ev.add("dtstart", from_unix(c.start))
        ev.add("dtend", from_unix(c.end))
        ev.add("summary", f"{c.spacecraft_name} on {c.antenna_id}")
        ev.add("description", f"Mission {c.mission or c.spacecraft_id}; setup from {format_utc(c.setup_start)}, "
                              f"teardown until {format_utc(c.teardown_end)}; contact {c.id}")
        ev.add("location", c.antenna_id)
        ev.add("categories", [c.mission or c.spacecraft_id])
        ev.add("status", "CANCELLED" if c.cancelled else "CONFIRMED")
        ev.add("sequence", 1 if c.cancelled else 0)
        cal.add_component(ev)
    return cal.to_ical()


def pass_sheet(antenna_id: str, antenna_name: str, day: float, contacts: list[Contact], states: dict[str, str],
               generated: float) -> str:
    """A printable HTML page: the antenna's contacts of one UTC day, in order, with a box to tick."""
    rows = []
    for c in sorted(contacts, key=lambda c: c.start):
        cells = [format_utc(c.setup_start)[11:19], format_utc(c.start)[11:19], format_utc(c.end)[11:19],
                 format_utc(c.teardown_end)[11:19], f"{(c.end - c.start) / 60.0:.1f}", c.spacecraft_name,
                 c.mission or c.spacecraft_id, "cancelled" if c.cancelled else states.get(c.id, "scheduled")]
        rows.append("<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in cells) + "<td class=box></td></tr>")
    title = f"Pass sheet {html.escape(antenna_id)} ({html.escape(antenna_name)}) {format_utc(day)[:10]} UTC"
    head = "".join(f"<th>{h}</th>" for h in ("Setup", "AOS", "LOS", "Teardown", "Min", "Spacecraft", "Mission",
                                                "State", "Done"))
    body = "\n".join(rows) or "<tr><td colspan=9>No contact planned.</td></tr>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 11pt sans-serif; margin: 2em; }} table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #444; padding: 4px 6px; text-align: left; }} th {{ background: #eee; }}
td.box {{ width: 3em; }} @media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>{title}</h1>
<p>{len(contacts)} contacts. Times in UTC. Printed from groundnet at {format_utc(generated)}.</p>
<table><thead><tr>{head}</tr></thead><tbody>
{body}
</tbody></table>
<p>Operator: ____________________ &nbsp; Remarks:</p>
</body></html>
"""


def stored_contacts(store, start: float, end: float, *, antenna_id: str | None = None,
                    spacecraft_id: str | None = None) -> list[Contact]:
    """The stored plan's contacts that start in [start, end), of one antenna or spacecraft (or all)."""
    from ..store import repo

    with store.session() as s:
        plan = repo.load_plan(s, start, end)
    return [c for c in plan.contacts if start <= c.start < end and antenna_id in (None, c.antenna_id)
            and spacecraft_id in (None, c.spacecraft_id)]
