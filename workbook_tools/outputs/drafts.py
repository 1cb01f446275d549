"""First drafts of the "Summary of Findings per ISCM": one Word document per ISCM, and one with
all of them, in the structure of the published summaries.

The prose is assembled from the answers by sentence templates kept as data
(templates/summary.yaml). Free-text answers are quoted as the respondent wrote them; what is
missing is said plainly and highlighted for the editor.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.files import normalize_package, write_atomic
from workbook_tools.model.questionnaire import Questionnaire
from workbook_tools.model.reference import Iscm
from workbook_tools.model.summary import SummaryTexts
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import (
    Selection,
    iscm_states,
    own_returns,
    rows_naming_iscms,
)
from workbook_tools.read.reading import Reading, TableRow
from workbook_tools.send.write import safe_file_stem

DOCUMENT_CREATED = dt.datetime(2000, 1, 1)
# "de ICMPD" -> "d'ICMPD": French elides "de" and "le" before a vowel
_FRENCH_ELISION = re.compile(r"\b([dl])[e] (?=[AEIOUYÉÈÊaeiouyéèê])")
_QUOTE = "\x00quote\x00"


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    highlight: bool = False  # for the editor: something is missing


@dataclass
class Paragraph:
    style: str  # a style of Word's default template: Title, Subtitle, Heading 1, Normal...
    runs: list[Run] = field(default_factory=list)

# --- composing one summary -----------------------------------------------------------------


@dataclass
class Voices:
    """What States and IGOs said of one ISCM: their return and the row that names it."""

    states: list[tuple[Reading, TableRow]] = field(default_factory=list)
    igos: list[tuple[Reading, TableRow]] = field(default_factory=list)


class _Writer:
    """Sentences in one language about one ISCM."""

    def __init__(self, texts: SummaryTexts, survey: Survey, lang: str, iscm: Iscm) -> None:
        self.texts, self.survey, self.lang, self.iscm = texts, survey, lang, iscm
        self.name = self.iscm_name(iscm.short_name)
        self.of_name = self.iscm_name(iscm.short_name, "of_name")

    def iscm_name(self, short_name: str, form: str = "name") -> str:
        """An ISCM as a sentence names it: "the Khartoum Process", "le MCIM Khartoum Process"."""
        words = self.texts.raw["words"]
        article = "the " if self.lang == "en" and short_name.split()[-1] in words[
            "english_article_after"] else ""
        return str(words[form][self.lang]).format(article=article, short=short_name)

    def sentence(self, key: str, **values: object) -> str:
        template = self.texts.get("sentences", key, self.lang)
        quote = values.pop("quote", "")
        # the quotation goes in last: nothing done to the sentence may touch a respondent's words
        text = template.format(name=self.name, of_name=self.of_name, quote=_QUOTE, **values)
        if self.lang == "fr":
            text = _FRENCH_ELISION.sub(r"\1'", text)
        text = text.replace(_QUOTE, str(quote))
        return text[0].upper() + text[1:] if text else text

    def quote(self, text: str) -> str:
        return str(self.texts.raw["words"]["quote"][self.lang]).format(text=text.strip())

    def join(self, items: Sequence[str]) -> str:
        items = [item for item in items if item]
        if len(items) <= 1:
            return "".join(items)
        conjunction = self.texts.raw["words"]["and"][self.lang]
        return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"

    def number(self, count: int, capital: bool = False) -> str:
        words = self.texts.raw["words"]["numbers"][self.lang]
        word = words[count] if 0 <= count < len(words) else str(count)
        return word[0].upper() + word[1:] if capital else word

    def label(self, list_name: str, code: str, running: bool = True) -> str:
        """A choice in running text: its phrase if it has one, else its label, lower-cased
        unless it starts an acronym ("IOM")."""
        phrase = self.texts.phrase(list_name, code, self.lang)
        if phrase:
            return phrase
        choices = self.survey.reference[list_name]
        text = choices.label(code, self.lang) if code in choices.codes else code
        first_word = text.split()[0] if text.split() else ""
        if running and not first_word.isupper():  # "IOM" stays, "E-mail updates" does not
            return text[0].lower() + text[1:]
        return text

    def labels(self, list_name: str, codes: object, running: bool = True) -> str:
        values = codes if isinstance(codes, (tuple, list)) else ([codes] if codes else [])
        return self.join([self.label(list_name, str(code), running) for code in values])

    def missing(self, key: str) -> Paragraph:
        return Paragraph("Normal", [Run(self.texts.get("missing", key, self.lang),
                                        highlight=True)])


def _codes(answers: Mapping[str, object], key: str, *leave_out: str) -> list[str]:
    """The codes ticked for a multiple choice, in the list's order, less those left out."""
    value = answers.get(key)
    codes = [str(code) for code in value] if isinstance(value, (tuple, list)) else []
    return [code for code in codes if code not in leave_out]


