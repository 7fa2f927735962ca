"""The test suite's own layout: what several test modules share lives in tests/e2e/flows.py, the conftest modules
and tests/fakes/, so no test module imports another. A test module is for its tests: one that others import
cannot be moved, split or renamed on its own, and its fixtures would be found twice."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


def imported(tree: ast.Module, package: str) -> list[tuple[int, str]]:
    """Every module an import statement anywhere in `tree` names (relative ones resolved against `package`), with
    its line; `from a import b` names both `a` and `a.b`, since `b` may be a module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def imports_of_test_modules(source: str, package: str) -> list[tuple[int, str]]:
    """The test modules (`test_*` in the tests package) that `source` imports, each once per line."""
    found: dict[tuple[int, str], None] = {}
    for line, name in imported(ast.parse(source), package):
        parts = name.split(".")
        first = next((n for n, part in enumerate(parts) if part.startswith("test_")), None)
        if parts[0] == "tests" and first is not None:
            found[line, ".".join(parts[:first + 1])] = None
    return list(found)


def test_no_test_module_imports_another() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("test_*.py")):
        package = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts[:-1])
        for line, name in imports_of_test_modules(path.read_text(encoding="utf-8"), package):
            offenders.append(f"{path.relative_to(TESTS.parent)}:{line} imports {name}")
    assert offenders == [], "move what is shared to tests/e2e/flows.py or a conftest:\n" + "\n".join(offenders)


FORMS = {
    "from a test module": ("from tests.e2e.test_commerce import order_licence", True),
    "import a test module": ("import tests.e2e.test_commerce", True),
    "a test module from its package": ("from tests.e2e import test_commerce", True),
    "relative": ("from .test_commerce import order_licence", True),
    "inside a function": ("def helper():\n    from tests.e2e.test_two_factor import code\n", True),
    "flows": ("from tests.e2e.flows import order_licence", False),
    "a conftest": ("from tests.e2e.conftest import make_settings", False),
    "the unit conftest": ("from tests.unit.conftest import domain_with_customers", False),
    "fakes": ("from tests.fakes.stripe_e2e import add_card", False),
    "flows, relative": ("from . import flows", False),
}


@pytest.mark.parametrize(("source", "found"), list(FORMS.values()), ids=list(FORMS))
def test_the_check_sees_every_form_of_import(source: str, found: bool) -> None:
    assert bool(imports_of_test_modules(source, "tests.e2e")) is found
