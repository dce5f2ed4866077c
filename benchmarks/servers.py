"""Servers the suite starts itself (loopback only), their start-up time and memory.

Every contender is a uvicorn process with the same flags (`--workers`, no access log,
uvicorn's automatic choice of uvloop and httptools); memory is the resident set of the
server process and all its children, sampled by psutil.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx
import psutil  # type: ignore[import-untyped]

from benchmarks.load import LOOPBACK

BIN = Path(sys.executable).parent
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def uvicorn_command(target: str, port: int, workers: int) -> list[str]:
    """The flags `sco-api serve` gives uvicorn, for an app given by import string."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]


def event_loop_and_parser() -> str:
    """What uvicorn's `auto` settings pick here (uvloop and httptools when installed)."""
    picks = []
    for module, fallback in (("uvloop", "asyncio"), ("httptools", "h11")):
        try:
            __import__(module)
            picks.append(module)
        except ImportError:
            picks.append(fallback)
    return " + ".join(picks)


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and its children (0 once it is gone)."""
    try:
        total: int = process.memory_info().rss
        for child in process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        return total
    except psutil.Error:
        return 0


@dataclass
class Server:
    """One contender: a command, the port it listens on and the path that says it is up."""

    name: str
    command: Sequence[str]
    port: int
    ready_path: str
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    ready_seconds: float = float("nan")
    idle_rss: int = 0

    def start(self, timeout: float = 60.0) -> None:
        """Start it and wait until `ready_path` answers 200; time that."""
        environment = {**os.environ, **self.env}
        started = time.perf_counter()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                list(self.command), env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        url = f"http://{LOOPBACK}:{self.port}{self.ready_path}"
        with httpx.Client(timeout=1.0) as client:
            while time.perf_counter() - started < timeout:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited; see {self.log_path}")
                try:
                    if client.get(url).status_code == 200:
                        self.ready_seconds = time.perf_counter() - started
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.01)
            else:
                self.stop()
                raise RuntimeError(f"{self.name} not ready after {timeout} s; see {self.log_path}")

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError(f"{self.name} is not running")
        return self.process.pid

    def rss(self) -> int:
        return tree_rss(psutil.Process(self.pid))

    def measure_idle(self, settle: float = 0.5) -> None:
        time.sleep(settle)
        self.idle_rss = self.rss()

    def stop(self) -> None:
        """Stop this server (by its own pid, then any children it left)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            children = []
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                continue


class PeakRss:
    """Samples a server's resident set in a thread while a measurement runs; keeps the peak."""

    def __init__(self, server: Server, interval: float = 0.02) -> None:
        self.process = psutil.Process(server.pid)
        self.interval = interval
        self.start_rss = tree_rss(self.process)
        self.peak = self.start_rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.process))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(self.process))

    @property
    def growth(self) -> int:
        return self.peak - self.start_rss
