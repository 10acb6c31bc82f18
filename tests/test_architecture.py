"""Layer rules, checked on the source with ast: Qt only in ui/, ui only imported by app.py,
and the pure-Python core importing nothing outside the standard library."""

import ast
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "sessionstudio"


def _imports(path: Path) -> list[str]:
    """Absolute module names imported by a file (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                names.append(mod)
                names += [f"{mod}.{a.name}" for a in node.names]
            else:
                names.append(node.module or "")
    return names


def _files():
    return sorted(PKG.rglob("*.py"))


def _layer(path: Path) -> str:
    parts = path.relative_to(PKG).parts
    return parts[0] if len(parts) > 1 else path.stem


def test_sources_found():
    assert len(_files()) > 20


def test_pyside6_only_inside_ui():
    offenders = [str(f.relative_to(PKG)) for f in _files() if _layer(f) != "ui"
                 and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in _imports(f))]
    assert offenders == []


def test_only_app_imports_ui():
    offenders = [str(f.relative_to(PKG)) for f in _files()
                 if _layer(f) not in ("ui", "app")
                 and any(n.startswith("sessionstudio.ui") for n in _imports(f))]
    assert offenders == []


def test_core_is_stdlib_only():
    allowed = set(sys.stdlib_module_names) | {"sessionstudio"}
    offenders = {}
    for f in _files():
        if _layer(f) != "core":
            continue
        bad = [n for n in _imports(f) if n.split(".")[0] not in allowed
               or (n.startswith("sessionstudio.") and not n.startswith("sessionstudio.core"))]
        if bad:
            offenders[str(f.relative_to(PKG))] = bad
    assert offenders == {}


def test_lower_layers_do_not_import_upper_ones():
    # catalog and store sit under library; media is beside them; none reach up.
    upper = {"library", "cli", "app", "engines", "jobs", "agent", "sync", "ui"}
    offenders = {}
    for f in _files():
        if _layer(f) not in ("catalog", "store", "media", "core"):
            continue
        bad = [n for n in _imports(f) if n.startswith("sessionstudio.")
               and n.split(".")[1] in upper]
        if bad:
            offenders[str(f.relative_to(PKG))] = bad
    assert offenders == {}


def test_checker_sees_a_violation(tmp_path, monkeypatch):
    # The rule must be able to fail: a file outside ui/ importing PySide6 is reported.
    fake = PKG / "core" / "_probe_violation.py"
    fake.write_text("from PySide6 import QtCore\n")
    try:
        offenders = [f for f in _files() if _layer(f) != "ui"
                     and any(n.startswith("PySide6") for n in _imports(f))]
        assert fake in offenders
    finally:
        fake.unlink()