def _text(answers: Mapping[str, object], key: str) -> str:
    value = answers.get(key)
    return value.strip() if isinstance(value, str) else ""


def _normal(*sentences: str) -> Paragraph | None:
    text = " ".join(s for s in sentences if s)
    return Paragraph("Normal", [Run(text)]) if text else None


def _programming(w: _Writer, a: Mapping[str, object]) -> list[Paragraph | None]:
    sentences = []
    if a.get("original_mandate"):
        sentences.append(w.sentence("mandate", areas=w.labels("thematic_areas",
                                                               a["original_mandate"])))
    priorities = _codes(a, "current_priorities", "other")
    if priorities or _text(a, "current_priorities_other"):
        areas = [w.label("thematic_areas", c) for c in priorities]
        if _text(a, "current_priorities_other"):
            areas.append(w.quote(_text(a, "current_priorities_other")))
        sentences.append(w.sentence("priorities", areas=w.join(areas)))
    strategy = []
    if a.get("has_strategy") == "no":
        strategy.append(w.sentence("strategy_no"))
    elif a.get("has_strategy") == "yes":
        strategy.append(w.sentence("strategy_yes", period=_text(a, "strategy_period")))
    if _text(a, "guiding_document"):
        strategy.append(w.sentence("guiding", document=_text(a, "guiding_document"),
                                   year=a.get("guiding_document_year") or "?"))
    plans = _codes(a, "work_plan")
    if "none" in plans:
        strategy.append(w.sentence("work_plan_none"))
    elif plans:
        phrases = [w.label("work_plan_cycles", c) for c in plans if c != "other"]
        if "other" in plans and _text(a, "work_plan_other"):
            phrases.append(w.quote(_text(a, "work_plan_other")))
        strategy.append(w.sentence("work_plan", plans=", ".join(phrases)))
    actors = _codes(a, "work_plan_monitoring")
    if "nobody" in actors:
        strategy.append(w.sentence("monitoring_none"))
    elif actors:
        key = "monitoring_joint" if len(actors) > 1 else "monitoring_one"
        strategy.append(w.sentence(key, actors=w.labels("monitoring_actors", actors)))
    evolution = _text(a, "thematic_evolution")
    return [_normal(*sentences), _normal(*strategy),
            _normal(w.sentence("evolution", quote=w.quote(evolution))) if evolution else None]


def _contribution(w: _Writer, a: Mapping[str, object]) -> list[Paragraph | None]:
    activities = [w.label("contribution_activities", c)
                  for c in _codes(a, "activities", "other")]
    if _text(a, "activities_other"):
        activities.append(w.quote(_text(a, "activities_other")))
    paragraphs = [_normal(w.sentence("activities", activities=w.join(activities))
                          if activities else "")]
    for key, question in (("national", "contribution_national"),
                          ("regional", "contribution_regional"),
                          ("global", "contribution_global")):
        if _text(a, question):
            paragraphs.append(_normal(w.sentence(key, quote=w.quote(_text(a, question)))))
    if a.get("joint_monitoring") == "yes" and _text(a, "joint_monitoring_details"):
        paragraphs.append(_normal(w.sentence(
            "joint_monitoring", quote=w.quote(_text(a, "joint_monitoring_details")))))
    return paragraphs


