"""The command line: parse options, call the library, print, set the exit code."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
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
    from workbook_tools.outputs.consolidate import RoundDates, Selection


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
    from workbook_tools.check.validate import collect_files, validate_collected

    respondents = read_roster(Path(roster), survey) if roster else None
    collected = collect_files(paths)
    files = collected.files
    if not files:
        from workbook_tools.files import shown_path

        passed = "; ".join(f"{shown_path(item.path)}: {item.reason}"
                           for item in collected.passed_over[:3])
        raise UserError(f"no file to check in {', '.join(shown_path(p) for p in paths)}"
                        + (f" (hidden files and Excel's lock files are skipped: "
                           f"{len(collected.skipped)} here)" if collected.skipped else "")
                        + (f" (passed over: {passed})" if passed else "")
                        + "; give the folder or the files of the returns")
    with click.progressbar(length=len(files), label="Reading returns", file=sys.stderr,
                           hidden=quiet or len(files) <= 20) as bar:
        report = validate_collected(collected, survey, respondents,
                                    progress=lambda _: bar.update(1))
    return report, respondents


def _warn_passed_over(report: ValidationReport) -> None:
    from workbook_tools.files import shown_path

    for passed in report.passed_over:
        click.secho(f"warning: skipped {shown_path(passed.path)}: {passed.reason}", err=True,
                    fg="yellow")


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
    Exit codes: 0 every return is valid (warnings allowed), 1 any is invalid or rejected, or
    a path given is no file to read (a named pipe) or there is none, 2 usage error (a path
    that does not exist, a broken link among them).

    \b
    Examples:
      workbook-tools validate returns/
      workbook-tools validate returns/ --annotate output/to-correct --issues output/issues.xlsx
      workbook-tools validate STATE-EGY.xlsx --json
    """
    from workbook_tools.check.report import json_text, terminal_lines, write_issues
    from workbook_tools.files import check_file, check_output_folder, shown_path

    if issues_file is not None and issues_file.suffix.lower() not in {".csv", ".xlsx"}:
        raise click.BadParameter("the issues file must end in .csv or .xlsx",
                                 param_hint="--issues")
    # outputs that cannot be written are said before any return is read
    if annotate_dir is not None:
        check_output_folder(annotate_dir)
    if issues_file is not None:
        check_file(issues_file)
    started = time.perf_counter()
    survey = options.survey()
    report, _ = _checked(survey, paths, roster, quiet=as_json)
    elapsed = time.perf_counter() - started
    written = []
    if annotate_dir is not None:
        # openpyxl (a third of a second, 29 MB) only when copies are annotated
        from workbook_tools.check.annotate import annotate_invalid, describe_failure

        annotations = annotate_invalid(report.returns, annotate_dir, survey.messages)
        written += annotations.written
        for path, why in annotations.failed:
            click.secho(f"warning: {describe_failure(path, why)}", err=True, fg="yellow")
    if issues_file is not None:
        write_issues(report, issues_file, survey.messages)
        written.append(issues_file)
    if as_json:
        _warn_passed_over(report)
        click.echo(json_text(report, survey.messages))
    else:
        for line in terminal_lines(report, elapsed, survey.messages):
            click.echo(line)
        for path in written:
            click.echo(f"wrote {shown_path(path)}")
    named = set(paths)
    if not report.all_valid or any(passed.path in named for passed in report.passed_over):
        sys.exit(1)  # a path the user named that is no file to read is not a valid return


def _round_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--round", "round_dir", metavar="DIR",
                        type=click.Path(exists=True, file_okay=False, path_type=Path),
                        help=f"Take the returns of this round (`workbook-tools round`): {what}")


def _inputs(options: Options, paths: tuple[Path, ...], round_dir: Path | None,
            roster: str | None, include_invalid: bool = False) -> tuple[
                ValidationReport, Selection, list[Respondent] | None, RoundDates | None]:
    """The returns to consolidate or summarize: validated from PATHs, or a round's latest valid
    return of each respondent, ordered by the round's own dates."""
    from workbook_tools.outputs.consolidate import select_returns

    if paths and round_dir:
        raise click.UsageError("give the returns (PATH...) or --round DIR, not both")
    if not paths and not round_dir:
        raise click.UsageError("give the returns: their folder or files (PATH...), or a "
                               "round with --round DIR")
    survey = options.survey()
    if round_dir is not None:
        from workbook_tools.round.outputs import round_returns

        if roster:
            raise click.UsageError("--roster: a round has its own roster")
        found = round_returns(round_dir, survey, dt.date.today(), include_invalid)
        return found.report, found.selection, found.roster, found.dates
    report, respondents = _checked(survey, paths, roster)
    _warn_passed_over(report)
    return report, select_returns(report, survey, include_invalid), respondents, None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_round_option("the latest valid return of each respondent, and the round's dates in the "
               "tracker.")
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
@click.option("--include-personal", is_flag=True,
              help="Also put focal points' names and e-mail addresses (questions marked "
                   "personal) in the Data sheet and the CSV files; they are left out otherwise.")
