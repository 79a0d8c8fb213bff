"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the tests of email:
``smtp_server(settings)`` starts one and points Django's SMTP backend at it;
the ``smtp`` fixture (tests/conftest.py) gives its Collector for a test."""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


class Collector:
    """An aiosmtpd handler that keeps every message it is given. With
    ``hold``, the first ``hold.parties`` messages are each held until all of
    them have arrived (the server's event loop carries on meanwhile), so
    that many senders are in the middle of sending at once."""

    def __init__(self, hold: threading.Barrier | None = None) -> None:
        self.messages: list[Any] = []
        self.hold = hold
        self.held = 0
        self.hold_broken = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold is not None and self.held < self.hold.parties:
            self.held += 1  # the handler runs on the server's one event-loop thread
            try:
                await asyncio.get_running_loop().run_in_executor(None, self.hold.wait)
            except threading.BrokenBarrierError:
                self.hold_broken = True
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def parsed(self) -> list[EmailMessage]:
        """The messages received, parsed."""
        return [
            message_from_bytes(m.original_content, policy=policy.default)  # type: ignore[misc]
            for m in self.messages
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_server(settings: Any, hold: threading.Barrier | None = None) -> tuple[Any, Collector]:
    """A started server (stop it with ``server.stop()``) and its Collector."""
    from aiosmtpd.controller import Controller

    collector = Collector(hold)
    port = free_port()
    server = Controller(collector, hostname="127.0.0.1", port=port)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    return server, collector
