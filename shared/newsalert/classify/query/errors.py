"""The one error a query can raise, which says where the problem is and shows it."""

from __future__ import annotations

SHOWN_AROUND = 50
"""Characters shown either side of the problem when a query is too long to show whole."""


class QuerySyntaxError(ValueError):
    """A query that cannot be read, with the 0-based ``position`` of the problem in it.

    ``str()`` gives the problem, its column (1-based, as an editor counts) and the query
    with a caret under the place::

        expected ')' at column 8 (the '(' at column 1 is never closed)
            (a OR b
                   ^
    """

    def __init__(self, problem: str, query: str, position: int, note: str = "") -> None:
        self.problem = problem
        self.query = query
        self.position = max(0, min(position, len(query)))
        self.note = note
        super().__init__(self._render())

    def _render(self) -> str:
        heading = f"{self.problem} at column {self.position + 1}"
        if self.note:
            heading += f" ({self.note})"
        shown, caret = _excerpt(self.query, self.position)
        return f"{heading}\n    {shown}\n    {' ' * caret}^"


def _excerpt(query: str, position: int) -> tuple[str, int]:
    """The query on one line, cut to a window around ``position`` when long, and the caret's column in it."""
    # Line breaks (a YAML block scalar) become spaces so that the caret lines up.
    flat = "".join(" " if char.isspace() else char for char in query)
    if len(flat) <= 2 * SHOWN_AROUND:
        return flat, position
    start = max(0, position - SHOWN_AROUND)
    end = min(len(flat), position + SHOWN_AROUND)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return prefix + flat[start:end] + suffix, position - start + len(prefix)