@click.pass_obj
def consolidate(options: Options, paths: tuple[Path, ...], round_dir: Path | None,
                out_file: Path, roster: str | None, include_invalid: bool,
                csv_dir: Path | None, include_personal: bool) -> None:
    """Build the master workbook from returned questionnaires.

    Every return is validated first, as by `validate`; only valid ones are consolidated (see
    --include-invalid), the latest per respondent. The master has an overview (response
    tracker and charts), one sheet per ISCM, the data in long form and each questionnaire
    table, and a sheet saying what became of every file.

    \b
    Examples:
      workbook-tools consolidate returns/ --roster roster.csv
      workbook-tools consolidate returns/ --out output/master.xlsx --csv output/data
      workbook-tools consolidate --round rounds/2026 --out output/master.xlsx
    """
    from workbook_tools.files import check_file, check_output_folder, shown_path
    from workbook_tools.outputs.master import is_csv, write_master

    if out_file.suffix.lower() != ".xlsx":
        raise click.BadParameter("the master workbook's name must end in .xlsx",
                                 param_hint="--out")
    check_file(out_file)
    if csv_dir is not None:
        if _within(out_file, csv_dir):
            raise click.BadParameter("the CSV folder is replaced as a whole, so the master "
                                     "cannot be inside it; give the CSV files a folder of "
                                     "their own", param_hint="--csv")
        check_output_folder(csv_dir, is_csv, "CSV files")
    started = time.perf_counter()
    report, selection, respondents, dates = _inputs(options, paths, round_dir, roster,
                                                    include_invalid)
    survey = options.survey()
    summary = write_master(out_file, report, selection, survey, respondents, csv_dir, dates,
                           include_personal)
    click.echo(f"Consolidated {len(selection.used)} of {len(report.returns)} return(s) in "
               f"{time.perf_counter() - started:.1f} s into {shown_path(summary.path)}")
    if summary.queries:
        click.echo(f"  {summary.queries} consistency quer{'y' if summary.queries == 1 else 'ies'}"
                   " in the sheet Queries (see `workbook-tools queries`)")
    click.echo(f"  {len(summary.iscm_sheets)} ISCM sheet(s), {summary.data_rows} answer(s) in "
               "Data, " + ", ".join(f"{n} row(s) in {t}" for t, n in summary.tables.items()))
    click.echo("  tracker: " + "; ".join(
        f"{line.total} {line.label.lower()}" + (f" ({line.who})" if line.who else "")
        for line in summary.tracker if line.total))
    for path in summary.csv_files:
        click.echo(f"wrote {shown_path(path)}")
    _say_passed_over(report, selection, survey)