def _structures(w: _Writer, a: Mapping[str, object], tables: Mapping[str, Sequence[TableRow]]
                ) -> list[Paragraph | None]:
    parts = []
    if a.get("chair_arrangement") not in (None, "none"):
        parts.append(w.label("chair_arrangements", str(a["chair_arrangement"])))
    if a.get("has_steering_committee") == "yes":
        parts.append(w.texts.get("phrases", "steering", w.lang))
    if a.get("secretariat_type") not in (None, "none"):
        parts.append(w.label("secretariat_types", str(a["secretariat_type"])))
    first = [w.sentence("structures", parts=w.join(parts)) if parts else ""]
    if _text(a, "steering_committee_members"):
        first.append(w.sentence("steering_members",
                                quote=w.quote(_text(a, "steering_committee_members"))))
    managed = _codes(a, "secretariat_managed_by", "other")
    secretariat = ""
    if managed:
        key = "secretariat_joint" if len(managed) > 1 else "secretariat_one"
        secretariat = w.sentence(key, managed=w.labels("igos", managed, running=False))
        supporters = a.get("secretariat_supported_by") or ()
        if supporters:
            secretariat += w.texts.get("sentences", "secretariat_support", w.lang).format(
                supporters=w.labels("igos", supporters, running=False))
        secretariat += "."
    second = [secretariat]
    if _text(a, "secretariat_functions"):
        second.append(w.sentence("functions", quote=w.quote(_text(a, "secretariat_functions"))))
    documents = _codes(a, "governing_documents", "none", "other")
    if documents:
        second.append(w.sentence("governing", documents=w.labels("governing_documents",
                                                                 documents)))
    if _text(a, "knowledge_management"):
        second.append(w.sentence("knowledge", quote=w.quote(_text(a, "knowledge_management"))))
    if a.get("information_channels"):
        second.append(w.sentence("channels", channels=w.labels("information_channels",
                                                               a["information_channels"])))
    third = []
    if a.get("member_states_count") is not None:
        observers = a.get("observers_count")
        key = {None: "members", 0: "members", 1: "members_observer"}.get(
            observers if isinstance(observers, int) else None, "members_observers")
        third.append(w.sentence(key, count=a["member_states_count"],
                                observers=a.get("observers_count")))
    changes = _membership_changes(w, tables.get("membership_changes", []))
    if changes:
        third.append(w.sentence("changes", changes=changes))
    sources = [w.label("funding_sources", c) for c in _codes(a, "funding_sources", "other")]
    if _text(a, "funding_other"):
        sources.append(w.quote(_text(a, "funding_other")))
    if sources:
        third.append(w.sentence("funding", sources=w.join(sources)))
    if a.get("funding_stability"):
        third.append(w.texts.phrase("funding_stability", str(a["funding_stability"]), w.lang)
                     or "")
    return [_normal(*first), _normal(*second), _normal(*third)]


def _state_name(w: _Writer, code: object) -> str:
    return w.label("states", str(code), running=False) if code else ""


def _membership_changes(w: _Writer, rows: Sequence[TableRow]) -> str:
    grouped: dict[str, list[str]] = defaultdict(list)
    items = []
    for row in rows:
        change = str(row.values.get("change") or "")
        state = _state_name(w, row.values.get("state"))
        if change == "steering_replaced":
            template = w.texts.phrase("membership_changes", change, w.lang) or ""
            items.append(template.format(states=state,
                                         replaced=_state_name(w, row.values.get("replaced_state"))))
        elif change:
            grouped[change].append(state)
    for change, states in grouped.items():
        template = w.texts.phrase("membership_changes", change, w.lang) or "{states}"
        items.insert(0, template.format(states=w.join(states)))
    return w.join(items)


def _partnerships(w: _Writer, a: Mapping[str, object], tables: Mapping[str, Sequence[TableRow]]
                  ) -> list[Paragraph | None]:
    paragraphs: list[Paragraph | None] = []
    partners = tables.get("partner_iscms", [])
    names = [w.iscm_name(w.label("iscms", str(r.values["iscm"]), running=False))
             for r in partners if r.values.get("iscm")]
    sentences = [w.sentence("partner_iscms", iscms=w.join(names)) if names else ""]
    for row in partners:
        text = row.values.get("cooperation")
        if isinstance(text, str) and text.strip() and row.values.get("iscm"):
            sentences.append(w.sentence("partner_example", partner=w.label(
                "iscms", str(row.values["iscm"]), running=False), quote=w.quote(text)))
    paragraphs.append(_normal(*sentences))
    by_role: dict[str, list[str]] = defaultdict(list)
    examples = []
    for row in tables.get("partner_igos", []):
        igo = w.label("igos", str(row.values.get("igo") or ""), running=False)
        by_role[str(row.values.get("role") or "")].append(igo)
        text = row.values.get("example")
        if isinstance(text, str) and text.strip():
            examples.append(w.sentence("partner_example", partner=igo, quote=w.quote(text)))
    if by_role:
        groups = [f"{w.join(sorted(set(igos), key=igos.index))} "
                  f"({w.label('partner_roles', role)})" for role, igos in by_role.items()]
        paragraphs.append(_normal(w.sentence("partner_igos", igos="; ".join(groups)), *examples))
    civil = a.get("civil_society")
    if civil:
        details = _text(a, "civil_society_details")
        paragraphs.append(_normal(w.texts.phrase("civil_society_participation", str(civil),
                                                 w.lang) or "",
                                  w.quote(details) if details else ""))
    if _text(a, "regional_bodies"):
        paragraphs.append(_normal(w.sentence("regional_bodies",
                                             quote=w.quote(_text(a, "regional_bodies")))))
    return paragraphs


