"""Request ids and log lines: what an operator follows a complaint with."""

import io
import json
import logging
import logging.config

import pytest

from archive.logs import RequestIdFilter, logging_config, request_id


async def test_every_answer_carries_a_request_id(client):
    first = (await client.get("/api/health")).headers["X-Request-ID"]
    second = (await client.get("/api/health")).headers["X-Request-ID"]
    assert first and second and first != second
    # The proxy's id is kept, so its log and ours name the same request...
    kept = await client.get("/api/health", headers={"X-Request-ID": "nginx-4f2a.9"})
    assert kept.headers["X-Request-ID"] == "nginx-4f2a.9"
    # ...unless it could forge a log line or flood one.
    for bad in ("a\\nFAKE", "x" * 65, "id with spaces"):
        answered = await client.get("/api/health", headers={"X-Request-ID": bad})
        assert answered.headers["X-Request-ID"] != bad


@pytest.fixture
def json_log() -> io.StringIO:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    buffer = io.StringIO()
    config = logging_config("json")
    config["handlers"]["default"]["stream"] = buffer
    logging.config.dictConfig(config)
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_json_lines_name_the_request_a_failed_login_came_in(client, json_log):
    answered = await client.post(
        "/api/auth/token",
        data={"username": "budi\nroot", "password": "salah"},
        headers={"X-Request-ID": "req-77"},
    )
    assert answered.status_code == 401
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    failed = [line for line in lines if "failed login" in line["message"]]
    assert len(failed) == 1
    assert failed[0]["request_id"] == "req-77"
    assert failed[0]["level"] == "WARNING"
    assert failed[0]["logger"] == "archive.services.accounts"
    assert "time" in failed[0]
    # A newline in what a client typed cannot start a log line of its own.
    assert "budi\\nroot" in failed[0]["message"]


def test_text_lines_carry_the_request_id_too():
    record = logging.LogRecord("archive", logging.INFO, __file__, 1, "halo", None, None)
    config = logging_config("text")
    formatter = logging.Formatter(config["formatters"]["default"]["format"])
    token = request_id.set("abc")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    assert "[abc] halo" in formatter.format(record)
