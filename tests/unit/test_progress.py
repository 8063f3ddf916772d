"""The progress line of long commands: on a terminal it counts, piped it says nothing."""

from __future__ import annotations

import io

from newsalert.tools.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_piped_command_prints_no_progress() -> None:
    piped = io.StringIO()
    progress = Progress("replaying", 3, stream=piped)
    for _ in range(3):
        progress.advance()
    progress.done()

    assert piped.getvalue() == ""


def test_on_a_terminal_the_line_is_rewritten_in_place_and_ends_with_the_total() -> None:
    terminal = Terminal()
    progress = Progress("replaying", 250, stream=terminal)
    progress.advance(100)
    progress.advance(150)
    progress.done()

    text = terminal.getvalue()
    assert text.startswith("\rreplaying: 100/250")
    assert text.endswith("\rreplaying: 250/250\n")
    assert "\n" not in text[:-1]  # one line, redrawn
