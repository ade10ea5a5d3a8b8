"""``sepeda worker``: extraction, indexing and rechecks in a process of their own."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import typer

from archive import logs
from archive.cli.app import app, cli_settings, console


@app.command()
def worker(
    parent_pid: int = typer.Option(
        0, "--parent-pid", hidden=True, help="Berhenti seketika bila proses ini mati."
    ),
) -> None:
    """Jalankan pekerja latar (pembacaan dokumen, indeks pencarian) terpisah dari server web."""
    from archive.db import close_database, open_database
    from archive.migrate import migration_state
    from archive.worker import Worker

    settings = cli_settings()
    logs.configure(settings.log_format)

    async def run() -> None:
        # Only `sepeda migrate` (or `serve`) changes the schema, after its backup; a worker
        # started beside them on an upgrade must not race them to it.
        pending, _ = await migration_state(settings)
        if pending:
            console.print(
                f"[red]Skema basis data belum mutakhir ({len(pending)} migrasi menunggu).[/red] "
                "Jalankan `sepeda migrate` lebih dulu."
            )
            raise typer.Exit(1)
        await open_database(settings, run_migrations=False)
        running = Worker(settings)
        await running.start()
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        stop = asyncio.Event()

        def on_signal() -> None:
            # The first SIGTERM (systemd's stop) or Ctrl+C finishes the jobs in hand; a second
            # one does not wait.
            if stop.is_set():
                task.cancel()
            stop.set()

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, on_signal)
        if parent_pid:
            _die_with(parent_pid)
        console.print(f"Pekerja latar berjalan (data: {settings.data_dir}); Ctrl+C untuk berhenti.")
        try:
            waiting = asyncio.create_task(stop.wait())
            loop_task = asyncio.create_task(running.wait())
            await asyncio.wait({waiting, loop_task}, return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            console.print("Menyelesaikan pekerjaan yang sedang berjalan...")
            await running.finish()
        except asyncio.CancelledError:
            await running.stop()
        finally:
            await close_database()
        console.print("Pekerja latar berhenti.")

    asyncio.run(run())


def _die_with(parent_pid: int) -> None:
    """Exit at once when the `sepeda serve` that started us is gone (killed, crashed).

    A server restarted after a crash starts a worker of its own: this one must not stay as a
    second index writer. Its jobs are leased and go back to the queue when the lease lapses;
    its sandboxed readers watch it and go with it. A thread, because the event loop may be
    busy in a long job when the parent dies.
    """

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="sepeda-parent-watch", daemon=True).start()
