"""A real SMTP server on loopback for the e2e tests (aiosmtpd).

The test site's config defines PQM_TEST_SMTP = '127.0.0.1:2525' and the
mu-plugin scripts/wp/mu-plugins/pqm-test-smtp.php points wp_mail() at it, so
mails the site sends arrive here and tests assert on them:

    def test_invite(mail_sink):
        mail_sink.clear()
        ...                                   # something that sends mail
        msg = mail_sink.wait_for(lambda m: m["To"] == "new@example.test")
        assert "set your password" in mail_sink.body(msg)

When no test uses the fixture, nothing listens and wp_mail() fails quickly
(the site must cope: mail failures are logged, never fatal).
"""
from __future__ import annotations

import email
import email.policy
import os
import threading
import time
from email.message import EmailMessage
from typing import Callable

import pytest
from aiosmtpd.controller import Controller

HOST, PORT = os.environ.get("PQM_TEST_SMTP", "127.0.0.1:2525").split(":")


class MailSink:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []

    # aiosmtpd handler hook
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            self._messages.append(msg)
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def wait_for(self, match: Callable[[EmailMessage], bool], timeout: float = 10.0) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for m in self.messages:
                if match(m):
                    return m
            time.sleep(0.1)
        raise AssertionError(f"no matching mail within {timeout}s; got: {[m['Subject'] for m in self.messages]}")

    @staticmethod
    def body(msg: EmailMessage) -> str:
        part = msg.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


@pytest.fixture(scope="session")
def mail_sink():
    sink = MailSink()
    controller = Controller(sink, hostname=HOST, port=int(PORT))
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
