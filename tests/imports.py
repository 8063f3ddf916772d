"""Reading imports from source, for the tests that keep the package's rooms and the layer's contents honest.

Static, so that an import inside a function (made only when a trigger needs it) counts as
much as one at the top of a module; imports under ``if TYPE_CHECKING:`` are marked, since
they never run.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from tests.conftest import PROJECT_ROOT

PACKAGE_ROOT = PROJECT_ROOT / "shared"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def package_modules() -> dict[str, Path]:
    """Every module of the newsalert package, by dotted name."""
    return {module_name(path): path for path in (PACKAGE_ROOT / "newsalert").rglob("*.py")}


def imports_of(path: Path) -> Iterator[tuple[str, bool]]:
    """Every module ``path`` imports, and whether the import only serves type checking."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(inner) for inner in ast.walk(node))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in typing_only
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # ``from package import module`` imports the module; ``from module import name`` the module.
                submodule = f"{node.module}.{alias.name}"
                yield (submodule if submodule in package_modules() else node.module), id(node) in typing_only


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def reachable_from(start: Path) -> set[str]:
    """Every newsalert module that importing ``start`` can import, now or lazily later."""
    seen: set[str] = set()
    pending = [imported for imported, _ in imports_of(start)]
    while pending:
        module = pending.pop()
        if module in seen or not module.startswith("newsalert"):
            continue
        seen.add(module)
        parts = module.split(".")
        parents = [".".join(parts[:end]) for end in range(1, len(parts))]  # importing a.b.c runs a and a.b
        pending += [parent for parent in parents if parent not in seen]
        if module in package_modules():
            pending += [imported for imported, _ in imports_of(package_modules()[module])]
    return seen


def printed_after_importing(function: str, probe: str) -> str:
    """What ``probe`` prints in a fresh interpreter that has just imported ``functions/<function>/app.py``
    (tracing off, as outside Lambda): what the import itself did, and nothing a test process had loaded."""
    found = subprocess.run(
        [sys.executable, "-c", f"import app\n{probe}"],
        cwd=PROJECT_ROOT / "functions" / function,
        env={**os.environ, "POWERTOOLS_TRACE_DISABLED": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()
