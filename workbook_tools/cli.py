"""The command line: parse options, call the library, print, set the exit code."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from workbook_tools import __version__
from workbook_tools.errors import UserError
from workbook_tools.model.languages import LANGS
from workbook_tools.model.roster import SAMPLE, Respondent, read_roster
from workbook_tools.model.survey import Survey, load_survey

if TYPE_CHECKING:
    from workbook_tools.check.validate import ValidationReport


@dataclass
class Options:
    """The global options; the survey they name is loaded once, when a command first needs it."""

    definitions: Path | None
    schemas: Path | None
    _survey: Survey | None = field(default=None, repr=False)

    def survey(self) -> Survey:
        if self._survey is None:
            self._survey = load_survey(self.definitions, self.schemas)
        return self._survey


class _Group(click.Group):
    """Turns every failure into a message: a user's mistake, or a short internal error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.secho(f"error: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # whoever read the output stopped (`| head`): nothing is wrong with the inputs
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the one place the unexpected becomes a message
            click.secho(
                f"internal error: {type(exc).__name__}: {exc}\nThis is a bug in workbook-tools, "
                "not in your files; please report it with the command you ran.",
                err=True, fg="red",
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbook-tools")
@click.option("--definitions", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of the survey's definitions: the questionnaires (<id>-<version>.yaml), "
                   "survey.yaml, messages.yaml and summary.yaml (default: the bundled "
                   "templates/).")
@click.option("--schemas", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of choice and reference lists (default: the bundled schemas/).")
@click.pass_context
def cli(ctx: click.Context, definitions: Path | None, schemas: Path | None) -> None:
    """Send, check and consolidate survey questionnaires as Excel workbooks.

    Built for IOM's assessment of Inter-State Consultation Mechanisms on Migration (ISCMs):
    questionnaires for ISCMs, States and inter-governmental organizations, in English, French
    and Spanish.
    """
    ctx.obj = Options(definitions, schemas)


@cli.command()
@click.option("--kind", "kinds", multiple=True, metavar="ID",
              help="Questionnaire to write blank, by its id (iscm, state, igo). Repeatable.")
@click.option("--lang", "langs", multiple=True, type=click.Choice(LANGS),
              help="Language of the blank questionnaires (default: all three). Repeatable.")
@click.option("--roster", type=str, metavar="FILE",
              help="Write one personalized questionnaire per respondent of this roster (.csv or "
                   f".xlsx). '{SAMPLE}' uses the bundled sample roster.")
@click.option("--only", "only_ids", multiple=True, metavar="ID",
              help="With --roster: only these respondent ids. Repeatable.")
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, writable=True, path_type=Path),
              help="Folder to write the workbooks into (created if missing).")
@click.option("--password", default=None,
              help="Protect the sheets with this password (default: protected, no password).")
@click.pass_obj
def template(options: Options, kinds: tuple[str, ...], langs: tuple[str, ...],
             roster: str | None, only_ids: tuple[str, ...], out_dir: Path,
             password: str | None) -> None:
    """Write questionnaire workbooks: blank ones, or one per respondent of a roster.

    \b
    Examples:
      workbook-tools template --kind state --lang fr --out output/templates
      workbook-tools template --roster roster.csv --out output/to-send
      workbook-tools template --roster sample --out output/demo
    """
    from workbook_tools.send.write import write_blank_templates, write_personalized

    if bool(kinds) == bool(roster):
        raise click.UsageError("give either --kind (blank questionnaires) or --roster "
                               "(one per respondent)")
    if roster and langs:
        raise click.UsageError("--lang applies to blank questionnaires; a roster gives each "
                               "respondent's language")
    if only_ids and not roster:
        raise click.UsageError("--only selects respondents of a --roster")
    started = time.perf_counter()
    survey = options.survey()
    unknown_kinds = sorted(set(kinds) - set(survey.ids()))
    if unknown_kinds:
        raise click.BadParameter(f"{', '.join(unknown_kinds)}: not a questionnaire; the "
                                 f"questionnaires are {', '.join(survey.ids())}",
                                 param_hint="--kind")
    if roster:
        respondents = read_roster(Path(roster), survey)
        if only_ids:
            unknown = sorted(set(only_ids) - {r.id for r in respondents})
            if unknown:
                raise UserError(f"--only: {', '.join(unknown)} not in the roster")
            respondents = [r for r in respondents if r.id in only_ids]
        written = write_personalized(survey, respondents, out_dir, password)
    else:
        written = write_blank_templates(survey, kinds, langs or LANGS, out_dir, password)
    for item in written:
        who = f"  {item.respondent.name}" if item.respondent else ""
        click.echo(f"wrote {item.path}  ({item.questionnaire} v{item.version}, {item.lang}){who}")
    counts = Counter(item.questionnaire for item in written)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    click.echo(f"{len(written)} workbook(s) in {out_dir} ({summary}) in "
               f"{time.perf_counter() - started:.1f} s")


