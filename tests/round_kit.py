"""A small round made in code: four respondents in three languages, their returns filled as
respondents would fill them, saved e-mails that carry them."""

from __future__ import annotations

import datetime as dt
import email
import shutil
import tempfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

from tests.returns_kit import SURVEY
from workbook_tools.demo.synthetic import plausible_answers
from workbook_tools.round.ledger import init_round
from workbook_tools.round.record import members
from workbook_tools.round.store import Store
from workbook_tools.send.fill import fill_workbook

ROSTER = """respondent_id,kind,code,name,lang,email,iscms
ISCM-KHARTOUM,iscm,khartoum,,en,secretariat@khartoum.example,
STATE-SEN,state,SEN,,fr,focal@senegal.example,khartoum;rabat
STATE-MEX,state,MEX,,es,focal@mexico.example,rcm
IGO-UNHCR,igo,unhcr,,en,partners@unhcr.example,khartoum
"""
STARTED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
DEADLINE = dt.date(2027, 1, 31)


def day(month: int, day_: int, year: int = 2026, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day_, hour, 0, tzinfo=dt.UTC)


def new_round(folder: Path, roster: str = ROSTER) -> Path:
    roster_file = folder.parent / f"{folder.name}-roster.csv"
    roster_file.write_text(roster, encoding="utf-8")
    init_round(folder, roster_file, SURVEY, STARTED, DEADLINE)
    return folder


_TEMPLATE: dict[str, Path] = {}


def cached_round(target: Path) -> Path:
    """A copy of one round made once per test session: init builds the questionnaires."""
    if "round" not in _TEMPLATE:
        _TEMPLATE["round"] = new_round(Path(tempfile.mkdtemp(prefix="wt-round-")) / "round")
    shutil.copytree(_TEMPLATE["round"], target)
    return target


def filled(folder: Path, respondent_id: str, answers: dict[str, object] | None = None,
           seed: str = "") -> bytes:
    """The respondent's own questionnaire from the round, filled in (then `answers` typed over
    the plausible ones)."""
    with Store.open(folder) as store:
        member = next(m for m in members(store) if m.respondent.id == respondent_id)
        template = store.file(member.questionnaire).path
    respondent = member.respondent
    made = plausible_answers(SURVEY.current(respondent.kind), SURVEY.reference, SURVEY,
                             respondent, respondent.lang, seed=seed or respondent.id)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "return.xlsx"
        fill_workbook(template, out, SURVEY, {**made.answers, **(answers or {})}, made.tables)
        return out.read_bytes()


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def attachment_names(message: EmailMessage) -> list[str]:
    return [str(part.get_filename()) for part in message.iter_attachments()]
