"""Benchmark: `workbook-tools validate` and `consolidate` on 500 generated returns, each
against a naive baseline measured in the same run, `export` (every format) against
`consolidate`, and `round receive` of the same returns as saved e-mails against `validate`.
Prints ratios; never fails on a timing.

    make bench                  # or: .venv/bin/python tools/bench.py [--returns 500]

The baseline reads every sheet of every return with pandas.read_excel (openpyxl) and makes
one pandera call per return, with the same schemas.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LANGS = ("en", "fr", "es")
EXPORT_RUNS = 3

MISTAKES = [
    {"overlap": "Maybe"}, {"completion_date": "03/04/2026"}, {"ministry": None},
    {"desired_themes": ["trafficking", "smuggling", "data", "diaspora", "gcm", "integration"]},
    {"focal_point_email": "focal point at ministry"},
]


def as_emails(folder: Path, inbox: Path) -> None:
    """Each return as the saved e-mail that brought it (a resubmission: a new e-mail)."""
    import datetime as dt

    from workbook_tools.demo.mailbox import eml_bytes

    inbox.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    for index, path in enumerate(sorted(folder.iterdir())):
        respondent = path.stem.split("-resent-")[0]
        (inbox / f"{path.stem}.eml").write_bytes(eml_bytes(
            f"{respondent.lower()}@example.org", [(f"{respondent}.xlsx", path.read_bytes())],
            start + dt.timedelta(minutes=index)))


ROUND_RUNS = 3  # round receive and validate each run this often, alternately; best of each


def bench_round(work: Path, folder: Path) -> tuple[float, float, float, str]:
    """`round receive` of every return as a saved e-mail, into a fresh round of their roster,
    and `validate` of the same returns, alternately: the best time of each (a shared machine's
    noise only ever adds), the peak memory of receive, and its last line."""
    inbox = work / "inbox"
    as_emails(folder, inbox)
    roster = folder.parent / "roster.csv"  # written by generate()
    fresh = work / "round-fresh"
    subprocess.run([sys.executable, "-m", "workbook_tools", "round", "init", str(fresh),
                    "--roster", str(roster)], check=True, capture_output=True)
    received, checked, memory, output = [], [], 0.0, ""
    for run in range(ROUND_RUNS):
        round_dir = work / f"round-{run}"
        shutil.copytree(fresh, round_dir)
        command = [sys.executable, "-m", "workbook_tools", "round", "receive", str(round_dir),
                   str(inbox)]
        seconds, peak, output = measure(command)
        received.append((seconds, CPU_SECONDS[" ".join(command)]))
        memory = max(memory, peak)
        command = [sys.executable, "-m", "workbook_tools", "validate", str(folder)]
        checked.append((measure(command)[0], CPU_SECONDS[" ".join(command)]))
        shutil.rmtree(round_dir)
    ROUND_CPU.update(receive=min(cpu for _, cpu in received),
                     validate=min(cpu for _, cpu in checked))
    return min(received)[0], min(checked)[0], memory, output


ROUND_CPU: dict[str, float] = {}


def generate(folder: Path, count: int) -> None:
    """Every respondent of the reference lists answers once (249 States, 31 ISCMs, 11 IGOs:
    the most a round can have), some with mistakes; resubmissions make up the count."""
    from workbook_tools.demo.synthetic import merge, plausible_answers
    from workbook_tools.model.roster import Respondent
    from workbook_tools.model.survey import load_survey
    from workbook_tools.send.fill import fill_workbook
    from workbook_tools.send.write import write_personalized

    survey = load_survey()
    reference = survey.reference
    rng = random.Random(2019)
    iscm_codes = [i.code for i in reference.iscms]
    roster = [Respondent(f"ISCM-{i.code}", "iscm", i.code, i.short_name, rng.choice(LANGS))
              for i in reference.iscms]
    # every State and IGO the questionnaires sent can name (their version's lists)
    states, igos = survey.current("state").reference, survey.current("igo").reference
    roster += [Respondent(f"STATE-{c}", "state", c, states["states"].label(c, "en"),
                          rng.choice(LANGS), "", tuple(rng.sample(iscm_codes, rng.randint(1, 4))))
               for c in states["states"].codes]
    roster += [Respondent(f"IGO-{c}", "igo", c, c, rng.choice(LANGS), "",
                          tuple(rng.sample(iscm_codes, rng.randint(2, 6))))
               for c in igos["igos"].codes if c != "other"]
    templates = folder.parent / "templates"
    written = write_personalized(survey, roster, templates)
    with (folder.parent / "roster.csv").open("w", encoding="utf-8") as listing:
        listing.write("respondent_id,kind,code,lang,email\n")
        for respondent in roster:
            listing.write(f"{respondent.id},{respondent.kind},{respondent.code},"
                          f"{respondent.lang},{respondent.id.lower()}@example.org\n")
    distinct = []
    folder.mkdir(parents=True, exist_ok=True)
    for item, respondent in zip(written, roster, strict=True):
        questionnaire = survey.current(respondent.kind)
        filled = plausible_answers(questionnaire, questionnaire.reference, survey, respondent,
                                   respondent.lang)
        if respondent.kind == "state" and rng.random() < 0.1:
            filled = merge(filled, rng.choice(MISTAKES))
        out = folder / f"{respondent.id}.xlsx"
        fill_workbook(item.path, out, survey, filled.answers, filled.tables)
        distinct.append(out)
    for index in range(count - len(distinct)):
        source = distinct[index % len(distinct)]
        shutil.copyfile(source, folder / f"{source.stem}-resent-{index}.xlsx")


def _identity(sheets: dict[str, Any]) -> Any:
    """The identification, from the hidden sheet pandas has already read."""
    from workbook_tools.form.identity import Identity
    from workbook_tools.form.layout import META_SHEET

    meta = sheets[META_SHEET]
    identity = Identity.from_properties({str(k): "" if v != v else str(v)
                                         for k, v in zip(meta[0], meta[1], strict=True)})
    assert identity is not None
    return identity


def _naive_reads(folder: Path) -> Iterator[tuple[Path, Any, Any, dict[str, object]]]:
    """The naive reading: pandas reads every sheet of every return; answers are picked from the
    frames by the layout. Yields (file, identity, questionnaire, answers)."""
    import pandas as pd

    from workbook_tools.form.layout import layout_in
    from workbook_tools.model.survey import load_survey

    survey = load_survey()
    for path in sorted(folder.iterdir()):
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
        identity = _identity(sheets)
        questionnaire = survey.get(identity.questionnaire, identity.version)
        assert questionnaire is not None
        layout = layout_in(questionnaire, identity.lang, survey)
        answers: dict[str, object] = {}
        for f in questionnaire.fields():
            place = layout.fields[f.id]
            if not place.cell:
                continue
            frame = sheets[place.sheet]
            row = int(place.cell[1:]) - 1
            value = frame.iat[row, 2] if row < len(frame) else None
            answers[f.id] = None if pd.isna(value) else value
        yield path, identity, questionnaire, answers


def baseline(folder: Path) -> None:
    """The naive way: pandas reads every sheet, then one pandera call per return."""
    import pandera.pandas as pa

    from workbook_tools.check.schema import answers_frame, schemas_for
    from workbook_tools.model.survey import load_survey
    from workbook_tools.read.reading import Reading

    survey = load_survey()
    invalid = 0
    for path, _, questionnaire, answers in _naive_reads(folder):
        result = Reading(path, answers=answers)
        try:
            schemas_for(questionnaire, survey.settings).answers.validate(
                answers_frame(questionnaire, [result]), lazy=True)
        except pa.errors.SchemaErrors:
            invalid += 1
    print(invalid)


def baseline_consolidate(folder: Path, out: Path) -> None:
    """The naive way: pandas reads every sheet, openpyxl (default mode) writes the master."""
    from openpyxl import Workbook

    master = Workbook()
    data = master.active
    assert data is not None
    data.title = "Data"
    data.append(["respondent", "question", "label", "value", "file"])
    by_iscm: dict[str, list[list[str]]] = {}
    for path, identity, questionnaire, answers in _naive_reads(folder):
        for f in questionnaire.fields():
            value = answers.get(f.id)
            if value is None:
                continue
            data.append([identity.respondent_id, f.id, f.label["en"], str(value), str(path)])
            if identity.questionnaire == "iscm":
                by_iscm.setdefault(identity.respondent_code, []).append(
                    [f.id, f.label["en"], str(value)])
    for code, rows in sorted(by_iscm.items()):
        sheet = master.create_sheet(code[:31])
        for row in rows:
            sheet.append(row)
    master.save(out)


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident megabytes, and output of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    output = process.stdout.read() if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    CPU_SECONDS[" ".join(command)] = usage.ru_utime + usage.ru_stime  # its workers' too
    return elapsed, usage.ru_maxrss / 1024, output


CPU_SECONDS: dict[str, float] = {}  # by command line: processor seconds of the last run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--returns", type=int, default=500)
    parser.add_argument("--baseline-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline-consolidate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_only:
        baseline(args.baseline_only)
        return
    if args.baseline_consolidate:
        baseline_consolidate(args.baseline_consolidate, args.baseline_consolidate.parent /
                             "baseline-master.xlsx")
        return
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "returns"
        print(f"generating {args.returns} returns ...", flush=True)
        generate(folder, args.returns)
        tool = [sys.executable, "-m", "workbook_tools", "validate", str(folder)]
        ours, our_memory, output = measure(tool)
        summary = next((line for line in output.splitlines() if line.startswith("Checked")), "")
        theirs, their_memory, _ = measure([sys.executable, __file__, "--baseline-only",
                                           str(folder)])
        master = Path(work) / "master.xlsx"
        merged, merged_memory, output = measure([sys.executable, "-m", "workbook_tools",
                                                 "consolidate", str(folder), "--out", str(master)])
        merged_summary = next((line for line in output.splitlines()
                               if line.startswith("Consolidated")), output[-300:])
        size = master.stat().st_size if master.exists() else 0
        naive, naive_memory, _ = measure([sys.executable, __file__, "--baseline-consolidate",
                                          str(folder)])
        # export against consolidate, alternately: on a shared machine the two are compared
        # under the same load
        pairs = []
        for _ in range(EXPORT_RUNS):
            again, _, _ = measure([sys.executable, "-m", "workbook_tools", "consolidate",
                                   str(folder), "--out", str(master)])
            exported, exported_memory, output = measure([
                sys.executable, "-m", "workbook_tools", "export", str(folder), "--out",
                str(Path(work) / "export")])
            pairs.append((again, exported))
        export_summary = next((line for line in output.splitlines()
                               if line.startswith("Exported")), output[-300:])
        print("saving the returns as e-mails and starting a round ...", flush=True)
        taken, checked, taken_memory, output = bench_round(Path(work), folder)
        replies = next((line for line in output.splitlines() if "reply draft" in line), "")
    n = args.returns
    print(f"\nvalidate, whole command : {ours:6.2f} s  {n / ours:7.0f} returns/s  "
          f"peak {our_memory:5.0f} MB   ({summary})")
    print(f"naive baseline          : {theirs:6.2f} s  {n / theirs:7.0f} returns/s  "
          f"peak {their_memory:5.0f} MB   (pandas.read_excel + one pandera call per return)")
    print(f"ratio                   : {theirs / ours:6.1f} x faster   "
          f"(targets: under 2.5 s, at least 20 x)")
    print(f"\nconsolidate, whole command: {merged:6.2f} s  peak {merged_memory:5.0f} MB  "
          f"master {size / 1e6:.1f} MB   ({merged_summary.split(' into ')[0]})")
    print(f"naive baseline            : {naive:6.2f} s  peak {naive_memory:5.0f} MB   "
          "(pandas.read_excel + openpyxl default writing)")
    print(f"ratio                     : {naive / merged:6.1f} x faster   "
          "(targets: under 6 s, under 300 MB)")
    exports = sorted(e for _, e in pairs)
    ratios = sorted(e / c for c, e in pairs)
    print(f"\nexport, whole command     : {exports[0]:6.2f}–{exports[-1]:.2f} s  peak "
          f"{exported_memory:5.0f} MB   ({export_summary.split(' in ')[0]}; codebook, CSV, "
          "Parquet, Stata, SPSS)")
    print(f"ratio to consolidate      : {ratios[0]:6.2f}–{ratios[-1]:.2f} x over {len(pairs)} "
          "alternate runs of each   (target: under 2 x)")
    print(f"\nround receive, as e-mails : {taken:6.2f} s  peak {taken_memory:5.0f} MB   "
          f"({replies.split(' in ')[0]}; best of {ROUND_RUNS})")
    print(f"validate, same returns    : {checked:6.2f} s  (best of {ROUND_RUNS}, alternating)")
    print(f"ratio to validate         : {taken / checked:6.2f} x as long   (target: under 2 x)")
    print(f"processor time            : {ROUND_CPU['receive']:6.2f} s against "
          f"{ROUND_CPU['validate']:.2f} s, {ROUND_CPU['receive'] / ROUND_CPU['validate']:.2f} x "
          "(less sensitive to a busy machine)")


if __name__ == "__main__":
    main()
