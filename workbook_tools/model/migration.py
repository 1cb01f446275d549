"""From one version of a questionnaire to the next: how a late return made from an older version
joins the answers to the current one.

Each version after the first declares, in its definition's `migration:` block, how the answers
to the previous version become its own: a question that keeps its id and meaning needs no
entry; one renamed is listed under `rename`; a choice that becomes other answers is listed
under `map` (v1 status "chair" -> status "member" and role "chair"); one with no counterpart
is listed under `dropped`. `check_migration` makes sure every answer of the older version
has a declared fate, so that nothing is lost or misread in silence; `migrate` applies it, to
plain answers, one version at a time. Nothing here names a question: everything comes from
the definitions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workbook_tools.model.questionnaire import (
    CHOICE_TYPES,
    TEXT_TYPES,
    Field,
    Migration,
    Questionnaire,
    Table,
)
from workbook_tools.model.reference import NAME_LISTS

Answers = Mapping[str, object]
Row = Mapping[str, object]


def _key(table: Table | None, item_id: str) -> str:
    return f"{table.id}.{item_id}" if table else item_id


def _compatible(old: Field, new: Field) -> str | None:
    """Why an answer to `old` cannot be carried as it is to `new`, or None if it can."""
    same_kind = old.type == new.type or (old.type in TEXT_TYPES and new.type in TEXT_TYPES)
    if not same_kind:
        return f"it is a {old.type} question there and a {new.type} one here"
    if old.type in CHOICE_TYPES and old.choices not in NAME_LISTS:
        # (a State, ISCM or IGO keeps its code whatever the list: a code only an old list had,
        # a territory, keeps the label that list gave it)
        lost = [code for code in old.codes if code not in new.codes]
        if lost:
            return (f"its code(s) {', '.join(lost)} are not codes of its list here "
                    f"({', '.join(new.codes)})")
    return None


def empty_migration(target: Questionnaire, source: Questionnaire) -> Migration:
    return target.migration or Migration(source.version)


def check_migration(source: Questionnaire, target: Questionnaire) -> list[str]:
    """Every answer to `source` has a declared fate in `target`'s migration: each problem names
    the file and what to declare."""
    migration = empty_migration(target, source)
    problems: list[str] = []

    def problem(where: str, message: str) -> None:
        problems.append(f"{target.source}, migration, {where}: {message}")

    if migration.from_version != source.version:
        problem("from_version", f"must be {source.version}, the previous version of "
                                f"{target.id!r} ({source.source})")
        return problems
    new_fields = {f.id: f for f in target.fields()}
    new_tables = {t.id: t for t in target.tables()}
    old_keys: set[str] = set()

    def check(old: Field, table: Table | None) -> None:
        key = _key(table, old.id)
        old_keys.add(key)
        if table is None:
            here: dict[str, Field] = new_fields
        else:
            new_table = new_tables.get(table.id)
            here = {c.id: c for c in new_table.columns} if new_table else {}
        if key in migration.dropped:
            return
        if key in migration.map:
            codes = migration.map[key]
            if old.type not in {"single_choice", "multiple_choice", "yes_no"}:
                problem(key, "map applies to choice questions; rename or drop it")
                return
            for code in codes:
                if code not in old.codes:
                    problem(key, f"{code!r} is not a code of {old.id!r} in {source.source}")
            for code in old.codes:
                if code not in codes and (old.id not in here or code not in here[old.id].codes):
                    problem(key, f"the code {code!r} has no counterpart: map it "
                                 f"({code}: {{new id: new code}}), or to {{}} on purpose")
            for code, assignments in codes.items():
                for new_id, new_code in assignments.items():
                    new = here.get(new_id)
                    if new is None or new.type not in CHOICE_TYPES:
                        problem(key, f"{code!r} maps to {new_id!r}, which is not a choice "
                                     + ("column of the same table" if table else "question")
                                     + " here")
                    elif new_code not in new.codes:
                        problem(key, f"{code!r} maps {new_id!r} to {new_code!r}, not a code of "
                                     f"its list ({', '.join(new.codes)})")
            return
        new_id = migration.rename.get(key, old.id)
        new = here.get(new_id)
        if new is None:
            problem(key, f"{target.source} has no {'column' if table else 'question'} "
                         f"{new_id!r}: rename it (rename: {{{key}: NEW ID}}), map its codes, "
                         "or list it under dropped")
            return
        why = _compatible(old, new)
        if why:
            problem(key, f"cannot be carried to {new_id!r} as it is: {why}; map its codes, or "
                         "list it under dropped")

    for _, item in source.items():
        if isinstance(item, Table):
            if item.id not in new_tables and item.id not in migration.dropped:
                problem(item.id, f"{target.source} has no table {item.id!r}: list it under "
                                 "dropped")
                continue
            old_keys.add(item.id)
            if item.id in new_tables:
                for column in item.columns:
                    check(column, item)
        else:
            check(item, None)
    declared = {*migration.rename, *migration.map, *migration.dropped}
    for key in sorted(declared - old_keys):
        problem(key, f"{source.source} has no question or column {key!r}")
    return problems


def _assign(target: dict[str, object], fields: Mapping[str, Field], new_id: str,
            code: str) -> None:
    if fields[new_id].type == "multiple_choice":
        chosen = target.get(new_id)
        codes = chosen if isinstance(chosen, tuple) else ()
        if code not in codes:
            target[new_id] = (*codes, code)
    else:
        target[new_id] = code


def _carry(old: Field, value: object, key: str, migration: Migration,
           here: Mapping[str, Field], into: dict[str, object]) -> None:
    """One answer of the older version into the newer one's answers."""
    if value is None or value == "" or value == () or key in migration.dropped:
        return
    if key in migration.map:
        codes = value if isinstance(value, tuple) else (value,)
        for code in codes:
            assignments = migration.map[key].get(str(code))
            if assignments is None:  # a code kept as it is (checked when loaded)
                if old.id in here:
                    _assign(into, here, old.id, str(code))
                continue
            for new_id, new_code in assignments.items():
                _assign(into, here, new_id, new_code)
        return
    new_id = migration.rename.get(key, old.id)
    if new_id in here:
        into[new_id] = value


