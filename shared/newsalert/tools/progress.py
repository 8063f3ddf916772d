"""A progress line for long commands: rewritten in place on a terminal, silent when the output is piped."""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.2
"""At most five redraws a second: a progress line must not cost more than the work it reports."""


class Progress:
    """``Progress(label, total)``; ``advance(n)`` as work is done, ``done()`` at the end."""

    def __init__(self, label: str, total: int | None = None, *, stream: TextIO | None = None) -> None:
        self._label = label
        self._total = total
        self._stream = stream if stream is not None else sys.stderr
        self._shown = self._stream.isatty()
        self._count = 0
        self._drawn_at = 0.0

    def advance(self, count: int = 1) -> None:
        self.reached(self._count + count)

    def reached(self, count: int) -> None:
        """The work done so far is ``count``."""
        self._count = count
        now = time.monotonic()
        if self._shown and now - self._drawn_at >= REDRAW_SECONDS:
            self._draw()
            self._drawn_at = now

    def _draw(self) -> None:
        of = f"/{self._total}" if self._total is not None else ""
        self._stream.write(f"\r{self._label}: {self._count}{of}")
        self._stream.flush()

    def done(self) -> None:
        if self._shown and self._drawn_at:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()
