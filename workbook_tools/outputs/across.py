"""The analysis across ISCMs, and the data of the master's charts: pure functions over the
returns used.

Which questions are broken down is derived from the ISCM questionnaire, never listed here: every
single or multiple choice it asks (but the one naming the respondent), section by section. The
region and type of each ISCM come from the reference list (schemas/iscms.yaml). Multiple-choice
answers are counted as ticked, not ticked, not answered or not applicable: never a blank that
could mean any of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from workbook_tools.check.validate import ReturnReport
from workbook_tools.model.questionnaire import CHOICE_TYPES, Field, Questionnaire, choice_list_name
from workbook_tools.model.reference import Iscm
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import (
    ANSWERED,
    NOT_ANSWERED,
    NOT_APPLICABLE,
    NOT_TICKED,
    TICKED,
    TrackerLine,
    about_iscms_table,
    answer_state,
    iscm_kind,
    kind_name,
    kinds_in_order,
    own_returns,
)

CHOSEN, NOT_CHOSEN = "chosen", "not chosen"  # an option of a single choice


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class ChartData:
    """A bar chart and the table it is drawn from: categories down, one column per series."""

    title: str  # says n
    category_header: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    axis: str
    maximum: int  # the axis runs from 0 to this: the most a bar can be
    stacked: bool = False


# --- which questions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceQuestion:
    section: str  # the section's title
    number: str
    field: Field

    @property
    def label(self) -> str:
        return self.field.label["en"]


def choice_questions(questionnaire: Questionnaire) -> list[ChoiceQuestion]:
    """Every single or multiple choice of a questionnaire but the one naming who answers."""
    return [ChoiceQuestion(section.title["en"], questionnaire.number(item.id), item)
            for section, item in questionnaire.items()
            if isinstance(item, Field) and item.type in CHOICE_TYPES
            and item.prefill != "respondent" and not item.personal]


def _options(question: Field, survey: Survey) -> list[tuple[str, str]]:
    list_name = choice_list_name(question)
    assert list_name is not None
    return [(choice.code, choice.labels["en"]) for choice in survey.reference[list_name].choices]


def _option_state(question: Field, code: str, state: str, value: object) -> str:
    if state != ANSWERED:
        return state
    if question.type == "multiple_choice":
        return TICKED if isinstance(value, tuple) and code in value else NOT_TICKED
    return CHOSEN if value == code else NOT_CHOSEN


def _current_field(item: ReturnReport, question: Field) -> Field | None:
    """The question in the version the return was made from (ids are stable across versions)."""
    assert item.questionnaire is not None
    try:
        found = item.questionnaire.item(question.id)
    except KeyError:
        return None
    return found if isinstance(found, Field) else None


# --- by ISCM and by region -----------------------------------------------------------------

ISCM_TYPE_SHORT = {"rcp": "RCP", "irf": "IRF", "global": "Global"}


@dataclass(frozen=True)
class OptionCount:
    option: str
    chosen: int
    not_chosen: int
    not_answered: int
    not_applicable: int
    iscms: tuple[str, ...]  # the ISCMs that ticked or chose it


@dataclass(frozen=True)
class QuestionSummary:
    question: ChoiceQuestion
    n: int  # ISCMs with a return in the analysis
    options: tuple[OptionCount, ...]


@dataclass(frozen=True)
class WideTable:
    """A table with one row per ISCM (or region) and one column per question or option; the
    questions of options' columns are named in groups above the table's own headers."""

    columns: tuple[str, ...]
    groups: tuple[tuple[int, int, str], ...]  # first and last column, the question above them
    rows: tuple[tuple[str | int, ...], ...]


@dataclass(frozen=True)
class AcrossIscms:
    iscms: tuple[Iscm, ...]  # with a return in the analysis, in reference-list order
    summaries: tuple[QuestionSummary, ...]
    by_iscm: WideTable  # each answer: a label, ticked, not ticked, not answered, not applicable
    by_region: WideTable  # how many ISCMs of the region ticked or chose each option


def across_iscms(used: Sequence[ReturnReport], survey: Survey) -> AcrossIscms:
    """Every choice question of the ISCM questionnaire: each ISCM's answer (a single choice in
    one column, a multiple choice in one column per option), the count per region of ISCMs
    that ticked or chose each option, and the counts of all four states across ISCMs."""
    questionnaire = survey.current(iscm_kind(survey))
    own = own_returns(used, survey)
    iscms = tuple(iscm for iscm in survey.reference.iscms if iscm.code in own)
    questions = choice_questions(questionnaire)
    regions = sorted({iscm.region for iscm in iscms})
    per_region = {region: sum(1 for iscm in iscms if iscm.region == region)
                  for region in regions}
    states: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # question, code
    by_region: dict[tuple[str, str, str], int] = defaultdict(int)  # region, question, code
    named: dict[tuple[str, str], list[str]] = defaultdict(list)
    wide_rows: list[tuple[str | int, ...]] = []
    for iscm in iscms:
        item = own[iscm.code]
        answers = item.reading.answers
        row: list[str | int] = [iscm.short_name, ISCM_TYPE_SHORT.get(iscm.type, iscm.type),
                                iscm.region]
        for question in questions:
            asked = _current_field(item, question.field)
            # a question the version it answered did not ask cannot apply to it
            state = NOT_APPLICABLE if asked is None or item.questionnaire is None else (
                answer_state(item.questionnaire, asked, answers))
            value = answers.get(question.field.id)
            for code, label in _options(question.field, survey):
                answer = _option_state(question.field, code, state, value)
                states[(question.field.id, code)][answer] += 1
                if answer in (TICKED, CHOSEN):
                    named[(question.field.id, code)].append(iscm.short_name)
                    by_region[(iscm.region, question.field.id, code)] += 1
                if question.field.type == "multiple_choice":
                    row.append(answer)
                elif answer == CHOSEN:
                    row.append(label)
            if question.field.type != "multiple_choice" and state != ANSWERED:
                row.append(state)
        wide_rows.append(tuple(row))
    iscm_columns, iscm_groups = ["iscm", "type", "region"], []
    region_columns, region_groups = ["region", "iscms"], []
    for question in questions:
        options = _options(question.field, survey)
        if question.field.type == "multiple_choice":
            iscm_groups.append((len(iscm_columns), len(iscm_columns) + len(options) - 1,
                                f"{question.number} {question.label}"))
            iscm_columns += [f"{question.number} {label}" for _, label in options]
        else:
            iscm_columns.append(f"{question.number} {question.label}")
        region_groups.append((len(region_columns), len(region_columns) + len(options) - 1,
                              f"{question.number} {question.label}"))
        region_columns += [f"{question.number} {label}" for _, label in options]
    region_rows: tuple[tuple[str | int, ...], ...] = tuple(
        (region, per_region[region], *[by_region[(region, question.field.id, code)]
                                       for question in questions
                                       for code, _ in _options(question.field, survey)])
        for region in regions)
    summaries = []
    for question in questions:
        counted = []
        for code, label in _options(question.field, survey):
            total = states[(question.field.id, code)]
            counted.append(OptionCount(label, total[TICKED] + total[CHOSEN],
                                       total[NOT_TICKED] + total[NOT_CHOSEN],
                                       total[NOT_ANSWERED], total[NOT_APPLICABLE],
                                       tuple(named[(question.field.id, code)])))
        summaries.append(QuestionSummary(question, len(iscms), tuple(counted)))
    return AcrossIscms(iscms, tuple(summaries),
                       WideTable(tuple(iscm_columns), tuple(iscm_groups), tuple(wide_rows)),
                       WideTable(tuple(region_columns), tuple(region_groups), region_rows))


# --- ratings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratings:
    """How the respondents rated each area of value, ISCM by ISCM: counts per rating."""

    respondents: str  # who rated: "States"
    levels: tuple[tuple[str, str], ...]  # the rating codes and labels, best first
    areas: tuple[str, ...]  # area labels, in their list's order
    by_iscm: tuple[tuple[Iscm, str, tuple[int, ...], int], ...]  # iscm, area, counts, raters
    raters: int  # distinct respondents who rated
    rows: int  # table rows with a rating (one respondent speaking of one ISCM)


def ratings(used: Sequence[ReturnReport], survey: Survey) -> Ratings | None:
    """The ratings in the columns with role value_ratings, or None when no table has them."""
    kinds = [kind for kind in kinds_in_order(survey)
             if (found := about_iscms_table(survey.current(kind))) is not None
             and found[0].columns_with_role("value_ratings")]
    if not kinds:
        return None
    table, _ = about_iscms_table(survey.current(kinds[0])) or (None, None)
    assert table is not None
    columns = table.columns_with_role("value_ratings")
    group = columns[0].group
    list_name = choice_list_name(columns[0])
    assert group is not None and list_name is not None
    levels = tuple((c.code, c.labels["en"]) for c in survey.reference[list_name].choices)
    areas = tuple((c.option or "", survey.reference[group].label(c.option or "", "en"))
                  for c in columns)
    tallies: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    raters: set[str] = set()
    rated_rows = 0
    by_code = {iscm.code: iscm for iscm in survey.reference.iscms}
    for item in used:
        if item.reading.respondent.kind not in kinds or item.questionnaire is None:
            continue
        found = about_iscms_table(item.questionnaire)
        if found is None:
            continue
        own_table, iscm_column = found
        for row in item.reading.tables.get(own_table.id, ()):
            iscm = row.values.get(iscm_column.id)
            rated = False
            for column in own_table.columns_with_role("value_ratings"):
                value = row.values.get(column.id)
                if isinstance(iscm, str) and isinstance(value, str) and value:
                    tallies[(iscm, column.option or "")][value] += 1
                    rated = True
            if rated:
                rated_rows += 1
                raters.add(item.reading.respondent.id or item.reading.respondent.code)
    by_iscm = []
    for iscm_code in [iscm.code for iscm in survey.reference.iscms]:
        for area, label in areas:
            tally = tallies.get((iscm_code, area))
            if tally:
                by_iscm.append((by_code[iscm_code], label,
                                tuple(tally[code] for code, _ in levels), sum(tally.values())))
    return Ratings(kind_name(survey, kinds[0]), levels, tuple(label for _, label in areas),
                   tuple(by_iscm), len(raters), rated_rows)


RATINGS_BY_ISCM = ("iscm", "type", "region", "area")
RATINGS_BY_REGION = ("region", "iscms rated", "area")


def ratings_tables(found: Ratings) -> tuple[list[str], list[tuple[str | int, ...]], list[str],
                                            list[tuple[str | int, ...]]]:
    """The ratings by ISCM and by region (of the ISCM rated): one row per ISCM (or region) and
    area, a column per rating, then how many ratings."""
    levels = [label for _, label in found.levels]
    by_iscm: list[tuple[str | int, ...]] = [
        (iscm.short_name, ISCM_TYPE_SHORT.get(iscm.type, iscm.type), iscm.region, area,
         *counts, total) for iscm, area, counts, total in found.by_iscm]
    regions: dict[tuple[str, str], list[int]] = {}
    rated: dict[str, set[str]] = defaultdict(set)
    for iscm, area, counts, total in found.by_iscm:
        sums = regions.setdefault((iscm.region, area), [0] * (len(counts) + 1))
        for index, count in enumerate((*counts, total)):
            sums[index] += count
        rated[iscm.region].add(iscm.code)
    order = {area: index for index, area in enumerate(found.areas)}
    by_region: list[tuple[str | int, ...]] = [
        (region, len(rated[region]), area, *sums)
        for (region, area), sums in sorted(regions.items(),
                                           key=lambda item: (item[0][0], order[item[0][1]]))]
    headers = [*levels, "ratings"]
    return ([*RATINGS_BY_ISCM, *headers], by_iscm, [*RATINGS_BY_REGION, *headers], by_region)


# --- the charts ----------------------------------------------------------------------------


def response_chart(lines: Sequence[TrackerLine], survey: Survey) -> ChartData:
    """Respondents by type, stacked by state: the tracker's lines for states."""
    kinds = kinds_in_order(survey)
    states = [line for line in lines
              if line.label not in ("Sent", "Superseded returns", "Not in the roster")]
    sent = next((line for line in lines if line.label == "Sent"), None)
    total = sent.total if sent else sum(line.total for line in states)
    names = tuple(_capital(kind_name(survey, kind)) for kind in kinds)
    return ChartData(f"Response by respondent type (n = {total} "
                     + ("sent)" if sent else "respondents)"), "Respondents", names,
                     tuple(Series(line.label, line.counts) for line in states), "Respondents",
                     max((sum(column) for column in zip(*(s.counts for s in states),
                                                         strict=True)), default=0),
                     stacked=True)


