"""The Lambda layer carries what the handlers need and nothing else; its two lists of dependencies agree."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from newsalert.tools.local.cfn_yaml import load_template
from tests.conftest import PROJECT_ROOT
from tests.imports import imports_of, package_modules, reachable_from, within

# Import name to distribution name, where they differ.
DISTRIBUTIONS = {
    "aws_lambda_powertools": "aws-lambda-powertools",
    "yaml": "pyyaml",
    "charset_normalizer": "charset-normalizer",
}
# The Lambda Python runtime provides these; the layer need not carry them.
PROVIDED_BY_LAMBDA = {"boto3", "botocore"}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", line.strip(), maxsplit=1)[0].lower() for line in requirements}


def _declared() -> list[str]:
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
        dependencies: list[str] = tomllib.load(handle)["project"]["dependencies"]
    return dependencies


def test_the_layer_requirements_are_the_package_dependencies() -> None:
    lines = (PROJECT_ROOT / "shared" / "requirements.txt").read_text().splitlines()
    layer = [line for line in lines if line.strip() and not line.startswith("#")]
    assert sorted(layer) == sorted(_declared())


def test_every_third_party_import_of_the_deployed_package_is_a_dependency() -> None:
    imported: set[str] = set()
    for module, path in package_modules().items():
        if within(module, "newsalert.tools"):
            continue  # the tools are not in the layer (tests/unit/test_architecture.py keeps handlers off them)
        imported.update(name.split(".")[0] for name, typing_only in imports_of(path) if not typing_only)
    third_party = imported - set(sys.stdlib_module_names) - {"newsalert"} - PROVIDED_BY_LAMBDA
    needed = {DISTRIBUTIONS.get(name, name).lower() for name in third_party}
    assert needed <= _names(_declared())


def _template_layer() -> dict[str, Any]:
    layer: dict[str, Any] = load_template(PROJECT_ROOT / "template.yaml")["Resources"]["SharedLayer"]
    return layer


def test_the_layer_is_built_by_the_makefile_of_its_content_folder() -> None:
    layer = _template_layer()
    folder = PROJECT_ROOT / layer["Properties"]["ContentUri"]

    assert layer["Metadata"]["BuildMethod"] == "makefile"
    # What `sam build` runs: the target must exist (a dry run prints its commands and runs none).
    dry_run = subprocess.run(
        ["make", "-n", "-C", str(folder), "build-SharedLayer", "ARTIFACTS_DIR=/nonexistent"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry_run.returncode == 0, dry_run.stderr
    assert "pip install" in dry_run.stdout


def test_the_layer_carries_what_the_handlers_reach_and_nothing_from_the_tools(tmp_path: Path) -> None:
    folder = PROJECT_ROOT / _template_layer()["Properties"]["ContentUri"]
    subprocess.run(["make", "-s", "-C", str(folder), "layer-package", f"ARTIFACTS_DIR={tmp_path}"], check=True)
    layer = tmp_path / "python"
    shipped = {
        ".".join(path.relative_to(layer).with_suffix("").parts).removesuffix(".__init__")
        for path in layer.rglob("*.py")
    }

    assert not (layer / "newsalert" / "tools").exists()
    assert shipped  # the package is there...
    for handler in sorted((PROJECT_ROOT / "functions").glob("*/app.py")):
        assert sorted(reachable_from(handler) - shipped) == [], handler  # ...with everything a handler imports
    for data in (PROJECT_ROOT / "shared" / "newsalert" / "data").iterdir():
        assert (layer / "newsalert" / "data" / data.name).read_bytes() == data.read_bytes()


def _layer_folder() -> Path:
    return PROJECT_ROOT / _template_layer()["Properties"]["ContentUri"]


def test_the_layer_is_compiled_by_the_runtimes_python_so_a_cold_start_compiles_nothing(tmp_path: Path) -> None:
    # This machine's Python stands in for python3.13: the target compiles with whichever it is given.
    make = ["make", "-s", "-C", str(_layer_folder()), f"ARTIFACTS_DIR={tmp_path}", f"LAYER_PYTHON={sys.executable}"]
    subprocess.run([*make, "layer-package", "layer-bytecode"], check=True)
    layer = tmp_path / "python" / "newsalert"

    sources = sorted(layer.rglob("*.py"))
    compiled = {
        path.parent.parent / path.name.split(".")[0] for path in layer.rglob(f"*.{sys.implementation.cache_tag}.pyc")
    }
    assert {path.with_suffix("") for path in sources} == compiled
    header = next(layer.rglob("*.pyc")).read_bytes()[:8]
    # PEP 552: flags 0b01 is a hash-based .pyc that is not checked against its source (Lambda's /opt never changes).
    assert int.from_bytes(header[4:8], "little") == 0b01


def test_without_the_runtimes_python_the_layer_builds_and_says_what_it_lacks(tmp_path: Path) -> None:
    make = ["make", "-s", "-C", str(_layer_folder()), f"ARTIFACTS_DIR={tmp_path}", "LAYER_PYTHON=no-such-python3.13"]
    run = subprocess.run([*make, "layer-package", "layer-bytecode"], capture_output=True, text=True, check=True)

    assert "no-such-python3.13 not found" in run.stdout
    assert not list((tmp_path / "python").rglob("*.pyc"))
