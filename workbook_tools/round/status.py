"""Where the round stands: what was sent to whom, what came back, what is missing. As lines for
the terminal, as one self-contained HTML page to share (no server, no external file, no
script), and as the dated log of the round or of one respondent."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from workbook_tools.files import write_atomic
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import kind_name, kinds_in_order
from workbook_tools.round import record
from workbook_tools.round.record import STATES, Standing
from workbook_tools.round.store import Store, store_date

STATE_COLOURS = {"valid": "green", "invalid": "yellow", "rejected": "red",
                 "not received": None}
HTML_COLOURS = {"valid": "#C6EFCE", "invalid": "#FFEB9C", "rejected": "#FFC7CE",
                "not received": "#E7E6E6", "superseded": "#DDEBF7", "withdrawn": "#FFFFFF"}


def _day(text: str | None) -> str:
    return store_date(text) if text else "-"


def summary(standings: Sequence[Standing], due: dt.date, today: dt.date) -> str:
    active = [s for s in standings if s.member.withdrawn is None]
    counts = Counter(s.state for s in active)
    overdue = sum(1 for s in active if s.overdue_days)
    when = (f"{(due - today).days} day(s) to go" if today <= due
            else f"{(today - due).days} day(s) past")
    return (f"{len(active)} respondents, deadline {due.isoformat()} ({when}): "
            + ", ".join(f"{counts[state]} {state}" for state in reversed(STATES))
            + (f"; {overdue} overdue" if overdue else ""))


def terminal_lines(store: Store, survey: Survey, today: dt.date, color: bool = True
                   ) -> Iterator[str]:
    import click

    standings = record.standings(store, survey, today)
    due = record.deadline(store, survey)
    yield f"Round {store.folder} on {today.isoformat()}"
    yield summary(standings, due, today)
    yield ""
    width = max([len(s.respondent.id) for s in standings] + [10])
    yield (f"  {'respondent':<{width}}  {'state':<12}  {'sent':<10}  {'received':<10}  "
           f"{'last contact':<12}  {'reminded':>8}  {'overdue':>7}  name")
    for standing in standings:
        respondent = standing.respondent
        state = "withdrawn" if standing.member.withdrawn else standing.state
        shown = click.style(f"{state:<12}", fg=STATE_COLOURS.get(state)) if color else (
            f"{state:<12}")
        overdue = f"{standing.overdue_days} d" if standing.overdue_days else ""
        yield (f"  {respondent.id:<{width}}  {shown}  {_day(standing.invited):<10}  "
               f"{_day(standing.received):<10}  {_day(standing.last_contact):<12}  "
               f"{standing.reminders or '':>8}  {overdue:>7}  {respondent.name}")
    strays = [r for r in record.returns(store) if r.respondent_id is None]
    if strays:
        yield ""
        yield f"{len(strays)} return(s) not counted (whose they are is not known):"
        for stray in strays:
            yield (f"  {_day(stray.received)}  {stray.name}: {stray.status}"
                   + (f", names {stray.claimed_id}" if stray.claimed_id else ""))


def log_lines(store: Store, respondent_id: str | None = None) -> Iterator[str]:
    """The dated history: every event of the round, or of one respondent, oldest first."""
    if respondent_id is None:
        rows = store.query("SELECT at, respondent_id, what, detail FROM events "
                           "ORDER BY at, id")
    else:
        if not store.query("SELECT 1 FROM respondents WHERE id = ?", (respondent_id,)):
            from workbook_tools.errors import UserError

            raise UserError(f"{respondent_id} is not a respondent of the round in "
                            f"{store.folder} (`round status DIR` lists them)")
        rows = store.query("SELECT at, respondent_id, what, detail FROM events "
                           "WHERE respondent_id = ? ORDER BY at, id", (respondent_id,))
    for row in rows:
        who = row["respondent_id"] or "-"
        when = row["at"].replace("T", " ").removesuffix("Z")[:16]
        yield (f"{when}  {who:<16} {row['what']:<24} {row['detail']}" if respondent_id is None
               else f"{when}  {row['what']:<24} {row['detail']}")


# --- the page ------------------------------------------------------------------------------

STYLE = """
body { font-family: "Segoe UI", Calibri, Arial, sans-serif; margin: 2em; color: #222; }
h1 { color: #1F4E79; font-size: 1.5em; margin-bottom: 0.2em; }
p.sub { color: #595959; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th { background: #1F4E79; color: #fff; text-align: left; padding: 6px; position: sticky; top: 0; }
td { border-bottom: 1px solid #ddd; padding: 5px 6px; vertical-align: top; }
td.n { text-align: right; }
.state { padding: 2px 6px; border-radius: 3px; white-space: nowrap; }
.counts { display: flex; gap: 1em; margin: 1em 0; flex-wrap: wrap; }
.count { padding: 0.6em 1em; border-radius: 4px; min-width: 7em; }
.count b { display: block; font-size: 1.6em; }
details summary { cursor: pointer; color: #1F4E79; }
ul.history { margin: 0.3em 0 0 1em; padding: 0; }
h2 { color: #1F4E79; font-size: 1.15em; margin-top: 1.5em; }
@media print { th { position: static; } }
"""


def _badge(state: str) -> str:
    return (f'<span class="state" style="background:{HTML_COLOURS.get(state, "#fff")}">'
            f"{html.escape(state)}</span>")


def html_page(store: Store, survey: Survey, today: dt.date) -> str:
    """One page that says where the round stands, for anyone: no server, no script, no file
    beside it. Focal points' e-mail addresses are left out: the page is meant to be shared."""
    e = html.escape
    standings = record.standings(store, survey, today)
    due = record.deadline(store, survey)
    fates = record.fates(record.returns(store))
    active = [s for s in standings if s.member.withdrawn is None]
    counts = Counter(s.state for s in active)
    title = survey.settings.text("survey_title", "en")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}: where the round stands on {today.isoformat()}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="sub">Where the round stands on {today.isoformat()}. '
        f"{e(summary(standings, due, today))}.</p>",
        '<div class="counts">',
    ]
    for state in reversed(STATES):
        parts.append(f'<div class="count" style="background:{HTML_COLOURS[state]}">'
                     f"<b>{counts[state]}</b>{e(state)}</div>")
    parts.append("</div>")
    kinds = kinds_in_order(survey)
    for kind in kinds:
        group = [s for s in standings if s.respondent.kind == kind]
        if not group:
            continue
        name = kind_name(survey, kind)
        parts.append(f"<h2>{e(name[:1].upper() + name[1:])} ({len(group)})</h2>")
        parts.append("<table><thead><tr><th>Respondent</th><th>Id</th><th>Language</th>"
                     "<th>State</th><th>Sent</th><th>Received</th><th>Last contact</th>"
                     "<th>Reminders</th><th>Days overdue</th><th>Returns</th></tr></thead>"
                     "<tbody>")
        for standing in group:
            parts.append(_row(standing, fates))
        parts.append("</tbody></table>")
    strays = [r for r in record.returns(store) if r.respondent_id is None]
    if strays:
        parts.append(f"<h2>Returns not counted ({len(strays)})</h2><ul>")
        for stray in strays:
            parts.append(f"<li>{e(_day(stray.received))}: {e(stray.name)}, {e(stray.status)}"
                         + (f", names {e(stray.claimed_id)}" if stray.claimed_id else "")
                         + "</li>")
        parts.append("</ul>")
    parts.append(f'<p class="sub">Written by workbook-tools from the round in '
                 f"{e(store.folder.name)}. States: not received, rejected (the file could not "
                 "be read), invalid (read, with errors to correct), valid; a return followed "
                 "by a later valid one is superseded.</p></body></html>")
    return "\n".join(parts) + "\n"


def _row(standing: Standing, fates: dict[int, str]) -> str:
    e = html.escape
    respondent = standing.respondent
    state = "withdrawn" if standing.member.withdrawn else standing.state
    if standing.returns:
        items = "".join(
            f"<li>{e(_day(r.received))} {e(r.name)}: {_badge(fates.get(r.id, r.status))}"
            + (f" {r.errors} error(s)" if r.status == "invalid" else "") + "</li>"
            for r in standing.returns)
        history = (f"<details><summary>{len(standing.returns)} return(s)</summary>"
                   f'<ul class="history">{items}</ul></details>')
    else:
        history = ""
    return (f'<tr id="{e(respondent.id)}"><td>{e(respondent.name)}</td><td>{e(respondent.id)}'
            f"</td><td>{e(respondent.lang)}</td><td>{_badge(state)}</td>"
            f"<td>{_day(standing.invited)}</td><td>{_day(standing.received)}</td>"
            f"<td>{_day(standing.last_contact)}</td>"
            f'<td class="n">{standing.reminders or ""}</td>'
            f'<td class="n">{standing.overdue_days or ""}</td><td>{history}</td></tr>')


def write_html(path: Path, store: Store, survey: Survey, today: dt.date) -> None:
    write_atomic(path, html_page(store, survey, today).encode("utf-8"))
