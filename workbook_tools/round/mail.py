"""The round's e-mails: written from the survey's texts (survey.yaml, `mail`) in the
respondent's language, kept as .eml drafts that Outlook and Thunderbird open ready to send, or
sent through an SMTP server over STARTTLS.

SMTP credentials come from the environment only (WORKBOOK_TOOLS_SMTP_USER,
WORKBOOK_TOOLS_SMTP_PASSWORD), never from the command line, where other users of the machine and
the shell's history would see them.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.charset import QP, Charset
from email.header import Header, decode_header, make_header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, formataddr, make_msgid

from workbook_tools.errors import UserError
from workbook_tools.model.messages import Issue
from workbook_tools.model.questionnaire import Questionnaire
from workbook_tools.model.survey import Survey

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
USER_VARIABLE, PASSWORD_VARIABLE = "WORKBOOK_TOOLS_SMTP_USER", "WORKBOOK_TOOLS_SMTP_PASSWORD"
SMTP_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes


def compose(survey: Survey, lang: str, kind: str, values: dict[str, str], sender: str,
            recipient: str, at: dt.datetime, attachments: Sequence[Attachment] = (),
            in_reply_to: str = "", subject_key: str = "") -> Message:
    """One e-mail: subject `<kind>_subject` (or subject_key), body `<kind>_body`, then the
    signature, in lang; the attachments as files. Built with the classic MIME classes, whose
    headers are plain text: a round writes hundreds of replies at once."""
    settings = survey.settings
    message = MIMEMultipart()
    message["From"] = sender_header(survey, lang, sender)
    message["To"] = recipient
    message["Subject"] = Header(settings.mail_text(subject_key or f"{kind}_subject", lang,
                                                   name=values.get("name", "")),
                                "utf-8").encode()
    message["Date"] = format_datetime(at.astimezone(dt.UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message["Content-Language"] = lang
    body = settings.mail_text(f"{kind}_body", lang, **values)
    signature = settings.mail_text("signature", lang, contact=settings.contact)
    text = MIMENonMultipart("text", "plain")
    text.set_payload(f"{body}\n\n{signature}\n", _TEXT)
    message.attach(text)
    for attachment in attachments:
        subtype = XLSX_TYPE[1] if attachment.name.lower().endswith(".xlsx") else "octet-stream"
        part = MIMEApplication(attachment.data, subtype)
        part.add_header("Content-Disposition", "attachment", filename=attachment.name)
        message.attach(part)
    return message


_TEXT = Charset("utf-8")
_TEXT.body_encoding = QP  # readable in the .eml itself, unlike base64
_GENERATE = policy.compat32.clone(linesep="\r\n")


def header_text(message: Message, name: str) -> str:
    """A header of a composed message as text (its encoded words decoded)."""
    value = message.get(name)
    return "" if value is None else str(make_header(decode_header(str(value))))


def sender_header(survey: Survey, lang: str, address: str) -> str:
    """ "OIM - Évaluation des MCIM <iscm-assessment@iom.int>", the name in lang, encoded."""
    name = survey.settings.mail_text("sender_name", lang)
    return formataddr((name, address)) if "@" in address else address


def draft_bytes(message: Message) -> bytes:
    """The message as an .eml file that mail programs open as an unsent draft, ready to send
    (Outlook reads X-Unsent; Thunderbird opens it and "Edit as New" sends it)."""
    if message["X-Unsent"] is None:
        message["X-Unsent"] = "1"  # the letter becomes a draft: it is never sent otherwise
    return message.as_bytes(policy=_GENERATE)


def problem_lines(survey: Survey, questionnaire: Questionnaire | None, issues: Sequence[Issue],
                  lang: str) -> str:
    """The problems of a return as lines of an e-mail, in lang: where (question, sheet, cell)
    and the catalogue's message, which says how to fix it."""
    settings, messages = survey.settings, survey.messages
    lines = []
    for issue in issues:
        message = messages.render(issue, lang)
        number = questionnaire.number(issue.question) if (
            questionnaire is not None and issue.question) else ""
        if issue.sheet and issue.cell and number:
            text = settings.mail_text("problem_at_question", lang, number=number,
                                      sheet=issue.sheet, cell=issue.cell, message=message)
        elif issue.sheet and issue.cell:
            text = settings.mail_text("problem_at_cell", lang, sheet=issue.sheet,
                                      cell=issue.cell, message=message)
        elif issue.sheet:
            text = settings.mail_text("problem_at_sheet", lang, sheet=issue.sheet,
                                      message=message)
        else:
            text = settings.mail_text("problem_in_file", lang, message=message)
        lines.append(f"- {text}")
    return "\n".join(lines)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> SmtpServer:
        host, _, port = text.rpartition(":")
        if not host or not port.isdigit():
            raise UserError(f"--smtp {text!r}: give HOST:PORT, e.g. smtp.office365.com:587")
        return cls(host.strip("[]"), int(port))


class SmtpSession:
    """One connection to the server: STARTTLS first (refused if the server does not offer it:
    nothing goes out in clear), then the login when the environment gives credentials."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        where = f"{self.server.host}:{self.server.port}"
        try:
            client = smtplib.SMTP(self.server.host, self.server.port,
                                  timeout=SMTP_TIMEOUT_SECONDS)
        except (OSError, smtplib.SMTPException) as exc:
            raise UserError(f"cannot reach the SMTP server {where} ({exc}); check --smtp, "
                            "or write drafts instead (leave --smtp out)") from exc
        try:
            client.ehlo()
            if not client.has_extn("starttls"):
                raise UserError(f"the SMTP server {where} does not offer STARTTLS; "
                                "workbook-tools sends nothing in clear. Use the server's "
                                "submission port (usually 587)")
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
            user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
            if user and password:
                client.login(user, password)
            elif user or password:
                raise UserError(f"set both {USER_VARIABLE} and {PASSWORD_VARIABLE} (or "
                                "neither, for a server that needs no login)")
        except UserError:
            client.close()
            raise
        except ssl.SSLError as exc:
            client.close()
            raise UserError(f"the SMTP server {where} failed the TLS check ({exc}); its "
                            "certificate must be valid for that host name") from exc
        except smtplib.SMTPAuthenticationError as exc:
            client.close()
            raise UserError(f"the SMTP server {where} refused the login of {USER_VARIABLE} "
                            f"({exc.smtp_code} {exc.smtp_error!r})"
                            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            client.close()
            raise UserError(f"the SMTP server {where} failed: {exc}") from exc
        self.client = client
        return self

    def send(self, message: Message) -> None:
        assert self.client is not None
        try:
            self.client.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise UserError(f"the SMTP server refused the message to {message['To']}: {exc}"
                            ) from exc

    def __exit__(self, *_: object) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                self.client.close()