def _say_passed_over(report: ValidationReport, selection: Selection, survey: Survey,
                     invalid_why: str | None = None) -> None:
    """Each return not used, with why (file names shown safely), and the returns that
    cannot be ordered: what `consolidate` and `export` say after their work."""
    from workbook_tools.files import shown_path

    for item in report.returns:
        fate, why = selection.fate(item, survey.messages)
        if invalid_why is not None and fate == "left out" and item.status == "invalid":
            why = invalid_why.format(errors=len(item.errors))
        if fate != "used":
            click.echo(f"  {fate:<10} {shown_path(item.path)}: {why}")
    if selection.conflicts:
        click.echo(f"{len(selection.conflicts)} respondent(s) sent returns that cannot be "
                   "ordered: none of them was used. Keep one and run again.", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_round_option("the latest valid return of each respondent.")
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the Word documents into.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of the drafts (quotations stay as respondents wrote them).")
@click.option("--roster", type=str, metavar="FILE",
              help="Also check that each respondent is in this roster.")
@click.pass_obj
def summarize(options: Options, paths: tuple[Path, ...], round_dir: Path | None, out_dir: Path,
              lang: str, roster: str | None) -> None:
    """Draft the "Summary of Findings per ISCM": one Word document per ISCM and one with all.

    Takes the same returns as `consolidate` (validated the same way; only valid ones, the
    latest per respondent). The prose comes from sentence templates per language
    (templates/summary.yaml); free-text answers are quoted as written; what is missing is said
    and highlighted for the editor.

    \b
    Examples:
      workbook-tools summarize returns/ --out output/summaries --lang fr
      workbook-tools summarize --round rounds/2026 --out output/summaries
    """
    from workbook_tools.files import check_output_folder, shown_path
    from workbook_tools.outputs.drafts import is_draft, write_summaries

    check_output_folder(out_dir, is_draft, "Word drafts")
    started = time.perf_counter()
    report, selection, _, _ = _inputs(options, paths, round_dir, roster)
    survey = options.survey()
    result = write_summaries(out_dir, selection, survey, lang)
    for path in result.files:
        click.echo(f"wrote {shown_path(path)}")
    click.echo(f"wrote {shown_path(result.combined)}")
    left_out = len(report.returns) - len(selection.used)
    click.echo(f"{len(result.files)} ISCM summaries from {len(selection.used)} return(s) in "
               f"{time.perf_counter() - started:.1f} s"
               + (f"; {left_out} return(s) left out (run consolidate to see why)" if left_out
                  else ""))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_round_option("the latest valid return of each respondent.")
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
def export(options: Options, paths: tuple[Path, ...], round_dir: Path | None, out_dir: Path,
           formats: tuple[str, ...], lang: str, include_personal: bool,
           roster: str | None) -> None:
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
      workbook-tools export --round rounds/2026 --out output/export
    """
    from workbook_tools.files import check_output_folder
    from workbook_tools.outputs.export import EXPORT_NAMES, available_formats, write_export

    started = time.perf_counter()
    available_formats(formats)  # a format asked for that cannot be written: say so first
    check_output_folder(out_dir, lambda name: name in EXPORT_NAMES, "export files")
    survey = options.survey()
    report, selection, _, _ = _inputs(options, paths, round_dir, roster)
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
    # export takes no --include-invalid: the way to use an invalid return is to correct it
    _say_passed_over(report, selection, survey,
                     invalid_why="invalid ({errors} error(s)); `validate` lists them")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_round_option("the latest valid return of each respondent.")
@click.option("--roster", type=str, metavar="FILE",
              help="Also check that each respondent is in this roster.")
@click.option("--out", "out_file", metavar="FILE", type=click.Path(path_type=Path),
              help="Also write the queries to FILE (.csv or .xlsx), one per row, to follow up.")
@click.pass_obj
def queries(options: Options, paths: tuple[Path, ...], round_dir: Path | None,
            roster: str | None, out_file: Path | None) -> None:
    """List where returns disagree with each other or with the reference lists.

    Takes the same returns as `consolidate` (validated the same way; only valid ones, the
    latest per respondent). Each query is a question to send to a respondent, in its language:
    where in its file (sheet, cell), what it said, who said otherwise and where, and what to
    confirm. Queries are not errors: the returns stay valid, and the exit code is 0.

    \b
    Examples:
      workbook-tools queries returns/ --out output/queries.xlsx
      workbook-tools queries --round rounds/2026
    """
    from workbook_tools.check.queries import find_queries, query_rows, write_queries
    from workbook_tools.check.report import location

    if out_file is not None and out_file.suffix.lower() not in {".csv", ".xlsx"}:
        raise click.BadParameter("the queries file must end in .csv or .xlsx",
                                 param_hint="--out")
    if out_file is not None:
        from workbook_tools.files import check_file

        check_file(out_file)
    started = time.perf_counter()
    report, selection, _, _ = _inputs(options, paths, round_dir, roster)
    survey = options.survey()
    found = find_queries(selection.used, survey)
    rows = query_rows(found, survey)
    click.echo(f"{len(found)} quer{'y' if len(found) == 1 else 'ies'} across "
               f"{len(selection.used)} return(s) in {time.perf_counter() - started:.1f} s"
               + (f"; {len(report.returns) - len(selection.used)} return(s) left out (run "
                  "consolidate to see why)" if len(report.returns) > len(selection.used)
                  else ""))
    for row in rows:
        click.echo(f"\n  to {row['respondent_name']} ({row['respondent_id']}, {row['lang']}): "
                   f"{row['file']} {location(row['sheet'], row['cell'])}")
        click.echo(f"    {row['query']}")
        if row["lang"] != "en":
            click.echo(f"    [en] {row['query_en']}")
        if row["said_by"]:
            click.echo(f"    said by {row['said_by']}: "
                       + " ".join(part for part in (row["said_in"], row["said_where"]) if part))
    if out_file is not None:
        write_queries(rows, out_file)
        click.echo(f"\nwrote {out_file}")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output/demo"), show_default=True,
              help="Folder for everything the demo makes.")
@click.pass_obj
def demo(options: Options, out_dir: Path) -> None:
    """Run the whole job on the bundled sample, as a round: send, receive, answer, remind,
    consolidate.

    Starts a round with the sample roster's 71 questionnaires and their e-mail drafts, has the
    respondents answer with saved e-mails in three languages (some with the mistakes real
    respondents make, one resubmission, one broken attachment), drafts the replies with
    annotated copies, reminders, takes the corrected returns in, writes the round's status
    page, a table of every problem, the master workbook, the draft summaries and the data for
    analysts.
    """
    from workbook_tools.demo.run import STATUS_DAY, run_demo

    started = time.perf_counter()
    command = _this_command()
    result = run_demo(out_dir, options.survey(), click.echo, command)
    click.echo(f"\nDone in {time.perf_counter() - started:.0f} s. Open first: {result.master}")
    click.echo("Then: the Overview sheet (who answered), the sheet \"Khartoum Process\", "
               f"an annotated copy in {result.to_correct}, the draft summaries in "
               f"{result.summaries}, and the data for analysts in {result.export} (its "
               "codebook first).")
    click.echo(f"The round itself: {result.status} (where it stands), the e-mail drafts in "
               f"{result.round / 'outbox'}, and `{command} round status {result.round} "
               f"--as-of {STATUS_DAY}` (the day the story stops).")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _this_command() -> str:
    """How to run this tool again from here: its name when the shell finds it (the virtual
    environment active), else the path it was started by (`make demo`: .venv/bin/...)."""
    import shlex
    import shutil

    started_by = Path(sys.argv[0])
    found = shutil.which("workbook-tools")
    if started_by.name != "workbook-tools" or (found is not None and Path(found).resolve()
                                                == started_by.resolve()):
        return "workbook-tools"
    return shlex.quote(str(started_by))  # pasted into a shell as it is printed


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
        sections = len(questionnaire.sections)
        click.echo(f"{questionnaire_id} v{version}: {_count(sections, 'section')}, "
                   f"{_count(fields, 'question')}, {_count(tables, 'table')}  "
                   f"[{questionnaire.source}]  {prints}")
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


def _within(path: Path, folder: Path) -> bool:
    """Whether path is folder or lies inside it (resolved, links followed)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


# --- a round over weeks --------------------------------------------------------------------


def _moment(text: str | None) -> dt.datetime:
    """Now, or the moment given (ISO 8601; a time without zone is UTC)."""
    if not text:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r}: give a date or a date and time, e.g. 2026-11-02 or "
                                 "2026-11-02T09:00", param_hint="--now") from exc
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@dataclass
class RoundOptions:
    options: Options
    now: dt.datetime


