"""Draft summaries per ISCM: the seed's facts stated, every sentence in the chosen language,
quotations kept as written, what is missing highlighted, documents that Word and LibreOffice
open."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from tests.libreoffice import convert
from tests.returns_kit import SAMPLE, SURVEY, check, make_return
from workbook_tools.cli import cli
from workbook_tools.model.resources import data_dir
from workbook_tools.model.roster import Respondent
from workbook_tools.outputs.consolidate import select_returns
from workbook_tools.outputs.drafts import write_summaries

STATES = {"EGY": "Egypt", "ETH": "Ethiopia", "NLD": "Netherlands"}
KHARTOUM, KHARTOUM_TABLES = SAMPLE.fixed["ISCM-KHARTOUM"]
KHARTOUM_EXAMPLES = SAMPLE.said_about["khartoum"].by_respondent


def ratings(value: str) -> dict[str, str]:
    return {f"value_{a}": value for a in SURVEY.reference["value_areas"].codes}


@pytest.fixture(scope="module")
def seed_returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Khartoum Process's return with the seed's facts, three States that name it, and a
    State that names the Rabat Process, which did not answer."""
    folder = tmp_path_factory.mktemp("returns")
    khartoum = Respondent("ISCM-KHARTOUM", "iscm", "khartoum", "Khartoum Process", "en")
    make_return(folder, "iscm", fixed=KHARTOUM, fixed_tables=KHARTOUM_TABLES, who=khartoum)
    for code, name in STATES.items():
        who = Respondent(f"STATE-{code}", "state", code, name, "en", "", ("khartoum",))
        row = {"iscm": "khartoum", "status": "member", "role": "none", "since": 2014,
               **ratings("4"),
               "example": KHARTOUM_EXAMPLES[code]}
        make_return(folder, "state", fixed_tables={"memberships": [row]}, who=who)
    kenya = Respondent("STATE-KEN", "state", "KEN", "Kenya", "en", "", ("rabat",))
    make_return(folder, "state", who=kenya, fixed_tables={"memberships": [
        {"iscm": "rabat", "status": "observer", **ratings("3"),
         "example": "Dialogue de haut niveau avec l'Europe"}]})
    return folder


def draft(folder: Path, out: Path, lang: str) -> Path:
    report = check(folder)
    assert report.summary["valid"] == len(report.returns), [
        (r.path.name, [i.code for i in r.issues]) for r in report.returns if r.issues]
    write_summaries(out, select_returns(report, SURVEY), SURVEY, lang)
    return out


