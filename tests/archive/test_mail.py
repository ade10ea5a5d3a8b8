"""E-mail notifications, delivered to a real (tiny) SMTP server on the loopback interface."""

import asyncio
import threading

import pytest

from archive import runtime
from archive.models import Role
from archive.services import notifications
from tests.archive.helpers import make_user


class TinySMTP:
    """Just enough of SMTP (RFC 5321) to receive messages, run in a thread."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 tiny ESMTP\r\n")
        while line := await reader.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                writer.write(b"250 tiny\r\n")
            elif command == "DATA":
                writer.write(b"354 end with .\r\n")
                await writer.drain()
                body = []
                while (data := await reader.readline()) not in (b".\r\n", b""):
                    body.append(data.decode())
                self.messages.append("".join(body))
                writer.write(b"250 queued\r\n")
            elif command == "QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._session, "127.0.0.1", 0)
        )
        self.port = self.server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def __enter__(self) -> "TinySMTP":
        self.thread.start()
        self.ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def smtp(monkeypatch):
    with TinySMTP() as server:
        monkeypatch.setattr(runtime, "smtp_host", "127.0.0.1")
        monkeypatch.setattr(runtime, "smtp_port", server.port)
        monkeypatch.setattr(runtime, "smtp_from", "sepeda@balangankab.go.id")
        yield server


async def test_notifications_are_mailed_when_smtp_is_configured(app, smtp):
    user = await make_user("admin.mail", Role.ADMIN)
    user.email = "admin@dinkes.balangankab.go.id"
    await user.save()
    without = await make_user("tanpa.surel", Role.ADMIN)
    sent = await notifications.notify(
        [user, without], "revision", "Inovasi 'Posyandu' dikembalikan."
    )
    assert sent == 2
    assert len(smtp.messages) == 1
    assert "To: admin@dinkes.balangankab.go.id" in smtp.messages[0]
    assert "dikembalikan" in smtp.messages[0]


async def test_a_dead_mail_server_does_not_lose_the_in_app_notification(app, monkeypatch):
    monkeypatch.setattr(runtime, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(runtime, "smtp_port", 9)  # nothing listens on discard here
    user = await make_user("admin.mati", Role.ADMIN)
    user.email = "x@y.id"
    await user.save()
    assert await notifications.notify([user], "verified", "Terverifikasi.") == 1
    assert [n.kind for n in await notifications.for_user(user)] == ["verified"]