def _checked(survey: Survey, paths: tuple[Path, ...], roster: str | None,
             quiet: bool = False) -> tuple[ValidationReport, list[Respondent] | None]:
    """Validate the returns under the paths, with a progress bar on standard error when there
    are many; the roster, when given, is read first and checked against."""
    from workbook_tools.check.validate import collect_files, validate_paths

    respondents = read_roster(Path(roster), survey) if roster else None
    files, _ = collect_files(paths)
    with click.progressbar(length=len(files), label="Reading returns", file=sys.stderr,
                           hidden=quiet or len(files) <= 20) as bar:
        report = validate_paths(list(paths), survey, respondents,
                                progress=lambda _: bar.update(1))
    return report, respondents


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--roster", type=str, metavar="FILE",
              help=f"Also check that each respondent is in this roster ('{SAMPLE}': the "
                   "bundled sample).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the whole report as JSON on standard output, nothing else.")
@click.option("--annotate", "annotate_dir", metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Write an annotated copy of each invalid return into DIR, to send back.")
@click.option("--issues", "issues_file", metavar="FILE", type=click.Path(path_type=Path),
              help="Write every problem of every return to FILE (.csv or .xlsx).")
@click.pass_obj
def validate(options: Options, paths: tuple[Path, ...], roster: str | None, as_json: bool,
             annotate_dir: Path | None, issues_file: Path | None) -> None:
    """Check returned questionnaires: files, or folders (every file under them).

    Each return is valid, invalid (one of our questionnaires, with problems) or rejected (not
    a questionnaire that can be read), with every problem found and how to fix it. Files are
    only read, never changed.

    \b
    Exit codes: 0 every return is valid (warnings allowed), 1 any is invalid or rejected,
    2 usage error.

    \b
    Examples:
      workbook-tools validate returns/
      workbook-tools validate returns/ --annotate output/to-correct --issues output/issues.xlsx
      workbook-tools validate STATE-EGY.xlsx --json
    """
    from workbook_tools.check.annotate import annotate_invalid
    from workbook_tools.check.report import json_text, terminal_lines, write_issues

    if issues_file is not None and issues_file.suffix.lower() not in {".csv", ".xlsx"}:
        raise click.BadParameter("the issues file must end in .csv or .xlsx",
                                 param_hint="--issues")
    started = time.perf_counter()
    survey = options.survey()
    report, _ = _checked(survey, paths, roster, quiet=as_json)
    elapsed = time.perf_counter() - started
    written = []
    if annotate_dir is not None:
        written += annotate_invalid(report.returns, annotate_dir, survey.messages)
    if issues_file is not None:
        write_issues(report, issues_file, survey.messages)
        written.append(issues_file)
    if as_json:
        click.echo(json_text(report, survey.messages))
    else:
        for line in terminal_lines(report, elapsed, survey.messages):
            click.echo(line)
        for path in written:
            click.echo(f"wrote {path}")
    if not report.all_valid:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("output/master.xlsx"), show_default=True,
              help="The master workbook to write.")
@click.option("--roster", type=str, metavar="FILE",
              help="The roster, for the response tracker (who was sent a questionnaire, who is "
                   f"missing). '{SAMPLE}': the bundled sample.")
@click.option("--include-invalid", is_flag=True,
              help="Also take invalid returns, marked as such wherever their answers appear.")