def _igo_voices(w: _Writer, igos: list[tuple[Reading, TableRow]]) -> list[Paragraph | None]:
    if not igos:
        return []
    names = sorted({data.respondent.name for data, _ in igos})
    key = "igos_referred_one" if len(names) == 1 else "igos_referred"
    lines = [w.sentence(key, count=w.number(len(names), capital=True), igos=w.join(names))]
    for data, row in sorted(igos, key=lambda pair: pair[0].respondent.name):
        roles = w.label("igo_roles", str(row.values.get("role") or ""))
        if row.values.get("since"):
            roles += f" ({row.values['since']})"
        lines.append(w.sentence("igo_voice", igo=data.respondent.name, roles=roles))
        text = row.values.get("example")
        if isinstance(text, str) and text.strip():
            lines.append(w.quote(text))
    return [_normal(*lines)]


def _added_value(w: _Writer, a: Mapping[str, object]) -> list[Paragraph | None]:
    paragraphs: list[Paragraph | None] = []
    if a.get("member_value"):
        paragraphs.append(_normal(
            w.sentence("member_value", areas=w.labels("value_areas", a["member_value"])),
            w.quote(_text(a, "member_value_examples")) if _text(a, "member_value_examples")
            else ""))
    for key, question in (("challenges", "challenges"), ("recommendations", "recommendations")):
        if _text(a, question):
            paragraphs.append(_normal(w.sentence(key, quote=w.quote(_text(a, question)))))
    return paragraphs


def _state_voices(w: _Writer, states: list[tuple[Reading, TableRow]]) -> list[Paragraph | None]:
    if not states:
        return [_normal(w.sentence("states_none"))]
    names = [data.respondent.name for data, _ in sorted(states, key=lambda p: p[0].respondent.name)]
    key = "states_referred_one" if len(names) == 1 else "states_referred"
    paragraphs = [_normal(w.sentence(key, count=w.number(len(names), capital=True),
                                     states=w.join([_state_name(w, d.respondent.code)
                                                    for d, _ in sorted(
                                                        states,
                                                        key=lambda p: p[0].respondent.name)])))]
    for data, row in sorted(states, key=lambda pair: pair[0].respondent.name):
        ratings = {area: row.values.get(f"value_{area}")
                   for area in w.survey.reference["value_areas"].codes}
        numeric = {area: int(v) for area, v in ratings.items() if isinstance(v, str)
                   and v.isdigit()}
        sentences = []
        state = _state_name(w, data.respondent.code)
        if numeric and max(numeric.values()) >= 3:
            best = max(numeric.values())
            areas = [area for area, value in numeric.items() if value == best]
            sentences.append(w.sentence("state_values", state=state,
                                        areas=w.labels("value_areas", areas)))
        text = row.values.get("example")
        if isinstance(text, str) and text.strip():
            sentences.append(w.sentence("state_example", state=state, quote=w.quote(text)))
        paragraphs.append(_normal(*sentences))
    return paragraphs


# What a draft says of an ISCM without a valid return, by where its return stands (the same
# states as the master's tracker: consolidate.iscm_states).
MISSING_BY_STATE = {"invalid": "iscm_invalid", "rejected": "iscm_rejected",
                    "conflicting": "iscm_conflicting"}


def compose(iscm: Iscm, own: Reading | None, voices: Voices, survey: Survey,
            texts: SummaryTexts, lang: str, state: str = "not received") -> list[Paragraph]:
    """The summary of one ISCM, as paragraphs, after the header; sections are Heading 1.
    `state` says where the ISCM's own return stands when `own` is None."""
    w = _Writer(texts, survey, lang, iscm)
    paragraphs: list[Paragraph] = []
    paragraphs.append(Paragraph("Normal", [
        Run(texts.get("intro", "name_line", lang)),
        Run(f"{iscm.full_name} ({iscm.short_name})", bold=True, italic=True)]))
    if own is None:
        paragraphs.append(w.missing(MISSING_BY_STATE.get(state, "iscm")))
    questionnaire: Questionnaire = survey.current("iscm")
    answers = own.answers if own else {}
    tables = own.tables if own else {}
    bodies = {
        "programming": lambda: _programming(w, answers),
        "contribution": lambda: _contribution(w, answers),
        "structures": lambda: _structures(w, answers, tables),
        "partnerships": lambda: _partnerships(w, answers, tables),
        "added_value": lambda: _added_value(w, answers),
    }
    for section in questionnaire.sections[1:]:
        paragraphs.append(Paragraph("Heading 1", [Run(section.title[lang])]))
        body = [p for p in bodies[section.id]() if p] if own else []
        if not body:
            paragraphs.append(w.missing("section" if own is not None or state == "not received"
                                        else "section_pending"))
        paragraphs += body
        if section.id == "partnerships":
            paragraphs += [p for p in _igo_voices(w, voices.igos) if p]
        if section.id == "added_value":
            paragraphs += [p for p in _state_voices(w, voices.states) if p]
    return paragraphs


