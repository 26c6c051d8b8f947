"""The core never imports Telegram or SQLite; only bot/telegram imports `telegram`."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bot"
CORE = {"config", "briefs", "safeyaml", "redact", "matching", "render", "text", "library",
        "replies", "figures", "dates", "seeds", "citations", "ownwords", "locate", "glossary",
        "evaluation", "topic", "examples", "report_html", "i18n", "language", "explain",
        "impact"}


def module_files(module: str) -> list[Path]:
    """A core module's file, or every file of a core package (bot/matching/)."""
    folder = PACKAGE / module
    return sorted(folder.glob("*.py")) if folder.is_dir() else [PACKAGE / f"{module}.py"]


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            prefix = "." * node.level + (node.module or "")
            names.add(prefix)
    return names


def test_core_imports_no_telegram_sqlite_or_upper_layers() -> None:
    for module in CORE:
        for path in module_files(module):
            found = imports(path)
            assert not any(n.split(".")[0] in ("telegram", "aiosqlite", "sqlite3")
                           for n in found)
            assert not any(n.lstrip(".").split(".")[0] in ("telegram", "storage", "alerts",
                                                            "cli")
                           for n in found if n.startswith(".")), (path, found)


def test_only_the_telegram_package_imports_telegram() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "telegram" in path.relative_to(PACKAGE).parts[:-1]:
            continue
        found = imports(path)
        assert not any(n.split(".")[0] == "telegram" for n in found), path


STORE_MODULES = {"storage.py", "store_base.py", "outbox_store.py"}  # the store, in three parts


def test_only_storage_imports_aiosqlite() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in STORE_MODULES and path.parent == PACKAGE:
            continue
        assert "aiosqlite" not in {n.split(".")[0] for n in imports(path)}, path
