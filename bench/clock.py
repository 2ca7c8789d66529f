"""Timing (median of repeated runs after a warm-up) and memory (RSS sampled by a thread, plus ru_maxrss)."""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Timing:
    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1, before: Callable[[], None] | None = None) -> Timing:
    """Median-able wall times of `repeat` calls of fn after `warmup` untimed calls; `before` runs untimed each time."""
    for _ in range(warmup):
        if before:
            before()
        fn()
    out = Timing()
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        out.runs.append(time.perf_counter() - start)
    return out


def rss_bytes() -> int:
    """Current resident set size of this process (from /proc/self/statm)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def max_rss_bytes() -> int:
    """The process's high-water resident set size so far (getrusage ru_maxrss, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class RssSampler:
    """Samples RSS every `interval` seconds on a daemon thread; `phase(name)` records the peak while it runs."""

    def __init__(self, interval: float = 0.01):
        self.interval = interval
        self.peaks: dict[str, int] = {}
        self._current = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._current = max(self._current, rss_bytes())
            time.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @contextmanager
    def phase(self, name: str):
        self._current = rss_bytes()
        try:
            yield
        finally:
            self._current = max(self._current, rss_bytes())
            self.peaks[name] = max(self.peaks.get(name, 0), self._current)


def timed_pair(fa: Callable[[], object], fb: Callable[[], object], repeat: int) -> tuple[Timing, Timing]:
    """Two measures taken turn about (a, b, a, b, …) after one warm-up of each, so a load that comes and goes on a
    shared machine falls on both alike: their ratio is what counts."""
    fa(), fb()
    a, b = Timing(), Timing()
    for _ in range(repeat):
        for fn, out in ((fa, a), (fb, b)):
            start = time.perf_counter()
            fn()
            out.runs.append(time.perf_counter() - start)
    return a, b