def _address(_: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An e-mail address, alone or as "Name <address>", as the roster's are checked."""
    from email.utils import parseaddr

    if value is None:
        return None
    address = parseaddr(value)[1]
    if "@" not in address or any(character.isspace() for character in address):
        raise click.BadParameter(f"{value!r} is not an e-mail address (name@example.org)",
                                 param=param)
    return value


def _smtp_options(command: Any) -> Any:
    command = click.option(
        "--from", "sender", metavar="ADDR", callback=_address,
        help="The address the e-mails come from (default: the one given to `round init`, "
             "else the survey's contact).")(command)
    return click.option(
        "--smtp", metavar="HOST:PORT",
        help="Send through this SMTP server (STARTTLS; login from the environment variables "
             "WORKBOOK_TOOLS_SMTP_USER and WORKBOOK_TOOLS_SMTP_PASSWORD) instead of writing "
             "drafts.")(command)


def _finish(outcome: Any) -> None:
    for line in outcome.lines:
        click.echo(line)
    if outcome.problems:
        sys.exit(1)


_ROUND_DIR = click.argument("folder", metavar="DIR",
                            type=click.Path(file_okay=False, path_type=Path))


def _existing_round(folder: Path) -> Any:
    from workbook_tools.round.store import Store

    return Store.open(folder)


@cli.group(name="round", cls=_Group)
@click.option("--now", "now_text", hidden=True, metavar="DATETIME",
              help="Run as if it were this moment (replaying a round, tests).")
@click.pass_context
def round_(ctx: click.Context, now_text: str | None) -> None:
    """Run a survey round over weeks: send, take returns in, answer, remind, keep the history.

    A round is a folder: its database (round.sqlite: who was sent what and when, every
    message and return), every file received or made (files/), the questionnaires as sent
    (questionnaires/) and the e-mail drafts to send (outbox/).

    \b
    A round, in commands:
      workbook-tools round init rounds/2026 --roster roster.csv --deadline 2027-01-31
      workbook-tools round send rounds/2026            # drafts in rounds/2026/outbox/
      workbook-tools round receive rounds/2026 inbox/   # saved e-mails (.eml .msg), .xlsx, .zip
      workbook-tools round status rounds/2026 --html status.html
      workbook-tools round remind rounds/2026 --after 10
      workbook-tools round log rounds/2026 STATE-SEN
      workbook-tools consolidate --round rounds/2026 --out master.xlsx
    """
    ctx.obj = RoundOptions(ctx.obj, _moment(now_text))


@round_.command(name="init")
@_ROUND_DIR
@click.option("--roster", required=True, metavar="FILE",
              help=f"The respondents (.csv or .xlsx, as for `template`; '{SAMPLE}': the bundled "
                   "sample).")
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="When returns are due (default: the deadline in survey.yaml). Written in "
                   "the questionnaires and the e-mails.")
