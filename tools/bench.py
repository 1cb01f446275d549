"""Benchmark: `workbook-tools validate` on 500 generated returns of distinct respondents
against the floor (python-calamine reading every cell of every sheet) and a naive baseline,
with 1 and 2 processes on each side, interleaved, medians of 3 runs with their range, and where
validate's time goes (a profile); `consolidate` against its naive baseline, `export` (every
format) against `consolidate`, and `round receive` of the same returns as saved e-mails
against `validate`. Prints ratios; never fails on a timing.

    make bench                  # or: .venv/bin/python tools/bench.py [--returns 500]
    .venv/bin/python tools/bench.py --only-validate     # the first part only
    .venv/bin/python tools/bench.py --scale [--keep DIR]  # 500, 2,000 and 5,000 returns

The naive baseline reads every sheet of every return with pandas.read_excel (openpyxl) and
makes one pandera call per return, with the same schemas.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import statistics
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


ROUND_RUNS = 3  # round receive and validate each run this often, alternately; median of each


def bench_round(work: Path, folder: Path) -> tuple[float, float, float, str]:
    """`round receive` of every return as a saved e-mail, into a fresh round of their roster,
    and `validate` of the same returns, alternately: the median time of each (a figure the
    README can quote, never a best case), the peak memory of receive, and its last line."""
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
    ROUND_CPU.update(receive=statistics.median(cpu for _, cpu in received),
                     validate=statistics.median(cpu for _, cpu in checked))
    return (statistics.median(seconds for seconds, _ in received),
            statistics.median(seconds for seconds, _ in checked), memory, output)


ROUND_CPU: dict[str, float] = {}


def roster_of(count: int) -> list[Any]:
    """`count` distinct respondents: every respondent of the reference lists (249 States,
    31 ISCMs, 11 IGOs: the most a round can have) once, then again under new ids (another
    focal point of the same State, say) until there are `count`; each id draws its own
    language and answers."""
    from workbook_tools.model.roster import Respondent
    from workbook_tools.model.survey import load_survey

    survey = load_survey()
    reference = survey.reference
    rng = random.Random(2019)
    iscm_codes = [i.code for i in reference.iscms]
    states, igos = survey.current("state").reference, survey.current("igo").reference
    kinds = ([("iscm", i.code, i.short_name) for i in reference.iscms]
             + [("state", c, states["states"].label(c, "en")) for c in states["states"].codes]
             + [("igo", c, c) for c in igos["igos"].codes if c != "other"])
    roster = []
    for index in range(count):
        kind, code, name = kinds[index % len(kinds)]
        round_number = index // len(kinds)
        suffix = f"-R{round_number + 1}" if round_number else ""
        respondent_id = f"{kind.upper()}-{code}{suffix}"
        iscms: tuple[str, ...] = ()
        if kind == "state":
            iscms = tuple(rng.sample(iscm_codes, rng.randint(1, 4)))
        elif kind == "igo":
            iscms = tuple(rng.sample(iscm_codes, rng.randint(2, 6)))
        roster.append(Respondent(respondent_id, kind, code, name, rng.choice(LANGS), "", iscms))
    return roster


def _write_returns(job: tuple[list[Any], Path, Path]) -> list[Path]:
    """Personalized questionnaires for some respondents, filled with their plausible answers
    (a tenth of the States with a mistake)."""
    from workbook_tools.demo.synthetic import merge, plausible_answers
    from workbook_tools.model.survey import load_survey
    from workbook_tools.send.fill import fill_workbook
    from workbook_tools.send.write import write_personalized

    roster, templates, folder = job
    survey = load_survey()
    written = write_personalized(survey, roster, templates)
    out = []
    for item, respondent in zip(written, roster, strict=True):
        questionnaire = survey.current(respondent.kind)
        filled = plausible_answers(questionnaire, questionnaire.reference, survey, respondent,
                                   respondent.lang)
        rng = random.Random(respondent.id)
        if respondent.kind == "state" and rng.random() < 0.1:
            filled = merge(filled, rng.choice(MISTAKES))
        path = folder / f"{respondent.id}.xlsx"
        fill_workbook(item.path, path, survey, filled.answers, filled.tables)
        item.path.unlink()
        out.append(path)
    return out


def generate(folder: Path, count: int) -> None:
    """`count` returns of distinct respondents (roster_of), written on every core; their
    roster beside the folder (roster.csv)."""
    from concurrent.futures import ProcessPoolExecutor

    roster = roster_of(count)
    templates = folder.parent / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder.parent / "roster.csv").open("w", encoding="utf-8") as listing:
        listing.write("respondent_id,kind,code,lang,email\n")
        for respondent in roster:
            listing.write(f"{respondent.id},{respondent.kind},{respondent.code},"
                          f"{respondent.lang},{respondent.id.lower()}@example.org\n")
    workers = os.cpu_count() or 1
    jobs = [(roster[start::workers * 4], templates, folder) for start in range(workers * 4)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_write_returns, jobs))


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


# --- validate against the floor -----------------------------------------------------------

REPEATS = 3  # interleaved runs of each command; the median is reported, with the range
WORKERS_VARIABLE = "WORKBOOK_TOOLS_WORKERS"


def floor(folder: Path, jobs: int) -> None:
    """The floor: python-calamine reads every cell of every sheet of every file, on `jobs`
    processes (each a share of the files)."""
    files = sorted(folder.iterdir())
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            print(sum(pool.map(_floor_cells, [files[start::jobs] for start in range(jobs)])))
        return
    print(_floor_cells(files))


def _floor_cells(files: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in files:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            cells += sum(len(row) for row in workbook.get_sheet_by_name(name).to_python())
    return cells


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """Megabytes of a process and all its descendants, now (from /proc): the sum of their
    resident sets (pages a forked reader shares with its parent count in both), and the sum
    of their proportional sets (a shared page counts once, in shares)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/smaps_rollup", "rb") as rollup:
                for line in rollup:
                    if line.startswith(b"Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith(b"Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue  # ended meanwhile
    return rss / 1024, pss / 1024


def measure_tree(command: list[str], environment: dict[str, str] | None = None
                 ) -> tuple[float, float, float, str, float]:
    """Wall seconds, processor seconds (with its workers'), peak resident megabytes of the
    whole process tree (sampled every 20 ms), output of one command, and the peak of the
    tree's proportional set (shared pages counted once)."""
    import threading

    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, **(environment or {})})
    peak = [0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            rss, pss = tree_memory_mb(process.pid)
            peak[:] = [max(peak[0], rss), max(peak[1], pss)]

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return (elapsed, usage.ru_utime + usage.ru_stime, max(peak[0], usage.ru_maxrss / 1024),
            output, peak[1])


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _spread(values: list[float], unit: str = "", digits: int = 2) -> str:
    """The median, and the range of the runs: never a best case alone."""
    low, high = min(values), max(values)
    return f"{_median(values):.{digits}f}{unit} ({low:.{digits}f}–{high:.{digits}f})"


def bench_validate(folder: Path, count: int) -> dict[str, list[float]]:
    """validate (1 and 2 reading processes), the calamine floor (1 and 2 processes) and the
    naive baseline, interleaved, REPEATS times: the same files, the same machine load."""
    tool = [sys.executable, "-m", "workbook_tools", "validate", "--json", str(folder)]
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "floor 1": ([sys.executable, __file__, "--floor", str(folder), "--jobs", "1"], {}),
        "validate 1": (tool, {WORKERS_VARIABLE: "1"}),
        "floor 2": ([sys.executable, __file__, "--floor", str(folder), "--jobs", "2"], {}),
        "validate 2": (tool, {WORKERS_VARIABLE: "2"}),
        "naive 1": ([sys.executable, __file__, "--baseline-only", str(folder)], {}),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    times["load"] = [os.getloadavg()[0]]  # other work on the machine: said beside the figures
    for run in range(REPEATS):
        print(f"validate against the floor: run {run + 1} of {REPEATS} ...", flush=True)
        for name, (command, environment) in commands.items():
            if name.startswith("naive") and run:
                continue  # 20 to 40 times as long as validate: once keeps the bench short
            seconds, cpu, memory, _, _ = measure_tree(command, environment)
            times[name].append(seconds)
            times.setdefault(f"{name} cpu", []).append(cpu)
            times.setdefault(f"{name} memory", []).append(memory)
    return times


def print_validate(times: dict[str, list[float]], count: int) -> None:
    print(f"\nvalidate --json on {count} distinct returns, medians of {REPEATS} interleaved "
          f"runs (range); load average when they started: {times['load'][0]:.1f}")
    for name, what in [("floor 1", "calamine, every cell of every sheet, 1 process"),
                       ("floor 2", "calamine, every cell of every sheet, 2 processes"),
                       ("validate 1", "whole command, 1 reading process"),
                       ("validate 2", "whole command, 2 reading processes"),
                       ("naive 1", "pandas.read_excel + pandera per return, 1 process")]:
        print(f"  {name:11}: {_spread(times[name], ' s')}  cpu {_spread(times[name + ' cpu'])}"
              f"  peak {_median(times[name + ' memory']):4.0f} MB   {what}")

    def ratio(ours: str, theirs: str) -> str:
        """Run by run (the same load on both sides), then the median and range."""
        pairs = list(zip(times[ours], times[theirs], strict=False))
        cpu = zip(times[f"{ours} cpu"], times[f"{theirs} cpu"], strict=False)
        return (f"{_spread([a / b for a, b in pairs], ' x')}   processor time "
                f"{_spread([a / b for a, b in cpu], ' x')}")

    print("  ratios, wall clock then processor time (less sensitive to a busy machine):")
    print(f"  validate / floor, 1 process each  : {ratio('validate 1', 'floor 1')}   "
          "(target: within 2.5 x)")
    print(f"  validate / floor, 2 processes each: {ratio('validate 2', 'floor 2')}")
    print(f"  validate, 2 processes / floor, 1  : {ratio('validate 2', 'floor 1')}   "
          "(as the issue measured)")
    naive = times["naive 1"][0] / _median(times["validate 1"])
    naive_cpu = times["naive 1 cpu"][0] / _median(times["validate 1 cpu"])
    print(f"  naive / validate, 1 process each  : {naive:.2f} x   processor time "
          f"{naive_cpu:.2f} x   (the naive baseline runs once, against validate's median)")


def profile(folder: Path) -> None:
    """Where the time of one whole validate goes (1 reading process, under cProfile: its
    overhead inflates the per-cell Python work, so the shares are approximate)."""
    import cProfile
    import io
    import pstats

    os.environ[WORKERS_VARIABLE] = "1"
    profiler = cProfile.Profile()
    profiler.enable()
    from workbook_tools.cli import cli

    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        cli(["validate", "--json", str(folder)])
    profiler.disable()
    stats: Any = pstats.Stats(profiler).stats  # (file, line, name) -> (cc, nc, tt, ct, callers)
    cumulative: dict[str, float] = {}
    for (file, _, name), (_, _, _, ct, _) in stats.items():
        key = f"{Path(file).name}:{name}"
        cumulative[key] = max(cumulative.get(key, 0.0), ct)
    total = sum(tottime for (_, _, tottime, _, _) in stats.values())

    def cum(*keys: str) -> float:
        return sum(cumulative.get(key, 0.0) for key in keys)

    reading = cum("reading.py:read_return")
    sheets = cum("sheetxml.py:read_sheet")
    gate = cum("package.py:open_package", "parts.py:find_parts")
    other_xml = cum("sheetxml.py:read_shared_strings", "sheetxml.py:read_custom_properties")
    typing = cum("reading.py:_read_answers", "reading.py:_check_structure")
    checks = cum("schema.py:check_readings")
    rows = [
        ("reading (all)", reading),
        ("  sheets: expat + the per-cell checks", sheets),
        ("  package gate: zip checks, inflating, parts", gate),
        ("  shared strings, properties", other_xml),
        ("  coercion and structure checks", typing),
        ("definitions (load_survey)", cum("survey.py:load_survey")),
        ("schema checks (pandera, with its import)", checks),
        ("report (JSON)", cum("report.py:json_text")),
        ("imports (all modules)", cum("<frozen importlib._bootstrap>:_find_and_load")),
    ]
    print(f"\nwhere the time of validate goes ({folder.name}, 1 process, cProfile, "
          f"{total:.1f} s profiled):")
    for label, seconds in rows:
        print(f"  {label:45} {seconds:6.2f} s  {100 * seconds / total:3.0f} %")


def _in_roster_order(path: Path) -> tuple[int, str]:
    """Every respondent of the reference lists first, then the second ids, and so on."""
    stem, _, number = path.stem.rpartition("-R")
    return (int(number), stem) if stem and number.isdigit() else (1, path.stem)


def bench_scale(work: Path, sizes: list[int], keep: Path | None) -> None:
    """validate on growing numbers of distinct returns: cost per return and peak memory of
    the whole process tree. The largest set is generated once (or kept in `keep`); each size
    takes its first returns."""
    largest = max(sizes)
    source = (keep or work / "scale") / "returns"
    if not source.exists() or len(list(source.iterdir())) < largest:
        print(f"generating {largest} distinct returns (several minutes) ...", flush=True)
        shutil.rmtree(source, ignore_errors=True)
        generate(source, largest)
    files = sorted(source.iterdir(), key=_in_roster_order)
    print(f"\nscale: validate --json (2 reading processes), medians of {REPEATS} runs")
    results = []
    for size in sorted(sizes):
        folder = work / f"scale-{size}"
        folder.mkdir()
        for path in files[:size]:
            os.link(path, folder / path.name)
        runs = [measure_tree([sys.executable, "-m", "workbook_tools", "validate", "--json",
                              str(folder)]) for _ in range(REPEATS)]
        wall = [r[0] for r in runs]
        cpu = [r[1] for r in runs]
        memory = max(r[2] for r in runs)
        shares = max(r[4] for r in runs)
        results.append((size, _median(wall), _median(cpu)))
        print(f"  {size:5} returns: {_spread(wall, ' s')}  {1000 * _median(wall) / size:5.2f} "
              f"ms/return  cpu {1000 * _median(cpu) / size:5.2f} ms/return  peak of the tree: "
              f"{memory:4.0f} MB resident, {shares:4.0f} MB proportional", flush=True)
        shutil.rmtree(folder)
    if len(results) > 1:
        (small, small_wall, small_cpu), (big, big_wall, big_cpu) = results[0], results[-1]
        print(f"  marginal cost per return from {small} to {big}: "
              f"{1000 * (big_wall - small_wall) / (big - small):.2f} ms wall, "
              f"{1000 * (big_cpu - small_cpu) / (big - small):.2f} ms cpu")


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
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only-validate", action="store_true",
                        help="only validate against the floor and the naive baseline")
    parser.add_argument("--scale", action="store_true",
                        help="only the scale run: 500, 2,000 and 5,000 distinct returns "
                             "(generating them takes 10 to 20 minutes on 2 cores)")
    parser.add_argument("--sizes", default="500,2000,5000", help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path,
                        help="keep the scale run's generated returns in this folder, and "
                             "reuse them in the next run")
    args = parser.parse_args()
    if args.floor:
        floor(args.floor, args.jobs)
        return
    if args.profile:
        profile(args.profile)
        return
    if args.scale:
        with tempfile.TemporaryDirectory() as work:
            bench_scale(Path(work), [int(size) for size in args.sizes.split(",")], args.keep)
        return
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
        times = bench_validate(folder, args.returns)
        print_validate(times, args.returns)
        # the profile in its own process: what it imports must not be inherited by the others
        subprocess.run([sys.executable, __file__, "--profile", str(folder)], check=True)
        if args.only_validate:
            return
        tool = [sys.executable, "-m", "workbook_tools", "validate", str(folder)]
        ours, our_memory, output = measure(tool)
        summary = next((line for line in output.splitlines() if line.startswith("Checked")), "")
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
    print(f"\nvalidate, whole command (as the others below, once): {ours:6.2f} s  "
          f"peak {our_memory:5.0f} MB   ({summary})")
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
          f"({replies.split(' in ')[0]}; median of {ROUND_RUNS})")
    print(f"validate, same returns    : {checked:6.2f} s  (median of {ROUND_RUNS}, alternating)")
    print(f"ratio to validate         : {taken / checked:6.2f} x as long   (target: under 2 x)")
    print(f"processor time            : {ROUND_CPU['receive']:6.2f} s against "
          f"{ROUND_CPU['validate']:.2f} s, {ROUND_CPU['receive'] / ROUND_CPU['validate']:.2f} x "
          "(less sensitive to a busy machine)")


if __name__ == "__main__":
    main()
