"""A round's e-mails through a real SMTP server on the loopback (aiosmtpd, STARTTLS with a
certificate made for the test, a login from the environment), and the status page in a real
headless Chromium."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.returns_kit import SURVEY
from tests.round_kit import attachment_names, body, cached_round, day, filled
from workbook_tools.demo.mailbox import write_eml
from workbook_tools.errors import UserError
from workbook_tools.round.ledger import receive, send_invitations
from workbook_tools.round.mail import PASSWORD_VARIABLE, USER_VARIABLE, SmtpServer
from workbook_tools.round.status import write_html
from workbook_tools.round.store import Store


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for the test's hour."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """What the server accepted: envelope recipients and the messages."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


@pytest.fixture()
def smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[
        tuple[SmtpServer, Mailbox]]:
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert_file, key_file = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login, auth_data.password) == (b"ipd-round", b"s3cret")
        return AuthResult(success=ok, handled=False)

    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=authenticator,
                            auth_require_tls=True)
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # trust the test's certificate only
    monkeypatch.setenv(USER_VARIABLE, "ipd-round")
    monkeypatch.setenv(PASSWORD_VARIABLE, "s3cret")
    try:
        yield SmtpServer("127.0.0.1", port), mailbox
    finally:
        controller.stop()


def test_invitations_and_replies_go_through_smtp_with_starttls(
        smtp_server: tuple[SmtpServer, Mailbox], tmp_path: Path) -> None:
    server, mailbox = smtp_server
    folder = cached_round(tmp_path / "round")
    with Store.open(folder) as store:
        outcome = send_invitations(store, SURVEY, day(11, 2), smtp=server)
        assert outcome.sent == 4 and not outcome.drafts
        by_recipient = {tuple(to): message for to, message in mailbox.received}
        senegal = by_recipient[("focal@senegal.example",)]
        assert "Madame, Monsieur" in body(senegal) and senegal["Content-Language"] == "fr"
        assert attachment_names(senegal) == ["STATE-SEN.xlsx"]
        assert "Estimado/a colega" in body(by_recipient[("focal@mexico.example",)])
        assert senegal["X-Unsent"] is None
        write_eml(tmp_path / "in.eml", "focal@mexico.example",
                  [("STATE-MEX.xlsx", filled(folder, "STATE-MEX", {"overlap": "Quizás"}))],
                  day(12, 1), in_reply_to=str(by_recipient[("focal@mexico.example",)][
                      "Message-ID"]))
        replies = receive(store, SURVEY, [tmp_path / "in.eml"], day(12, 2), smtp=server)
        assert replies.sent == 1
        sent = store.query("SELECT transport, purpose FROM messages WHERE direction = 'out' "
                           "ORDER BY id")
    to, correction = mailbox.received[-1]
    assert to == ["focal@mexico.example"]
    assert "Quizás" in body(correction) and "correcciones" in str(correction["Subject"])
    assert attachment_names(correction) == ["STATE-MEX-annotated.xlsx"]
    assert [tuple(row) for row in sent] == [("smtp", "invitation")] * 4 + [
        ("smtp", "correction")]


def test_a_wrong_login_or_a_server_without_tls_sends_nothing(
        smtp_server: tuple[SmtpServer, Mailbox], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller

    server, mailbox = smtp_server
    folder = cached_round(tmp_path / "round")
    monkeypatch.setenv(PASSWORD_VARIABLE, "wrong")
    with Store.open(folder) as store:
        with pytest.raises(UserError, match="refused the login"):
            send_invitations(store, SURVEY, day(11, 2), smtp=server)
        assert not store.query("SELECT 1 FROM messages")
        write_eml(tmp_path / "in.eml", "focal@mexico.example",
                  [("STATE-MEX.xlsx", filled(folder, "STATE-MEX"))], day(12, 1))
        taken = receive(store, SURVEY, [tmp_path / "in.eml"], day(12, 2), smtp=server)
        assert taken.sent == 0 and [p.stem for p in taken.drafts] == ["STATE-MEX"]
        assert any("refused the login" in line and "as drafts instead" in line
                   for line in taken.lines)  # the return is recorded; its reply is a draft
    assert mailbox.received == []
    plain = Controller(Mailbox(), hostname="127.0.0.1", port=_free_port())  # no STARTTLS
    plain.start()
    try:
        with Store.open(folder) as store, pytest.raises(UserError, match="STARTTLS"):
            send_invitations(store, SURVEY, day(11, 2), smtp=SmtpServer("127.0.0.1",
                                                                       plain.port))
    finally:
        plain.stop()


def _chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: tools/ensure-chromium should install it")
        pytest.skip("chromium is not installed (run tools/ensure-chromium as root)")
    return binary


@pytest.mark.browser
def test_the_status_page_loads_in_chromium_and_shows_every_respondent(tmp_path: Path) -> None:
    folder = cached_round(tmp_path / "round")
    with Store.open(folder) as store:
        send_invitations(store, SURVEY, day(11, 2))
        page = tmp_path / "status.html"
        write_html(page, store, SURVEY, dt.date(2027, 2, 3))
    completed = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    dom = completed.stdout
    assert completed.returncode == 0 and "</html>" in dom, completed.stderr[-2000:]
    for respondent_id in ("ISCM-KHARTOUM", "STATE-SEN", "STATE-MEX", "IGO-UNHCR"):
        assert f'id="{respondent_id}"' in dom
    assert "Sénégal" in dom or "Senegal" in dom
    assert dom.count("not received") >= 4