@click.option("--csv", "csv_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the data sheets as CSV files into DIR, for analysts.")
@click.pass_obj
def consolidate(options: Options, paths: tuple[Path, ...], out_file: Path, roster: str | None,
                include_invalid: bool, csv_dir: Path | None) -> None:
    """Build the master workbook from returned questionnaires.

    Every return is validated first, as by `validate`; only valid ones are consolidated (see
    --include-invalid), the latest per respondent. The master has an overview (response
    tracker and charts), one sheet per ISCM, the data in long form and each questionnaire
    table, and a sheet saying what became of every file.

    \b
    Examples:
      workbook-tools consolidate returns/ --roster roster.csv
      workbook-tools consolidate returns/ --out output/master.xlsx --csv output/data
    """
    from workbook_tools.outputs.consolidate import select_returns
    from workbook_tools.outputs.master import write_master

    if out_file.suffix.lower() != ".xlsx":
        raise click.BadParameter("the master workbook's name must end in .xlsx",
                                 param_hint="--out")
    started = time.perf_counter()
    survey = options.survey()
    report, respondents = _checked(survey, paths, roster)
    selection = select_returns(report, survey, include_invalid)
    summary = write_master(out_file, report, selection, survey, respondents, csv_dir)
    click.echo(f"Consolidated {len(selection.used)} of {len(report.returns)} return(s) in "
               f"{time.perf_counter() - started:.1f} s into {summary.path}")
    click.echo(f"  {len(summary.iscm_sheets)} ISCM sheet(s), {summary.data_rows} answer(s) in "
               "Data, " + ", ".join(f"{n} row(s) in {t}" for t, n in summary.tables.items()))
    for item in report.returns:
        fate, why = selection.fate(item, survey.messages)
        if fate != "used":
            click.echo(f"  {fate:<10} {item.path}: {why}")
    for path in summary.csv_files:
        click.echo(f"wrote {path}")
    if selection.conflicts:
        click.echo(f"{len(selection.conflicts)} respondent(s) sent returns that cannot be "
                   "ordered: none of them was used. Keep one and run again.", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the Word documents into.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of the drafts (quotations stay as respondents wrote them).")
@click.option("--roster", type=str, metavar="FILE",
              help="Also check that each respondent is in this roster.")
@click.pass_obj
def summarize(options: Options, paths: tuple[Path, ...], out_dir: Path, lang: str,
              roster: str | None) -> None:
    """Draft the "Summary of Findings per ISCM": one Word document per ISCM and one with all.

    Takes the same returns as `consolidate` (validated the same way; only valid ones, the
    latest per respondent). The prose comes from sentence templates per language
    (templates/summary.yaml); free-text answers are quoted as written; what is missing is said
    and highlighted for the editor.

    \b
    Example:
      workbook-tools summarize returns/ --out output/summaries --lang fr
    """
    from workbook_tools.outputs.consolidate import select_returns
    from workbook_tools.outputs.drafts import write_summaries

    started = time.perf_counter()
    survey = options.survey()
    report, _ = _checked(survey, paths, roster)
    selection = select_returns(report, survey)
    result = write_summaries(out_dir, selection, survey, lang)
    for path in result.files:
        click.echo(f"wrote {path}")
    click.echo(f"wrote {result.combined}")
    left_out = len(report.returns) - len(selection.used)
    click.echo(f"{len(result.files)} ISCM summaries from {len(selection.used)} return(s) in "
               f"{time.perf_counter() - started:.1f} s"
               + (f"; {left_out} return(s) left out (run consolidate to see why)" if left_out
                  else ""))


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the export into; it is replaced as a whole, so it must be "
                   "new, empty, or an earlier export.")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["csv", "parquet", "stata", "spss"]),
              help="csv (with datapackage.json), parquet, stata (.dta) or spss (.sav). "
                   "Repeatable; default: every format whose library is installed.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of the codebook, the variable labels and the value labels.")
@click.option("--include-personal", is_flag=True,
              help="Also export the questions marked personal (focal points' names and "
                   "e-mail addresses); left out by default.")
@click.option("--roster", type=str, metavar="FILE",
              help="Also check that each respondent is in this roster.")