@click.option("--from", "sender", metavar="ADDR", callback=_address,
              help="The address the round's e-mails come from (default: the survey's contact).")
@click.pass_obj
def round_init(obj: RoundOptions, folder: Path, roster: str, deadline: dt.datetime | None,
               sender: str | None) -> None:
    """Start a round in DIR: its store, and one personalized questionnaire per respondent.

    \b
    Example:
      workbook-tools round init rounds/2026 --roster roster.csv --deadline 2027-01-31
    """
    from workbook_tools.round.ledger import init_round

    if deadline is not None and deadline.date() < obj.now.date():  # 2026 typed for 2027, say
        raise click.BadParameter(f"{deadline:%Y-%m-%d} is already past (today is "
                                 f"{obj.now:%Y-%m-%d}); give the day returns are due",
                                 param_hint="--deadline")
    _finish(init_round(folder, Path(roster), obj.options.survey(), obj.now,
                       deadline.date() if deadline else None, sender))


@round_.command(name="roster")
@_ROUND_DIR
@click.argument("roster", metavar="FILE")
@click.pass_obj
def round_roster(obj: RoundOptions, folder: Path, roster: str) -> None:
    """Apply a changed roster to the round in DIR.

    New respondents are added, with their questionnaire (then `round send` sends it); those no
    longer listed are withdrawn, their history kept; a new language or new ISCMs give a new
    questionnaire. A respondent cannot change kind or code: give the new one a new id.
    """
    from workbook_tools.round.ledger import update_roster

    with _existing_round(folder) as store:
        _finish(update_roster(store, Path(roster), obj.options.survey(), obj.now))


@round_.command(name="send")
@_ROUND_DIR
@_smtp_options
@click.option("--only", "only_ids", multiple=True, metavar="ID",
              help="Only these respondents, even if already sent (to send again). Repeatable.")
@click.pass_obj
def round_send(obj: RoundOptions, folder: Path, smtp: str | None, sender: str | None,
               only_ids: tuple[str, ...]) -> None:
    """E-mail each respondent not yet sent it their questionnaire, in their language.

    Without --smtp, writes one .eml draft per respondent in DIR/outbox/DATE-invitations/:
    Outlook opens each ready to send (Thunderbird: open, then Edit As New). Every message is
    recorded.

    \b
    Examples:
      workbook-tools round send rounds/2026
      workbook-tools round send rounds/2026 --smtp smtp.office365.com:587 --from me@iom.int
      workbook-tools round send rounds/2026 --only STATE-SEN
    """
    from workbook_tools.round.ledger import send_invitations
    from workbook_tools.round.mail import SmtpServer

    with _existing_round(folder) as store:
        _finish(send_invitations(store, obj.options.survey(), obj.now,
                                 SmtpServer.parse(smtp) if smtp else None, sender, only_ids))


