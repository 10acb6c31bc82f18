"""Full-text search over session names, item names and prompts.

Newest matches first by default: FTS5 walks its doclists in descending rowid order
and stops after `limit`, so a word found in every prompt costs no more than a rare one.
BM25 ranking scores every match, so it is used only when asked for."""

import re
from dataclasses import dataclass, field
from collections.abc import Iterable

from ..core.models import Item, Session
from .item_queries import _kinds
from .library import Library

# Letters and digits only: the FTS tokenizer splits on "_" too, and a multi-token phrase
# is not allowed with detail=column.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def fts_query(text: str, *, prefix_last: bool = True) -> str | None:
    """User text to a safe FTS5 query: every word must match; the last may be a prefix
    (so results follow typing). Operators and quotes in the input are taken literally."""
    words = _TOKEN.findall(text)
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    if prefix_last:
        parts[-1] += "*"
    return " ".join(parts)


@dataclass
class SearchResults:
    sessions: list[Session] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def search(lib: Library, text: str, *, limit: int = 50, session_id: str | None = None,
           kinds: Iterable[str] | None = None, rank: bool = False,
           include_sessions: bool = True) -> SearchResults:
    query = fts_query(text)
    if query is None:
        return SearchResults()
    kinds = _kinds(kinds)
    results = SearchResults()
    where = ["i.trashed_at IS NULL", "s.trashed_at IS NULL"]
    params: list = [query]
    if session_id is not None:
        where.append("i.session_id = ?")
        params.append(session_id)
    if len(kinds) < 4:
        where.append(f"i.kind IN ({', '.join('?' for _ in kinds)})")
        params.extend(kinds)
    order = "f.rank" if rank else "f.rowid DESC"
    results.items = [Item.from_row(r) for r in lib.query(
        f"SELECT i.* FROM items_fts f JOIN items i ON i.rowid = f.rowid "
        f"JOIN sessions s ON s.id = i.session_id "
        f"WHERE items_fts MATCH ? AND {' AND '.join(where)} ORDER BY {order} LIMIT ?",
        [*params, limit])]
    if include_sessions and session_id is None:
        order = "f.rank" if rank else "f.rowid DESC"
        results.sessions = [Session.from_row(r) for r in lib.query(
            f"SELECT s.* FROM sessions_fts f JOIN sessions s ON s.rowid = f.rowid "
            f"WHERE sessions_fts MATCH ? AND s.trashed_at IS NULL ORDER BY {order} LIMIT ?",
            [query, limit])]
    return results


def sessions_matching(lib: Library, text: str, *, limit: int = 200) -> list[Session]:
    """The sidebar filter: sessions whose name, or any item's name or prompt, matches."""
    res = search(lib, text, limit=limit)
    seen: dict[str, Session] = {s.id: s for s in res.sessions}
    missing = [i.session_id for i in res.items if i.session_id not in seen]
    if missing:
        from .sessions import get_session
        for sid in dict.fromkeys(missing):
            seen[sid] = get_session(lib, sid)
    return sorted(seen.values(), key=lambda s: (s.created_at, s.id), reverse=True)[:limit]
