"""Statuses and kinds are named by their enums in domain code, never spelled as bare strings: a typo in a bare
string is a comparison that is silently never true."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
from enum import StrEnum
from pathlib import Path

import domain

DOMAIN = Path(domain.__file__).parent
# The SSL certificate workflow keeps its own vocabulary for now.
NOT_SCANNED = {"certificates.py", "ca.py", "dcv.py", "models/ssl.py"}
# Strings of other systems that happen to equal one of ours: Stripe's PaymentIntent statuses, the states of
# RFC 8555 orders and authorisations.
FOREIGN = {("stripe_gateway.py", "succeeded"), ("acme/orders.py", "failed"), ("acme/orders.py", "pending")}
# Where a bare value would be one of ours: the fields, keywords and names that hold a status or a kind.
HOLDERS = {"status", "kind", "outcome", "method", "author", "category", "actor", "action", "purpose", "source",
           "scope", "reason"}


def domain_enums() -> list[type[StrEnum]]:
    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(info.name)
    found = {}
    for name, module in list(sys.modules.items()):
        if name == "domain" or name.startswith("domain."):
            for value in vars(module).values():
                if inspect.isclass(value) and issubclass(value, StrEnum) and value.__module__.startswith("domain."):
                    found[value.__qualname__, value.__module__] = value
    return list(found.values())


def vocabulary() -> set[str]:
    return {member.value for enum in domain_enums() for member in enum}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for element in node.elts for s in _strings(element)]
    return []


def _holder(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def bare_values(source: str, words: set[str]) -> list[tuple[int, str]]:
    """(line, value) of every status or kind written as a bare string: compared, passed to `in_`, given as a
    keyword, a dict entry, an assignment or a parameter default of a field that holds one."""
    tree = ast.parse(source)
    enum_bodies = {id(child) for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                   and any(_holder(base) == "StrEnum" for base in node.bases) for child in ast.walk(node)}
    found: list[tuple[int, ast.AST]] = []
    for node in ast.walk(tree):
        if id(node) in enum_bodies:
            continue
        if isinstance(node, ast.Compare):
            found += [(node.lineno, side) for side in (node.left, *node.comparators)]
        elif isinstance(node, ast.Call):
            if _holder(node.func) in {"in_", "not_in"}:
                found += [(node.lineno, arg) for arg in node.args]
            found += [(node.lineno, kw.value) for kw in node.keywords if kw.arg in HOLDERS]
        elif isinstance(node, ast.Dict):
            found += [(node.lineno, value) for key, value in zip(node.keys, node.values, strict=True)
                      if key is not None and _holder(key) in HOLDERS]
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(_holder(t) in HOLDERS for t in targets):
                found.append((node.lineno, node.value))
        elif isinstance(node, ast.arguments):
            positional = [*node.posonlyargs, *node.args]
            pairs = [*zip(positional[len(positional) - len(node.defaults):], node.defaults, strict=True),
                     *((a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d is not None)]
            found += [(default.lineno, default) for arg, default in pairs if arg.arg in HOLDERS]
    return sorted({(line, value) for line, node in found for value in _strings(node) if value in words})


def test_the_scan_sees_bare_values() -> None:
    words = {"active", "licence"}
    source = '''
x = service.status == "active"
y = Service.kind.in_(("licence", "module"))
z = Service(kind="licence")
w = {"status": "active"}
service.status = "active"
def f(kind="licence"): ...
class ServiceStatus(StrEnum):
    ACTIVE = "active"
name == "active-ish"
'''
    assert [line for line, _ in bare_values(source, words)] == [2, 3, 4, 5, 6, 7]


def test_domain_names_statuses_and_kinds_by_their_enums() -> None:
    words = vocabulary()
    assert {"active", "deleted", "licence", "pending", "paid", "archived", "note", "finance", "sole"} <= words
    offences = []
    for path in sorted(DOMAIN.rglob("*.py")):
        relative = path.relative_to(DOMAIN).as_posix()
        if relative in NOT_SCANNED:
            continue
        for line, value in bare_values(path.read_text(encoding="utf-8"), words):
            if (relative, value) not in FOREIGN:
                offences.append(f"domain/{relative}:{line}: {value!r}")
    assert offences == []
