"""Running `reserve serve` in a subprocess and fetching one of its pages (the serve tests)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """Return a port on the loopback interface that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_and_fetch(
    books: Path,
    path: str,
    *options: str,
    cwd: Path | None = None,
    wait: float = 30,
    stopped: list[int] | None = None,
) -> str:
    """Start `reserve serve BOOKS` on a free port, fetch `path` (status 200), stop it.

    The page is asked for until the server answers or `wait` seconds pass (or it exits).
    The server is stopped with SIGTERM, as `kill` does; its exit code is appended to
    `stopped` when given.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", str(books), "--port", str(port), *options],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{path}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(url, timeout=wait) as reply:
                    assert reply.status == 200
                    return str(reply.read().decode("utf-8"))
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        process.terminate()
        code = process.wait(timeout=10)
        if stopped is not None:
            stopped.append(code)
