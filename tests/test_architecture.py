"""The arrows between the project's parts are the ones the README allows, and none loops.

Every module's imports are read with ``ast``: those at the top, inside functions and under
``TYPE_CHECKING`` alike, since each is an arrow a reader has to follow. Test code (``tests/``
folders, ``conftest.py``, ``bench/``) may import anything, but takes part in the cycle check.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "media", "__pycache__"}

# The allowed arrows (the README's layout section says the same).
SHARED = {"common", "pagecache"}  # every app may import these; they import no project app
PUBLIC = {"pages", "helpline", "contacts", "nmt", "newsletter", "feedback"}
READERS = {"editors", "search"}  # may read every app; no app imports them back
APPS = SHARED | PUBLIC | READERS
EXTRA = {("nmt", "contacts")}  # NMT members are contact records
# Configuration: settings, root URLs, WSGI, gunicorn. It names apps (by dotted strings, in
# include(), or by import); no app imports it, nor its settings (apps use django.conf).
CONFIG = {"nspm_portal", "manage", "gunicorn.conf"}
TEST_CODE = {"tests", "bench", "conftest"}


def arrow_allowed(source: str, target: str) -> bool:
    if source == target:
        return True
    if source in SHARED:
        return False
    if target in SHARED:
        return True
    if target in READERS:
        return False
    if source in READERS:
        return True
    return (source in PUBLIC and target == "pages") or (source, target) in EXTRA


@dataclass(frozen=True)
class Import:
    source: str  # module
    target: str  # module
    where: str  # file:line


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if SKIP_DIRS & set(relative.parts) or relative.parts[0].startswith("."):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported dotted name lands in (None for other packages)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imported_names(module: str, path: Path, tree: ast.AST):
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                # `from helpline import hours` imports the module helpline.hours.
                yield node.lineno, f"{base}.{alias.name}"


@cache
def project_imports(root: Path = ROOT) -> list[Import]:
    modules = _modules(root)
    found = set()
    for module, path in sorted(modules.items()):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where_file = path.relative_to(root).as_posix()
        for line, name in _imported_names(module, path, tree):
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.add(Import(module, target, f"{where_file}:{line}"))
    return sorted(found, key=lambda imp: (imp.where, imp.target))


def part_of(module: str) -> str:
    for name in CONFIG | TEST_CODE:
        if module == name or module.startswith(name + "."):
            return name
    return module.split(".")[0]


def is_test_code(module: str) -> bool:
    return part_of(module) in TEST_CODE or "tests" in module.split(".")


def arrow_problem(imp: Import) -> str | None:
    source, target = part_of(imp.source), part_of(imp.target)
    if is_test_code(imp.source) or source in CONFIG:
        return None
    if source not in APPS:
        return f"{imp.where}: {source!r} is not on the list of parts (add it, with its arrows)"
    if target in CONFIG:
        return f"{imp.where}: {imp.source} imports the configuration ({imp.target})"
    if is_test_code(imp.target):
        return f"{imp.where}: {imp.source} imports test code ({imp.target})"
    if target not in APPS:
        return f"{imp.where}: {imp.target!r} is not on the list of parts"
    if not arrow_allowed(source, target):
        return f"{imp.where}: {source} → {target} is not an allowed arrow ({imp.target})"
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        # Iterative, so a long import chain cannot hit the recursion limit.
        work = [(node, iter(sorted(edges.get(node, ()))))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[current] = min(low[current], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[current])
            if low[current] == index[current]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == current:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _cycle_report(imports: list[Import], key) -> list[str]:
    edges: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        if key(imp.source) != key(imp.target):
            edges[key(imp.source)].add(key(imp.target))
    lines = []
    for component in cycles(edges):
        members = set(component)
        wheres = [
            f"  {imp.where}: {imp.source} → {imp.target}"
            for imp in imports
            if key(imp.source) in members
            and key(imp.target) in members
            and key(imp.source) != key(imp.target)
        ]
        lines.append(f"cycle between {', '.join(component)}:\n" + "\n".join(wheres))
    return lines


def test_the_reader_sees_relative_imports_and_imports_inside_functions(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "models.py").write_text("from . import rules\n")
    (tmp_path / "app" / "rules.py").write_text(
        "import json\n\n\ndef later():\n    from app.models import Thing\n"
    )
    (tmp_path / "other.py").write_text("from app import rules\nimport app.models as m\n")
    assert project_imports(tmp_path) == [
        Import("app.models", "app.rules", "app/models.py:1"),
        Import("app.rules", "app.models", "app/rules.py:5"),
        Import("other", "app.rules", "other.py:1"),
        Import("other", "app.models", "other.py:2"),
    ]
    edges = defaultdict(set)
    for imp in project_imports(tmp_path):
        edges[imp.source].add(imp.target)
    assert cycles(edges) == [["app.models", "app.rules"]]


def test_every_import_between_apps_is_an_allowed_arrow():
    problems = sorted(filter(None, map(arrow_problem, project_imports())))
    assert not problems, "imports that break the allowed arrows (README, Layout):\n" + "\n".join(
        problems
    )


def test_no_import_cycle_between_modules():
    problems = _cycle_report(project_imports(), key=lambda module: module)
    assert not problems, "\n".join(problems)


def test_no_import_cycle_between_apps():
    imports = [
        imp
        for imp in project_imports()
        if not is_test_code(imp.source)
        and part_of(imp.source) in APPS
        and part_of(imp.target) in APPS
    ]
    problems = _cycle_report(imports, key=part_of)
    assert not problems, "\n".join(problems)


def test_the_rule_rejects_what_the_readme_forbids():
    """The rule itself, on arrows the project does not (yet) have."""
    forbidden = [
        ("common", "helpline"),
        ("pagecache", "helpline"),
        ("contacts", "nmt"),
        ("helpline", "newsletter"),
        ("pages", "helpline"),
        ("newsletter", "editors"),
        ("helpline", "search"),
        ("search", "editors"),
    ]
    allowed = [
        ("helpline", "common"),
        ("newsletter", "pagecache"),
        ("nmt", "contacts"),
        ("newsletter", "pages"),
        ("editors", "newsletter"),
        ("search", "contacts"),
    ]
    assert [arrow for arrow in forbidden if arrow_allowed(*arrow)] == []
    assert [arrow for arrow in allowed if not arrow_allowed(*arrow)] == []
    assert arrow_problem(Import("helpline.views", "nspm_portal.settings.base", "x.py:1"))
    assert arrow_problem(Import("helpline.views", "nspm_portal.urls", "x.py:1"))
    assert arrow_problem(Import("helpline.views", "tests.builders", "x.py:1"))
    assert arrow_problem(Import("helpline.tests.test_x", "editors.testing", "x.py:1")) is None
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
