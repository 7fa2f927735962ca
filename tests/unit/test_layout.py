"""The code's structure holds: no import cycles anywhere in bot/, handlers/ and domain/, and a client-area
section uses another one only through that section's package (its public API), never its internals."""

from __future__ import annotations

import sys

import grimp

GRAPH = grimp.build_graph("bot", "handlers", "domain", include_external_packages=False)


def cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's algorithm)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in GRAPH.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(GRAPH.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    assert cycles() == []


def section_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "handlers" and len(parts) > 1 else None


def test_sections_meet_only_through_each_others_packages() -> None:
    reaching_in = []
    for module in sorted(GRAPH.modules):
        section = section_of(module)
        if section is None:
            continue
        for imported in GRAPH.find_modules_directly_imported_by(module):
            other = section_of(imported)
            if other in (None, section, "common") or imported == f"handlers.{other}":
                continue
            reaching_in.append(f"{module} -> {imported}")
    assert reaching_in == []