def _demoted(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The same paragraphs one heading level down, to sit under an ISCM's own heading."""
    return [Paragraph("Heading 2", p.runs) if p.style == "Heading 1" else p for p in paragraphs]


def header(texts: SummaryTexts, survey: Survey, counts: Mapping[str, int], lang: str,
           title: str = "title") -> list[Paragraph]:
    return [
        Paragraph("Normal", [Run(texts.get("header", "organization", lang), bold=True)]),
        Paragraph("Normal", [Run(texts.get("header", "division", lang), bold=True)]),
        Paragraph("Subtitle", [Run(survey.settings.text("survey_title", lang))]),
        Paragraph("Title", [Run(texts.get("header", title, lang))]),
        Paragraph("Normal", [Run(texts.get("intro", "purpose", lang).format(
            year=survey.settings.year))]),
        Paragraph("Normal", [Run(texts.get("intro", "counts", lang).format(**counts))]),
        Paragraph("Normal", [Run(texts.get("intro", "outline", lang))]),
        Paragraph("Normal", [Run(texts.get("intro", "draft", lang), italic=True)]),
    ]


# --- from returns to documents -------------------------------------------------------------


@dataclass
class Summaries:
    files: list[Path]
    combined: Path


def write_summaries(out_dir: Path, selection: Selection, survey: Survey,
                    lang: str = "en") -> Summaries:
    texts = survey.summary
    own, named = own_returns(selection.used, survey), rows_naming_iscms(selection.used)
    states = iscm_states(selection, survey)
    kinds = Counter(item.reading.respondent.kind for item in selection.used)
    counts = {"states": kinds["state"], "iscms": kinds["iscm"], "igos": kinds["igo"]}
    files = []
    combined = header(texts, survey, counts, lang, title="all_title")
    for iscm in survey.reference.iscms:
        heard = named.get(iscm.code, {})
        voices = Voices([(item.reading, row) for item, row in heard.get("state", [])],
                        [(item.reading, row) for item, row in heard.get("igo", [])])
        state = states[iscm.code].state if iscm.code in states else "not received"
        if iscm.code not in own and not (voices.states or voices.igos) and (
                state == "not received"):
            continue  # a draft speaks of an ISCM that sent a return, or that others named
        mine = own.get(iscm.code)
        body = compose(iscm, mine.reading if mine else None, voices, survey, texts, lang,
                       state)
        path = out_dir / f"{safe_file_stem(iscm.short_name)}-{lang}.docx"
        write_docx([*header(texts, survey, counts, lang), *body], path,
                   f"{texts.get('header', 'title', lang)}: {iscm.short_name}", lang)
        files.append(path)
        combined.append(Paragraph("Heading 1", [Run(iscm.short_name)]))
        combined += _demoted(body)
    target = out_dir / f"all-iscms-{lang}.docx"
    write_docx(combined, target, texts.get("header", "all_title", lang), lang, page_breaks=True)
    return Summaries(files, target)


def write_docx(paragraphs: Sequence[Paragraph], path: Path, title: str, lang: str,
               page_breaks: bool = False) -> None:
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.author = "IOM International Partnerships Division (workbook-tools)"
    properties.last_modified_by = ""
    properties.language = lang
    properties.revision = 1
    properties.created = properties.modified = properties.last_printed = DOCUMENT_CREATED
    seen_first_heading = False
    for paragraph in paragraphs:
        if page_breaks and paragraph.style == "Heading 1":
            if seen_first_heading:
                document.add_page_break()  # type: ignore[no-untyped-call]
            seen_first_heading = True
        target = document.add_paragraph(style=paragraph.style)
        for run in paragraph.runs:
            added = target.add_run(run.text)
            added.bold = run.bold or None
            added.italic = run.italic or None
            if run.highlight:
                added.font.highlight_color = WD_COLOR_INDEX.YELLOW
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(path, normalize_package(buffer.getvalue()))