def migrate_once(source: Questionnaire, target: Questionnaire, answers: Answers,
                 tables: Mapping[str, Sequence[Row]]
                 ) -> tuple[dict[str, object], dict[str, list[dict[str, object]]]]:
    """The answers to `source` as answers to `target`, the next version, as its migration
    says. A table keeps its rows, in order (so a row still points at its place in the file)."""
    migration = empty_migration(target, source)
    new_fields = {f.id: f for f in target.fields()}
    new_tables = {t.id: t for t in target.tables()}
    moved: dict[str, object] = {}
    for old in source.fields():
        _carry(old, answers.get(old.id), old.id, migration, new_fields, moved)
    moved_tables: dict[str, list[dict[str, object]]] = {}
    for table in source.tables():
        new_table = new_tables.get(table.id)
        if new_table is None or table.id in migration.dropped:
            continue
        columns = {c.id: c for c in new_table.columns}
        rows = []
        for row in tables.get(table.id, ()):
            values: dict[str, object] = dict.fromkeys(columns)
            for column in table.columns:
                _carry(column, row.get(column.id), f"{table.id}.{column.id}", migration,
                       columns, values)
            rows.append(values)
        moved_tables[table.id] = rows
    return moved, moved_tables


def has_key(questionnaire: Questionnaire, key: str) -> bool:
    """Whether a version has a question or table (an id), or a table's column ("table.column")."""
    table_id, _, item_id = key.rpartition(".")
    if table_id:
        table = next((t for t in questionnaire.tables() if t.id == table_id), None)
        return table is not None and any(c.id == item_id for c in table.columns)
    return any(item.id == item_id for _, item in questionnaire.items())


def source_key(target: Questionnaire, key: str) -> str | None:
    """The key of the previous version whose answer a question (or "table.column") of `target`
    is made from, when its migration renames or maps one into it; None when it keeps its id."""
    migration = target.migration
    if migration is None:
        return None
    table, _, item_id = key.rpartition(".")
    for old, new in migration.rename.items():
        if new == item_id and old.rpartition(".")[0] == table:
            return old
    for old, codes in migration.map.items():
        if old.rpartition(".")[0] == table and any(
                item_id in assignments for assignments in codes.values()):
            return old
    return None
