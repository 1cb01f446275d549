"""Plausible, valid answers for any questionnaire, derived from its definition: for tests, the
demo and the benchmark. Deterministic for a given seed.

Free-text answers come from example answers kept as data (sample/examples.yaml: by
questionnaire, question and language), so that a ministry is a ministry and a description
describes; a question without examples gets a generic sentence in the return's language.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workbook_tools.model.questionnaire import Field, Questionnaire, Table, choice_list_name
from workbook_tools.model.reference import ReferenceData
from workbook_tools.model.resources import data_dir
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.model.yamlfile import load_yaml_mapping

# Codes a generated answer avoids: they ask for a specification or mean "nothing".
AVOIDED = {"other", "none", "nobody", "not_known", "na"}
SENTENCES = {
    "en": ["Regular thematic meetings bring together the focal points of the Member States.",
           "Two training workshops were held for border officials last year.",
           "The exchange of practices helped to draft the national action plan.",
           "Cooperation with partners is planned in the next work plan."],
    "fr": ["Des réunions thématiques régulières rassemblent les points focaux des États membres.",
           "Deux ateliers de formation ont été organisés l'an dernier pour les agents des "
           "frontières.",
           "L'échange de pratiques a aidé à rédiger le plan d'action national.",
           "La coopération avec les partenaires est prévue dans le prochain plan de travail."],
    "es": ["Reuniones temáticas periódicas reúnen a los puntos focales de los Estados miembros.",
           "El año pasado se celebraron dos talleres de formación para funcionarios de fronteras.",
           "El intercambio de prácticas ayudó a redactar el plan de acción nacional.",
           "La cooperación con los asociados está prevista en el próximo plan de trabajo."],
}
NAMES = ["Amina Diallo", "John Smith", "María González", "Jean Dupont", "Li Wei", "Fatima Ali"]
EXAMPLES_FILE = "examples.yaml"

# questionnaire id -> question id (TABLE.COLUMN for a column) -> language -> example answers
Examples = Mapping[str, Mapping[str, Mapping[str, Sequence[str]]]]


@lru_cache(maxsize=4)
def load_examples(path: Path | None = None) -> Examples:
    """The example answers of sample/examples.yaml (or another file of the same shape)."""
    raw = load_yaml_mapping(path or data_dir("sample") / EXAMPLES_FILE,
                            "example answers by questionnaire, question and language")
    return {str(qid): {str(question): {str(lang): [str(text) for text in texts]
                                       for lang, texts in (by_lang or {}).items()}
                       for question, by_lang in (questions or {}).items()}
            for qid, questions in raw.items()}


@dataclass
class FilledAnswers:
    answers: dict[str, object] = field(default_factory=dict)
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)


def plausible_answers(questionnaire: Questionnaire, reference: ReferenceData, survey: Survey,
                      respondent: Respondent | None, lang: str, seed: str = "",
                      personalized: bool = True, fixed: Mapping[str, object] | None = None,
                      fixed_tables: Mapping[str, list[dict[str, object]]] | None = None,
                      examples: Examples | None = None) -> FilledAnswers:
    """A complete, valid set of answers, around the `fixed` ones: a question that depends on a
    fixed answer is answered only when it applies. With `personalized`, the cells IOM
    pre-filled and locked are left alone; otherwise the respondent question is answered too."""
    rng = random.Random(f"{questionnaire.id}:{seed or (respondent.id if respondent else '')}")
    fixed, fixed_tables = fixed or {}, fixed_tables or {}
    said = (load_examples() if examples is None else examples).get(questionnaire.id, {})
    filled = FilledAnswers()
    for _, item in questionnaire.items():
        if isinstance(item, Table):
            own = (questionnaire.respondent, respondent.code) if respondent else None
            filled.tables[item.id] = (list(fixed_tables[item.id]) if item.id in fixed_tables
                                      else _rows(item, reference, survey, respondent, lang, rng,
                                                 said, own, filled.answers))
            continue
        if item.relevant is not None and not item.relevant.holds(filled.answers.get(
                item.relevant.question)):
            continue
        if item.id in fixed:
            filled.answers[item.id] = fixed[item.id]
            continue
        if item.prefill == "respondent":
            if respondent is not None and not personalized:
                filled.answers[item.id] = respondent.code
            continue
        filled.answers[item.id] = _value(item, reference, survey, respondent, lang, rng,
                                         said.get(item.id, {}).get(lang, ()),
                                         _earliest(item, filled.answers, reference,
                                                   respondent.code if respondent else None))
    return filled


def _earliest(f: Field, answers: Mapping[str, object], reference: ReferenceData,
              iscm: object) -> int | None:
    """The earliest year a year question may take (not_before), if it has one."""
    if f.not_before is None:
        return None
    if f.not_before.question:
        value = answers.get(f.not_before.question)
        return value if isinstance(value, int) else None
    return reference.established(iscm) if isinstance(iscm, str) else None


def _value(f: Field, reference: ReferenceData, survey: Survey, respondent: Respondent | None,
           lang: str, rng: random.Random, examples: Sequence[str] = (),
           earliest: int | None = None) -> object:
    list_name = choice_list_name(f)
    if f.type == "multiple_choice":
        codes = [c for c in f.codes if c not in AVOIDED] or list(f.codes)
        count = rng.randint(max(1, f.min_choices or 1), min(len(codes), f.max_choices or 3))
        return sorted(rng.sample(codes, count), key=f.codes.index)
    if list_name:
        return rng.choice(_pickable(reference[list_name].codes, list_name, survey))
    if f.type == "integer":
        low = f.min if f.min is not None else 0
        return rng.randint(low, min(f.max if f.max is not None else low + 50, low + 50))
    if f.type == "year":
        low = max(f.min or 1990, 1990, earliest or 0)
        return rng.randint(low, max(low, survey.settings.year - 1))
    if f.type == "date":
        return survey.settings.deadline - dt.timedelta(days=rng.randint(5, 40))
    if f.type == "email":
        return respondent.email if respondent and respondent.email else "focal.point@example.org"
    if f.personal:
        return rng.choice(NAMES)
    fitting = [text for text in examples if len(text) <= (f.max_length or 255)]
    sentence = rng.choice(fitting or SENTENCES[lang])
    limit = f.max_length or 255
    return sentence if len(sentence) <= limit else sentence[:limit]


def _pickable(codes: Sequence[str], list_name: str, survey: Survey,
              own: tuple[str, str] | None = None) -> list[str]:
    """The codes a made-up answer picks from: none that asks for a specification or means
    "nothing", none that only a version's frozen list still has (a territory ISO listed), and
    not the respondent itself (an ISCM does not partner with itself)."""
    current = set(survey.reference[list_name].codes) if list_name in survey.reference else set()
    found = [c for c in codes if c not in AVOIDED and (not current or c in current)
             and (own is None or own != (list_name, c))]
    return found or [c for c in codes if c not in AVOIDED] or list(codes)


def _rows(table: Table, reference: ReferenceData, survey: Survey, respondent: Respondent | None,
          lang: str, rng: random.Random, said: Mapping[str, Mapping[str, Sequence[str]]],
          own: tuple[str, str] | None = None, answers: Mapping[str, object] | None = None
          ) -> list[dict[str, object]]:
    prefilled = [c for c in table.columns if c.prefill == "iscms"]
    if prefilled and respondent is not None and respondent.iscms:
        count = min(len(respondent.iscms), table.rows)
    else:
        count = min(max(table.min_rows, rng.randint(1, 3)), table.rows)
    used: dict[str, set[object]] = {column_id: set() for column_id in table.unique}
    rows = []
    for index in range(count):
        row: dict[str, object] = {}
        for column in table.columns:
            if column.prefill == "iscms" and respondent is not None and respondent.iscms:
                row[column.id] = respondent.iscms[index]
                continue
            if column.relevant is not None and not column.relevant.holds(
                    row.get(column.relevant.question)):
                continue  # it depends on another column of the row, and does not apply
            if not column.required and rng.random() < 0.2:
                continue
            iscm = row.get(table.iscm_column.id) if table.iscm_column else None
            value = _value(column, reference, survey, respondent, lang, rng,
                           said.get(f"{table.id}.{column.id}", {}).get(lang, ()),
                           _earliest(column, answers or {}, reference, iscm))
            list_name = choice_list_name(column)
            if list_name and own is not None and value == own[1] and own[0] == list_name:
                value = rng.choice(_pickable(column.codes, list_name, survey, own))
            if column.id in used:
                options = [c for c in _pickable(column.codes, list_name or "", survey, own)
                           if c not in used[column.id]] if list_name else []
                if options:
                    value = rng.choice(options)
            row[column.id] = value
        for column_id in used:
            used[column_id].add(row.get(column_id))
        rows.append(row)
    return rows


def merge(base: FilledAnswers, answers: Mapping[str, object] | None = None,
          tables: Mapping[str, list[dict[str, object]]] | None = None) -> FilledAnswers:
    """The base answers with some replaced as they are, whatever depends on them: how a test
    or the demo writes a return with a particular mistake."""
    return FilledAnswers({**base.answers, **(answers or {})}, {**base.tables, **(tables or {})})
