"""Compare the reports of two versions of the reader, return by return: the working tree's
`validate --json` against that of another revision (main by default), on the same files.

    .venv/bin/python tools/compare_reports.py [--against main] [--returns 500] [FOLDER ...]

The files: the demo round's returns (every questionnaire, language and mistake of its story),
the bench's generated returns (distinct respondents, some with mistakes), and every damaged
return of the mutation suite (tests/test_damaged.py). Both versions run in a separate process
on the same folders with one reader process each; the JSON reports (issues, cells, values,
statuses) must be the same bytes. Prints the first difference and exits 1 when they are not.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def checkout(revision: str, into: Path) -> Path:
    """The revision's files, without touching the working tree or its git state."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision],
                             check=True, capture_output=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def mutants(folder: Path) -> Path:
    """Every damaged return of the mutation suite, written as files."""
    from tests.returns_kit import make_return
    from tests.test_damaged import MUTANTS, package

    valid = make_return(folder / "valid", "state", "en")
    with zipfile.ZipFile(valid) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    out = folder / "mutants"
    out.mkdir()
    for mutant in MUTANTS:
        (out / f"{mutant.name}.xlsx").write_bytes(package(mutant.change(dict(members))))
    return out


def demo_returns(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "workbook_tools", "demo", "--out", str(folder)],
                   check=True, capture_output=True, cwd=ROOT)
    return folder


def report(source: Path, folders: list[Path]) -> str:
    environment = {**os.environ, "PYTHONPATH": str(source), "WORKBOOK_TOOLS_WORKERS": "1"}
    done = subprocess.run([sys.executable, "-m", "workbook_tools", "validate", "--json",
                           *map(str, folders)], capture_output=True, text=True,
                          env=environment, cwd=source)
    if done.returncode not in (0, 1):
        raise SystemExit(f"validate failed in {source}:\n{done.stderr[-2000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", default="main", help="the revision to compare with")
    parser.add_argument("--returns", type=int, default=300,
                        help="generated returns (0: none)")
    parser.add_argument("folders", nargs="*", type=Path, help="more folders of returns")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work_name:
        work = Path(work_name)
        folders = [*args.folders, mutants(work)]
        print(f"{len(list(folders[-1].iterdir()))} damaged returns", flush=True)
        demo = demo_returns(work / "demo")
        folders += [path for path in sorted(demo.rglob("*")) if path.is_dir()
                    and any(child.suffix == ".xlsx" for child in path.iterdir())]
        if args.returns:
            from tools.bench import generate

            generate(work / "generated" / "returns", args.returns)
            folders.append(work / "generated" / "returns")
        old = checkout(args.against, work / "old")
        ours, theirs = report(ROOT, folders), report(old, folders)
    count = ours.count('"status"')
    if ours == theirs:
        print(f"identical reports on {count} returns ({args.against} and the working tree)")
        return
    diff = difflib.unified_diff(theirs.splitlines(), ours.splitlines(), args.against,
                                "working tree", lineterm="", n=8)
    print("\n".join(list(diff)[:80]))
    raise SystemExit(f"the reports differ ({count} returns)")


if __name__ == "__main__":
    main()
