"""What arrives, taken apart safely: workbooks given as they are, saved e-mails (.eml, Outlook's
.msg) and zip files of them. Nothing here writes a file or trusts a name: attachments are kept
in memory, bounded in size and number, and named only by what the round's store makes of them.

The hostile-file rules are the returns' own (read/package.py): a file larger than a return may
be is not opened; a zip's central directory is checked (sizes, ratios, compression methods,
duplicate and traversing names, nested packages) before anything is inflated.
"""

from __future__ import annotations

import datetime as dt
import email
import io
import logging
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from workbook_tools.check.validate import collect_files, is_skipped
from workbook_tools.read.package import (
    MAX_FILE_BYTES,
    OLE2_MAGIC,
    ZIP_MAGIC,
    Rejected,
    check_archive,
)
from workbook_tools.round.mail import Attachment

MAX_MESSAGE_BYTES = 2 * MAX_FILE_BYTES  # an attachment grows by a third in base64
MAX_ZIP_BYTES = 4 * MAX_FILE_BYTES  # a zip of many saved e-mails
MAX_ATTACHMENTS = 50
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls", ".xlsb", ".ods", ".csv", ".numbers")
MESSAGE_SUFFIXES = (".eml", ".msg")


@dataclass(frozen=True)
class Arrival:
    """One file that came in: a workbook as it is, or a saved e-mail and its attachments."""

    source: str  # what was given: "inbox/reply.eml", or "batch.zip: reply.eml"
    name: str  # the file's own name
    data: bytes  # its bytes, kept in the round
    kind: str  # "workbook", "message", "file" (a zip that gave nothing), or "skipped" (a
    # named pipe, a device or a broken link found inside a folder: said, never opened)
    sender: str = ""  # address, lower case
    sender_name: str = ""
    sent: dt.datetime | None = None  # the message's date
    subject: str = ""
    message_id: str = ""
    replies_to: tuple[str, ...] = ()  # In-Reply-To and References
    attachments: tuple[Attachment, ...] = ()  # what may be a return (a workbook: itself)
    ignored: tuple[str, ...] = ()  # attachments that are not questionnaires (logos, letters)
    problem: str = ""  # why nothing in it can be taken, for the coordinator


def read_arrivals(paths: Sequence[Path]) -> list[Arrival]:
    """Everything under the paths (folders recursively, hidden and lock files skipped), in
    order; a file that cannot be read is an Arrival with its problem, never an exception."""
    collected = collect_files(paths)  # the files validate would take, found the same way
    found: list[Arrival] = []
    for path in collected.files:
        found.extend(read_file(path))
    # a named pipe would block the run, a broken link holds nothing: never opened, but said;
    # a problem when the user named it, a warning when it was only found in a folder
    named = set(paths)
    found.extend(Arrival(str(item.path), item.path.name, b"",
                         "file" if item.path in named else "skipped", problem=item.reason)
                 for item in collected.passed_over)
    return found


def read_file(path: Path) -> list[Arrival]:
    suffix = path.suffix.lower()
    limit = MAX_ZIP_BYTES if suffix == ".zip" else (
        MAX_MESSAGE_BYTES if suffix in MESSAGE_SUFFIXES else MAX_FILE_BYTES)
    try:
        size = path.stat().st_size
        if size > limit:
            return [Arrival(str(path), path.name, b"", "workbook",
                            problem=f"{size / 1e6:.0f} MB, more than the {limit / 1e6:.0f} MB "
                                    "a questionnaire, a saved e-mail or a zip of them may be; "
                                    "nothing was kept")]
        data = path.read_bytes()
    except OSError as exc:
        return [Arrival(str(path), path.name, b"", "workbook",
                        problem=f"cannot be read ({exc.strerror or exc})")]
    if not data:
        return [Arrival(str(path), path.name, b"", "workbook",
                        problem="the file is empty (0 bytes); ask its sender to send it again")]
    return read_bytes(str(path), path.name, data)


