"""Saved e-mails made in code, as respondents' mail programs save them: .eml (MIME) and
Outlook's .msg (an OLE compound file with MAPI properties, MS-OXMSG), with attachments. The
demo's respondents answer with them; the tests build their messages with them."""

from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def eml_bytes(sender: str, attachments: Sequence[tuple[str, bytes]], when: dt.datetime,
              subject: str = "Re: questionnaire", to: str = "iscm-assessment@iom.int",
              body: str = "Please find our questionnaire attached.", in_reply_to: str = "",
              inline_logo: bool = False) -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain="respondent.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    if inline_logo:
        message.add_alternative(f"<p>{body}</p><img src='cid:logo'>", subtype="html")
        html = message.get_body(("html",))
        assert isinstance(html, EmailMessage)
        html.add_related(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image", "png", cid="<logo>",
                         filename="image001.png")
    for name, data in attachments:
        maintype, subtype = XLSX if name.endswith(".xlsx") else ("application", "octet-stream")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def write_eml(path: Path, sender: str, attachments: Sequence[tuple[str, bytes]],
              when: dt.datetime, **more: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(eml_bytes(sender, attachments, when, **more))
    return path


# --- Outlook .msg ---------------------------------------------------------------------------
# A .msg is an OLE compound file: the message's properties are streams named
# __substg1.0_TTTTYYYY (tag, type) plus a fixed-size property stream; each attachment is a
# storage __attach_version1.0_#NNNNNNNN with its own streams. extract-msg's OleWriter writes
# the compound file; the MAPI layout is written here from the specification (MS-OXMSG).

PT_UNICODE, PT_BINARY, PT_LONG, PT_SYSTIME = 0x001F, 0x0102, 0x0003, 0x0040


def _filetime(when: dt.datetime) -> int:
    return int((when - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 10**7)


def _variable(tag: int, kind: int, size: int) -> bytes:
    return struct.pack("<IIII", (tag << 16) | kind, 6, size, 0)


def _fixed(tag: int, kind: int, value: bytes) -> bytes:
    return struct.pack("<II", (tag << 16) | kind, 6) + value.ljust(8, b"\0")


def msg_bytes(sender: str, attachments: Sequence[tuple[str, bytes]], when: dt.datetime,
              subject: str = "RE: questionnaire", body: str = "Please find it attached.",
              sender_name: str = "Focal Point") -> bytes:
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()

    def text(path: list[str], tag: int, value: str) -> bytes:
        data = value.encode("utf-16-le")
        writer.addEntry([*path, f"__substg1.0_{tag:04X}{PT_UNICODE:04X}"], data)
        return _variable(tag, PT_UNICODE, len(data) + 2)

    stamp = struct.pack("<Q", _filetime(when))
    properties = [_fixed(0x0039, PT_SYSTIME, stamp), _fixed(0x0E06, PT_SYSTIME, stamp),
                  text([], 0x001A, "IPM.Note"), text([], 0x0037, subject),
                  text([], 0x0C1A, sender_name), text([], 0x0C1F, sender),
                  text([], 0x5D01, sender), text([], 0x1000, body)]
    writer.addEntry(["__nameid_version1.0"], storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(["__nameid_version1.0", f"__substg1.0_{stream}"], b"")
    for index, (name, data) in enumerate(attachments):
        storage = [f"__attach_version1.0_#{index:08X}"]
        writer.addEntry(storage, storage=True)
        writer.addEntry([*storage, f"__substg1.0_3701{PT_BINARY:04X}"], data)
        attachment = [_fixed(0x3705, PT_LONG, struct.pack("<I", 1)),  # attached by value
                      _variable(0x3701, PT_BINARY, len(data)),
                      text(storage, 0x3707, name), text(storage, 0x3704, name)]
        writer.addEntry([*storage, "__properties_version1.0"], b"\0" * 8 + b"".join(attachment))
    header = b"\0" * 8 + struct.pack("<IIII", 0, len(attachments), 0, len(attachments)) + (
        b"\0" * 8)
    writer.addEntry(["__properties_version1.0"], header + b"".join(properties))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_msg(path: Path, sender: str, attachments: Sequence[tuple[str, bytes]],
              when: dt.datetime, **more: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg_bytes(sender, attachments, when, **more))
    return path
