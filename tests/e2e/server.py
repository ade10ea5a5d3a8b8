"""Run the real ``sepeda serve`` in a child process on a free port, for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import httpx

LOGIN_LINE = re.compile(r"^\s+(\S+)\s+(staff|verifier|admin|innovator|judge)\s+(\S+)", re.M)
# What a worker prints once it can read files (its index open, its reader started).
WORKER_RUNS = "Pekerja latar berjalan"


def cli_environment(
    data_dir: Path, database_url: str = "", environment: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of a `sepeda` child: this one without our settings, then the data dir,
    the database and ``environment``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEPEDA_")}
    env.pop("PYTHONPATH", None)
    env.update(SEPEDA_DATA_DIR=str(data_dir), COLUMNS="200")
    if database_url:
        env["SEPEDA_DATABASE_URL"] = database_url
    env.update(environment or {})
    return env


def sepeda(data_dir: Path, *args: str, database_url: str = "") -> subprocess.CompletedProcess:
    """Run a `sepeda` command to its end, outside the checkout (the installed package)."""
    return subprocess.run(
        [sys.executable, "-m", "archive", *args],
        env=cli_environment(data_dir, database_url),
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_path: Path
    log_file: BinaryIO
    logins: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: a crash, with no chance to clean up."""
        self.process.kill()
        self.process.wait()
        self.log_file.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log_file.closed:
            self.log_file.close()


def start_server(
    data_dir: Path,
    *args: str,
    database_url: str = "",
    timeout: float = 60,
    environment: dict[str, str] | None = None,
) -> Server:
    """Start ``python -m archive serve`` outside the checkout, so the installed package runs."""
    port = free_port()
    env = cli_environment(data_dir, database_url, environment)
    log_path = data_dir.parent / f"server-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "archive", "serve", "--port", str(port), *args],
        cwd=data_dir.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log_path, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.base_url}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        server.stop()
        raise RuntimeError(f"server did not start in {timeout} s:\n{server.log()}")
    server.logins = {m.group(1): m.group(3) for m in LOGIN_LINE.finditer(server.log())}
    return server