def read_bytes(source: str, name: str, data: bytes, depth: int = 0) -> list[Arrival]:
    suffix = Path(name).suffix.lower()
    if suffix == ".zip" and depth == 0:
        return _read_zip(source, name, data)
    if suffix == ".eml":
        return [read_eml(source, name, data)]
    if suffix == ".msg":
        return [read_msg(source, name, data)]
    return [Arrival(source, name, data, "workbook", attachments=(Attachment(name, data),))]


def _read_zip(source: str, name: str, data: bytes) -> list[Arrival]:
    members = _zip_members(data)
    if isinstance(members, str):
        return [Arrival(source, name, data, "file", problem=members)]
    found = []
    for member, content in members:
        found.extend(read_bytes(f"{source}: {member}", member.rsplit("/", 1)[-1], content,
                                depth=1))
    if not found:
        return [Arrival(source, name, data, "file",
                        problem="the zip holds no workbook (.xlsx) and no saved e-mail "
                                "(.eml, .msg)")]
    return found


def _zip_members(data: bytes) -> list[tuple[str, bytes]] | str:
    """The members of a zip worth reading, after the returns' checks; or why not."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_archive(archive, depth=0)
    except Rejected as exc:
        reason = exc.params.get("reason") or exc.code
        return f"the zip file was not opened: it has {reason}" if exc.params.get(
            "reason") else f"the zip file was not opened ({reason})"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return f"not a zip file that can be read ({exc})"
    members = []
    for info in archive.infolist():
        relative = Path(info.filename)
        if info.is_dir() or is_skipped(relative) or relative.parts[0] == "__MACOSX":
            continue
        if not info.filename.lower().endswith((*SPREADSHEET_SUFFIXES, *MESSAGE_SUFFIXES)):
            continue
        with archive.open(info) as stream:
            members.append((info.filename, stream.read(info.file_size + 1)))
    return members


# --- saved e-mails -------------------------------------------------------------------------


def read_eml(source: str, name: str, data: bytes) -> Arrival:
    """A message saved as .eml (MIME): who sent it, when, and its attachments."""
    base = Arrival(source, name, data, "message")
    try:
        # the compat32 policy parses headers lazily: ten times faster than the modern one on
        # the few headers read here, which are decoded one by one
        message = email.message_from_bytes(data, policy=policy.compat32)
        sender_name, sender = parseaddr(_header(message, "From"))
        replies_to = _message_ids(message)
        parts = list(_attachments(message))
        when = _date(message.get("Date"))
    except Exception as exc:  # noqa: BLE001 - whatever the parser meets, the answer is a problem
        return replace(base, problem=f"cannot be read as an e-mail ({type(exc).__name__}: "
                                     f"{str(exc)[:200]})")
    if not message.get("From") and not parts:
        return replace(base, problem="not an e-mail: no sender and no attachment (a saved "
                                     "e-mail has headers such as From: and Date:)")
    return _with_attachments(replace(
        base, sender=sender.lower(), sender_name=sender_name, sent=when,
        subject=_header(message, "Subject"), message_id=_message_id(message.get(
            "Message-ID")), replies_to=replies_to), parts)


def _header(message: Message, name: str) -> str:
    """A header as text, its encoded words (=?utf-8?q?...?=) decoded."""
    value = message.get(name)
    if value is None:
        return ""
    return str(make_header(decode_header(str(value)))).strip()


def _message_id(value: object) -> str:
    text = str(value or "").strip()
    return text[:300]


def _message_ids(message: Message) -> tuple[str, ...]:
    found = []
    for header in ("In-Reply-To", "References"):
        for token in str(message.get(header, "")).split():
            if token.startswith("<") and token.endswith(">"):
                found.append(token)
    return tuple(found)


def _date(value: object) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _attachments(message: Message) -> Iterator[tuple[Attachment, bool]]:
    """Each attached file and whether it is shown inline (a logo in a signature)."""
    count = 0
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if filename is None and disposition != "attachment":
            continue  # the body, in text or HTML
        count += 1
        if count > MAX_ATTACHMENTS:
            raise ValueError(f"more than {MAX_ATTACHMENTS} attachments")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        inline = disposition == "inline" or (
            part.get_content_maintype() == "image" and part.get("Content-ID") is not None)
        yield Attachment(filename or "attachment", data), inline


def _with_attachments(arrival: Arrival, parts: Sequence[tuple[Attachment, bool]]) -> Arrival:
    """Which attachments may be the questionnaire: the spreadsheets (zip files opened) if there
    is any; otherwise every attached file, which checking will explain; never inline images."""
    files: list[Attachment] = []
    ignored: list[str] = []
    for attachment, inline in parts:
        if attachment.name.lower().endswith(".zip"):
            members = _zip_members(attachment.data)
            if isinstance(members, str):
                files.append(attachment)  # rejected when checked, with the reason
                continue
            files.extend(Attachment(name.rsplit("/", 1)[-1], data) for name, data in members
                         if name.lower().endswith(SPREADSHEET_SUFFIXES))
        elif inline:
            ignored.append(attachment.name)
        else:
            files.append(attachment)
    spreadsheets = [a for a in files if a.name.lower().endswith(SPREADSHEET_SUFFIXES)
                    or a.data.startswith((ZIP_MAGIC, OLE2_MAGIC))]
    chosen = spreadsheets or files
    ignored += [a.name for a in files if a not in chosen]
    problem = "" if chosen else (
        "the message has no attachment" if not parts else
        f"the message has no questionnaire attached (only {', '.join(ignored)})")
    return replace(arrival, attachments=tuple(chosen), ignored=tuple(ignored), problem=problem)


# --- Outlook .msg --------------------------------------------------------------------------


def read_msg(source: str, name: str, data: bytes) -> Arrival:
    """A message saved by Outlook (.msg, an OLE compound file), read with extract-msg."""
    base = Arrival(source, name, data, "message")
    if not data.startswith(OLE2_MAGIC):
        return replace(base, problem="not an Outlook message (.msg): save the e-mail again from "
                                     "Outlook (File > Save As > Outlook Message Format)")
    logging.getLogger("extract_msg").setLevel(logging.CRITICAL)
    try:
        import extract_msg

        message = extract_msg.openMsg(data, delayAttachments=False)
    except Exception as exc:  # noqa: BLE001 - a damaged file is a problem to report
        return replace(base, problem=f"cannot be read as an Outlook message ({type(exc).__name__}"
                                     f": {str(exc)[:200]})")
    try:
        sender_name, sender = parseaddr(str(getattr(message, "sender", "") or ""))
        when = getattr(message, "date", None)
        if isinstance(when, dt.datetime) and when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        parts: list[tuple[Attachment, bool]] = []
        for attachment in getattr(message, "attachments", [])[:MAX_ATTACHMENTS + 1]:
            payload = getattr(attachment, "data", None)
            filename = (getattr(attachment, "longFilename", None)
                        or getattr(attachment, "shortFilename", None) or "attachment")
            if isinstance(payload, bytes):
                inline = bool(getattr(attachment, "hidden", False))
                parts.append((Attachment(str(filename), payload), inline))
        if len(parts) > MAX_ATTACHMENTS:
            return replace(base, problem=f"more than {MAX_ATTACHMENTS} attachments")
        replies = str(getattr(message, "inReplyTo", "") or "")
        arrival = replace(base, sender=sender.lower(), sender_name=sender_name,
                          sent=when if isinstance(when, dt.datetime) else None,
                          subject=str(getattr(message, "subject", "") or ""),
                          message_id=_message_id(getattr(message, "messageId", "")),
                          replies_to=tuple(replies.split()))
    except Exception as exc:  # noqa: BLE001
        return replace(base, problem=f"cannot be read as an Outlook message ({type(exc).__name__}"
                                     f": {str(exc)[:200]})")
    finally:
        message.close()
    return _with_attachments(arrival, parts)