@click.pass_obj
def export(options: Options, paths: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
           lang: str, include_personal: bool, roster: str | None) -> None:
    """Export the data for analysts: a codebook, wide and long files, a data package.

    Takes the same returns as `consolidate` (validated the same way; only valid ones, the
    latest per respondent). Writes a codebook (.xlsx and Markdown) derived from the
    definitions; one wide file per questionnaire (one row per respondent, one column per
    question, a multiple choice as one 0/1 column per option), one file per questionnaire
    table, the answers in long form and the respondents, in CSV, Parquet, Stata and SPSS, with
    variable labels, value labels and missing values that say why (not applicable, not
    answered, not in the version answered); and datapackage.json, a Frictionless Data Package
    describing the CSV files.

    \b
    Examples:
      workbook-tools export returns/ --out output/export
      workbook-tools export returns/ --out output/export --format stata --lang fr
    """
    from workbook_tools.outputs.consolidate import select_returns
    from workbook_tools.outputs.export import available_formats, write_export

    started = time.perf_counter()
    available_formats(formats)  # a format asked for that cannot be written: say so first
    survey = options.survey()
    report, _ = _checked(survey, paths, roster)
    selection = select_returns(report, survey)
    result = write_export(out_dir, selection, survey, lang, formats, include_personal)
    folders: dict[Path, int] = {}
    for path in result.files:
        if path.parent == out_dir:
            click.echo(f"wrote {path}")
        else:
            folders[path.parent] = folders.get(path.parent, 0) + 1
    for folder, count in folders.items():
        click.echo(f"wrote {folder}/ ({count} files)")
    click.echo(f"Exported {len(selection.used)} of {len(report.returns)} return(s) in "
               f"{time.perf_counter() - started:.1f} s into {out_dir} (codebook, "
               + ", ".join(result.formats) + ")")
    wide = [data for data in result.dictionary.files if data.role == "wide"]
    click.echo("  " + "; ".join(f"{data.name}: {result.rows[data.name]} respondent(s), "
                                f"{len(data.variables)} column(s)" for data in wide))
    for fmt, why in result.skipped.items():
        click.echo(f"  not written: {fmt}, {why}")
    personal = sorted({variable.name for _, variable in result.dictionary.personal})
    if personal and not include_personal:
        click.echo("  personal data left out: " + ", ".join(personal)
                   + " (--include-personal to include them)")
    for item in report.returns:
        fate, why = selection.fate(item, survey.messages)
        if fate == "left out" and item.status == "invalid":
            why = f"invalid ({len(item.errors)} error(s)); `validate` lists them"
        if fate != "used":
            click.echo(f"  {fate:<10} {item.path}: {why}")
    if selection.conflicts:
        click.echo(f"{len(selection.conflicts)} respondent(s) sent returns that cannot be "
                   "ordered: none of them was used. Keep one and run again.", err=True)


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output/demo"), show_default=True,
              help="Folder for everything the demo makes.")
@click.pass_obj
def demo(options: Options, out_dir: Path) -> None:
    """Run the whole job on the bundled sample: send, receive, check, consolidate.

    Writes the sample roster's 71 questionnaires, synthetic returns in three languages (some
    with the mistakes real respondents make, one resubmission, one broken file), annotated
    copies of the invalid ones, a table of every problem, the master workbook, the draft
    summaries and the data for analysts.
    """
    from workbook_tools.demo.run import run_demo

    started = time.perf_counter()
    result = run_demo(out_dir, options.survey(), click.echo)
    click.echo(f"\nDone in {time.perf_counter() - started:.0f} s. Open first: {result.master}")
    click.echo("Then: the Overview sheet (who answered), the sheet \"Khartoum Process\", "
               f"an annotated copy in {result.to_correct}, the draft summaries in "
               f"{result.summaries}, and the data for analysts in {result.export} (its "
               "codebook first).")


@cli.command()
@click.pass_obj
def questionnaires(options: Options) -> None:
    """Check the survey's definitions (--definitions, --schemas), then list the questionnaires.

    Every problem is listed with its file and question; exit code 1 if there is any.
    """
    from workbook_tools.form.identity import fingerprint

    survey = options.survey()
    for (questionnaire_id, version), questionnaire in sorted(survey.questionnaires.items()):
        fields = sum(1 for _ in questionnaire.fields())
        tables = sum(1 for _ in questionnaire.tables())
        prints = " ".join(f"{lang}:{fingerprint(questionnaire, lang)}"
                          for lang in LANGS)
        click.echo(f"{questionnaire_id} v{version}: {len(questionnaire.sections)} sections, "
                   f"{fields} questions, {tables} tables  [{questionnaire.source}]  {prints}")
    click.echo("all definitions are valid")


@cli.command()
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of the messages.")
@click.pass_obj
def codes(options: Options, lang: str) -> None:
    """List every problem a return can have: code, severity and message."""
    entries = options.survey().messages.entries
    for code in sorted(entries):
        click.echo(f"{code:<28} {entries[code]['severity']:<8} {entries[code][lang]}")


def main() -> None:
    cli(prog_name="workbook-tools")