def text_of(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_the_khartoum_draft_states_the_facts_of_the_seed(seed_returns: Path,
                                                         tmp_path: Path) -> None:
    text = text_of(draft(seed_returns, tmp_path, "en") / "Khartoum-Process-en.docx")
    for fact in [
        "Summary of Findings per ISCM",
        "Name of the Inter-state consultation mechanism (ISCM): EU-Horn of Africa Migration "
        "Route Initiative (Khartoum Process)",
        "4 States and 1 ISCMs and 0 inter-governmental organizations provided answers",
        "The Khartoum Process does not have a formalized strategy.",
        "The main document guiding the actions and priorities of the Khartoum Process is "
        "“Rome Declaration”, adopted in 2014.",
        "which is developed on an annual basis, covering the timespan of the respective "
        "Chairmanships",
        "The monitoring process is led jointly by the Secretariat, the Chair and the Steering "
        "Committee.",
        "The secretariat is jointly managed by the African Union Commission and the European "
        "Commission with support from ICMPD.",
        "works closely with the Rabat Process and AU-HoAI",
        "IOM and UNHCR (technical advice); UNODC (co-implementer of projects)",
        "is funded through contributions from Member States. Its funding sources are stable.",
        "Libya, Norway, Switzerland and Uganda joined and Netherlands replaced Malta in the "
        "steering committee",
        "Three of the Member States (Egypt, Ethiopia and Netherlands) surveyed referred to the "
        "Khartoum Process in their answers.",
        "Ethiopia: “Harmonized border control, combating trafficking and addressing root causes "
        "of irregular migration.”",
        "Egypt: “Developing partnerships.”",
    ]:
        assert fact in text, fact


def _english_fragments() -> set[str]:
    """Every stretch of English text of the English sentences (between their variables)."""
    from fluent.syntax import FluentParser, ast

    source = (data_dir("templates") / "summary-en.ftl").read_text(encoding="utf-8")
    fragments: set[str] = set()
    for entry in FluentParser().parse(source).body:
        if isinstance(entry, ast.Message) and entry.value is not None:
            for element in _text_elements(entry.value):
                if len(element.strip()) >= 12:
                    fragments.add(element.strip())
    return fragments


def _text_elements(node: object) -> list[str]:
    from fluent.syntax import ast

    if isinstance(node, ast.TextElement):
        return [node.value]
    found: list[str] = []
    for child in vars(node).values() if isinstance(node, ast.BaseNode) else ():
        for item in child if isinstance(child, list) else [child]:
            if isinstance(item, ast.BaseNode):
                found += _text_elements(item)
    return found


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_in_french_and_spanish_no_english_sentence_is_left(seed_returns: Path, tmp_path: Path,
                                                          lang: str) -> None:
    text = text_of(draft(seed_returns, tmp_path, lang) / f"Khartoum-Process-{lang}.docx")
    outside_quotes = re.sub(r"«[^»]*»", "", text)
    left = sorted(f for f in _english_fragments() if f in outside_quotes)
    assert left == []
    headings = [p.text for p in Document(str(tmp_path / f"Khartoum-Process-{lang}.docx")).paragraphs
                if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [s.title[lang] for s in SURVEY.current("iscm").sections[1:]]
    # the respondents' words stay as they were written
    assert "« Harmonized border control" in text or "«Harmonized border control" in text


def test_an_iscm_that_did_not_answer_gets_a_short_highlighted_draft(seed_returns: Path,
                                                                    tmp_path: Path) -> None:
    document = Document(str(draft(seed_returns, tmp_path, "fr") / "Rabat-Process-fr.docx"))
    highlighted = [run.text for p in document.paragraphs for run in p.runs
                   if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert highlighted[0].startswith("Le MCIM n'a pas répondu au questionnaire")
    assert highlighted.count("Le MCIM n'a pas répondu à cette section.") == 5
    text = "\n".join(p.text for p in document.paragraphs)
    assert ("Un des États membres interrogés (Kenya) a mentionné le MCIM Rabat Process dans "
            "ses réponses.") in text
    assert "« Dialogue de haut niveau avec l'Europe »" in text  # quoted as written, no elision


def test_headings_give_a_navigable_outline(seed_returns: Path, tmp_path: Path) -> None:
    out = draft(seed_returns, tmp_path, "en")
    combined = Document(str(out / "all-iscms-en.docx"))
    outline = [(p.style.name, p.text) for p in combined.paragraphs
               if p.style is not None and p.style.name.startswith("Heading")]
    assert outline[0] == ("Heading 1", "Khartoum Process")
    assert outline[1] == ("Heading 2", "1. Evolution of programming and thematic focus")
    assert ("Heading 1", "Rabat Process") in outline
    assert sorted(p.name for p in out.iterdir()) == [
        "Khartoum-Process-en.docx", "Rabat-Process-en.docx", "all-iscms-en.docx"]


def test_drafts_are_the_same_for_the_same_returns(seed_returns: Path, tmp_path: Path) -> None:
    first = draft(seed_returns, tmp_path / "a", "es")
    second = draft(seed_returns, tmp_path / "b", "es")
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_every_draft_opens_in_libreoffice(seed_returns: Path, tmp_path: Path) -> None:
    out = draft(seed_returns, tmp_path / "docx", "en")
    for path in sorted(out.iterdir()):
        assert convert(path, tmp_path / "pdf", "pdf").stat().st_size > 5_000


def test_summarize_command(seed_returns: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["summarize", str(seed_returns), "--out",
                                      str(tmp_path / "out"), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "2 ISCM summaries from 5 return(s)" in result.output
    assert (tmp_path / "out" / "all-iscms-es.docx").is_file()
