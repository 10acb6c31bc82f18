"""Printing results: aligned text for people, JSON for scripts (--json)."""

import json
import sys
import time
from dataclasses import asdict, is_dataclass
from typing import Any


def when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000))


def duration(ms: int | None) -> str:
    if not ms:
        return ""
    s = round(ms / 1000)
    return f"{s // 60}:{s % 60:02d}"


def plain(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, set):
        return sorted(value)
    return value


def emit(args: Any, data: Any, lines: list[str] | None = None) -> None:
    """JSON when --json was given, else the given lines (or nothing)."""
    if getattr(args, "json", False):
        json.dump(plain(data), sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    elif lines:
        sys.stdout.write("\n".join(lines) + "\n")


def table(rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
