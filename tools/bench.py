"""Benchmark: `workbook-tools validate` on 500 generated returns, against a naive baseline
measured in the same run. Prints ratios; never fails on a timing.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MISTAKES = [
    {"overlap": "Maybe"}, {"completion_date": "03/04/2026"}, {"ministry": None},
    {"desired_themes": ["trafficking", "smuggling", "data", "diaspora", "gcm", "integration"]},
    {"focal_point_email": "focal point at ministry"},
]


def generate(folder: Path, count: int) -> None:
    """Distinct filled returns for the sample roster, some with mistakes, copied up to count."""
    from workbook_tools.definition import load_catalogue
    from workbook_tools.fill import fill_workbook
    from workbook_tools.roster import KINDS, read_roster, sample_roster_path
    from workbook_tools.send import write_personalized
    from workbook_tools.survey import bundled_survey
    from workbook_tools.synthetic import plausible_answers

    catalogue, survey = load_catalogue(), bundled_survey()
    roster = read_roster(sample_roster_path(), catalogue.reference)
    templates = folder.parent / "templates"
    written = write_personalized(catalogue, survey, roster, templates)
    rng = random.Random(2019)
    distinct = []
    for item, respondent in zip(written, roster, strict=True):
        questionnaire = catalogue.for_respondents(KINDS[respondent.kind])
        filled = plausible_answers(questionnaire, catalogue.reference, survey, respondent,
                                   respondent.lang)
        answers = dict(filled.answers)
        if respondent.kind == "state" and rng.random() < 0.25:
            answers.update(rng.choice(MISTAKES))
        out = folder.parent / "distinct" / f"{respondent.id}.xlsx"
        fill_workbook(item.path, out, catalogue, survey, answers, filled.tables)
        distinct.append(out)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        source = distinct[index % len(distinct)]
        shutil.copyfile(source, folder / f"{index:04d}-{source.name}")


def baseline(folder: Path) -> None:
    """The naive way: pandas reads every sheet, then one pandera call per return."""
    import pandas as pd
    import pandera.pandas as pa

    from workbook_tools.definition import load_catalogue
    from workbook_tools.identity import identity_of_workbook
    from workbook_tools.layout import layout_for
    from workbook_tools.schema import answers_frame, schemas_for
    from workbook_tools.survey import bundled_survey
    from workbook_tools.returns import ReturnData

    catalogue, survey = load_catalogue(), bundled_survey()
    invalid = 0
    for path in sorted(folder.iterdir()):
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
        from openpyxl import load_workbook

        identity = identity_of_workbook(load_workbook(path, read_only=True))
        assert identity is not None
        questionnaire = catalogue.get(identity.questionnaire, identity.version)
        assert questionnaire is not None
        layout = layout_for(questionnaire, identity.lang,
                            survey.text("instructions_sheet", identity.lang))
        result = ReturnData(path)
        for f in questionnaire.fields():
            place = layout.fields[f.id]
            frame = sheets[place.sheet]
            address = place.cell or ""
            row = int(address[1:]) - 1 if address else 0
            value = frame.iat[row, 2] if address and row < len(frame) else None
            result.answers[f.id] = None if pd.isna(value) else value
        try:
            schemas_for(questionnaire, survey).answers.validate(
                answers_frame(questionnaire, [result]), lazy=True)
        except pa.errors.SchemaErrors:
            invalid += 1
    print(invalid)


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident megabytes, and output of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    output = process.stdout.read() if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--returns", type=int, default=500)
    parser.add_argument("--baseline-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_only:
        baseline(args.baseline_only)
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
    n = args.returns
    print(f"\nvalidate, whole command : {ours:6.2f} s  {n / ours:7.0f} returns/s  "
          f"peak {our_memory:5.0f} MB   ({summary})")
    print(f"naive baseline          : {theirs:6.2f} s  {n / theirs:7.0f} returns/s  "
          f"peak {their_memory:5.0f} MB   (pandas.read_excel + one pandera call per return)")
    print(f"ratio                   : {theirs / ours:6.1f} x faster   "
          f"(targets: under 2.5 s, at least 20 x)")


if __name__ == "__main__":
    main()