def priorities_chart(used: Sequence[ReturnReport], survey: Survey) -> ChartData | None:
    """How many ISCMs name each option of the question with role thematic_priorities, most
    named first; options nobody named are shown too. None when no question has the role."""
    questionnaire = survey.current(iscm_kind(survey))
    question = questionnaire.field_with_role("thematic_priorities")
    if question is None:
        return None
    counts: Counter[str] = Counter()
    answered = 0
    for item in own_returns(used, survey).values():
        own = item.questionnaire.field_with_role("thematic_priorities") if (
            item.questionnaire) else None
        value = item.reading.answers.get(own.id) if own else None
        if isinstance(value, tuple) and value:
            answered += 1
            counts.update(value)
    options = _options(question, survey)
    ranked = sorted(range(len(options)), key=lambda index: (-counts[options[index][0]], index))
    respondents = kind_name(survey, iscm_kind(survey))
    return ChartData(
        f"{questionnaire.number(question.id)} {question.label['en']} "
        f"(n = {answered} {respondents} with a valid return)", "Option",
        tuple(options[index][1] for index in ranked),
        (Series(f"{respondents} naming it", tuple(counts[options[index][0]]
                                                  for index in ranked)),),
        respondents, max(answered, 1))


def ratings_chart(found: Ratings) -> ChartData:
    """How many ratings of each level each area got, across ISCMs, on an axis from 0 to the
    number of ratings; areas with the most top ratings first."""
    totals: dict[str, list[int]] = {area: [0] * len(found.levels) for area in found.areas}
    for _, area, counts, _ in found.by_iscm:
        for index, count in enumerate(counts):
            totals[area][index] += count
    ranked = sorted(found.areas, key=lambda area: (
        tuple(-count for count in totals[area]), found.areas.index(area)))
    return ChartData(
        f"Value of membership as {found.respondents} rate it (n = {found.rows} ratings of "
        f"an ISCM by {found.raters} {found.respondents})", "Area", tuple(ranked),
        tuple(Series(label, tuple(totals[area][index] for area in ranked))
              for index, (_, label) in enumerate(found.levels)),
        "Ratings", max((sum(values) for values in totals.values()), default=1), stacked=True)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