@round_.command(name="receive")
@_ROUND_DIR
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_smtp_options
@click.pass_obj
def round_receive(obj: RoundOptions, folder: Path, paths: tuple[Path, ...], smtp: str | None,
                  sender: str | None) -> None:
    """Take in returns: workbooks (.xlsx), saved e-mails (.eml, Outlook .msg), zip files of
    them, or folders of all these.

    Every file is kept in the round (by content: never overwritten; the same file twice is
    counted once), every new attachment checked as by `validate`, and each new return answered
    in its respondent's language: thanks, or the problems to correct with the annotated copy
    attached, as drafts in DIR/outbox/DATE-replies/ (or sent, with --smtp).

    \b
    Exit codes: 0 every new return is valid and counted, 1 any is invalid or rejected, not
    counted (whose it is is not known), or something could not be taken (each is said), 2
    usage error.

    \b
    Example:
      workbook-tools round receive rounds/2026 ~/saved-mail/*.msg downloads/STATE-SEN.xlsx
    """
    from workbook_tools.round.ledger import receive
    from workbook_tools.round.mail import SmtpServer

    with _existing_round(folder) as store:
        _finish(receive(store, obj.options.survey(), list(paths), obj.now,
                        SmtpServer.parse(smtp) if smtp else None, sender,
                        say=lambda line: click.echo(line, err=True)))


@round_.command(name="status")
@_ROUND_DIR
@click.option("--html", "html_file", metavar="FILE", type=click.Path(dir_okay=False,
                                                                      path_type=Path),
              help="Also write the status as one self-contained HTML page to share.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Count days overdue as of this day (default: today).")
@click.pass_obj
def round_status(obj: RoundOptions, folder: Path, html_file: Path | None,
                 as_of: dt.datetime | None) -> None:
    """Where the round stands: for every respondent, when the questionnaire was sent, when a
    return came back, its state (not received, rejected, invalid, valid), the last contact
    and the days overdue.

    \b
    Example:
      workbook-tools round status rounds/2026 --html output/status.html
    """
    from workbook_tools.round.status import terminal_lines, write_html

    today = as_of.date() if as_of else obj.now.date()
    survey = obj.options.survey()
    if html_file is not None:
        from workbook_tools.files import check_file

        check_file(html_file)
    with _existing_round(folder) as store:
        from workbook_tools.round.store import CREATED, store_date

        started = store_date(store.meta(CREATED) or "")
        if as_of is not None and started and today.isoformat() < started:
            raise click.BadParameter(f"{today} is before the round began ({started}); give a "
                                     "day since", param_hint="--as-of")
        for line in terminal_lines(store, survey, today, color=sys.stdout.isatty()):
            click.echo(line)
        if html_file is not None:
            write_html(html_file, store, survey, today)
            click.echo(f"wrote {html_file}")


@round_.command(name="remind")
@_ROUND_DIR
@click.option("--after", "after_days", type=click.IntRange(min=0), default=7,
              show_default=True, metavar="DAYS",
              help="Remind only those we have not written to for at least DAYS days.")
@click.option("--only", "only_ids", multiple=True, metavar="ID",
              help="Only these respondents, whenever we last wrote. Repeatable.")
@_smtp_options
@click.pass_obj
def round_remind(obj: RoundOptions, folder: Path, after_days: int, only_ids: tuple[str, ...],
                 smtp: str | None, sender: str | None) -> None:
    """Remind respondents who have not answered, or whose latest return is invalid or could
    not be read, in their language, naming what is still missing (the questionnaire, or the
    annotated copy of their return, attached).

    \b
    Example:
      workbook-tools round remind rounds/2026 --after 10
    """
    from workbook_tools.round.ledger import remind
    from workbook_tools.round.mail import SmtpServer

    with _existing_round(folder) as store:
        _finish(remind(store, obj.options.survey(), obj.now, after_days, only_ids,
                       SmtpServer.parse(smtp) if smtp else None, sender))


@round_.command(name="log")
@_ROUND_DIR
@click.argument("respondent_id", metavar="[ID]", required=False)
@click.pass_obj
def round_log(obj: RoundOptions, folder: Path, respondent_id: str | None) -> None:
    """The dated history of the round, or of one respondent: every message sent and received,
    every return and what became of it.

    \b
    Examples:
      workbook-tools round log rounds/2026
      workbook-tools round log rounds/2026 STATE-SEN
    """
    from workbook_tools.round.status import log_lines

    with _existing_round(folder) as store:
        for line in log_lines(store, respondent_id):
            click.echo(line)


def main() -> None:
    cli(prog_name="workbook-tools")
