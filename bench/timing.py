"""Timing shared by the benchmarks: repeated runs after a warm-up, and the machine they ran on."""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

Output = TypeVar("Output")


@dataclass(frozen=True)
class Result:
    name: str
    items: int
    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def per_second(self) -> float:
        return self.items / self.median


def measure(name: str, items: int, work: Callable[[], Output], repeat: int) -> tuple[Result, Output]:
    """The timings of ``work`` over ``repeat`` runs, after one warm-up run, and what it returned."""
    output = work()  # warm-up: imports, caches, compiled regular expressions
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return Result(name, items, times), output


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
