"""Full-text search over session names, item names and prompts.

Newest matches first by default: FTS5 walks a term's doclist backwards and stops after a
few rows, so a word found in every prompt costs no more than a rare one. BM25 ranking
scores every match, so it is used only when asked for. The last word is a prefix (results
follow typing): three letters use the prefix index; longer prefixes take
candidates from their first three letters and keep the rows that really match, because
merging every term that starts with "port" costs 25 ms at 400k items; when the stem's
candidates rarely match, the full prefix is rare and FTS5 is asked for it directly."""

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..core.models import Item, Session
from .item_queries import _kinds
from .library import Library

# Letters and digits only: the FTS tokenizer splits on "_" too, and a multi-token phrase
# is not allowed with detail=column.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CANDIDATES = 1000  # stem candidates checked before asking FTS5 for the exact prefix


def fold(text: str) -> str:
    """Case and accents folded as the unicode61 tokenizer does."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fts_query(text: str, *, prefix_last: bool = True) -> str | None:
    """User text to a safe FTS5 query: every word must match; the last (three letters or
    more) may be a prefix (shorter ones match whole words: a one- or two-letter prefix
    matches most of a library and has no prefix index). Operators and quotes in the input are taken literally."""
    words = _TOKEN.findall(text)
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    if prefix_last and len(words[-1]) >= 3:
        parts[-1] += "*"
    return " ".join(parts)


@dataclass
class _Plan:
    query: str                                   # what FTS5 is asked first
    exact: str                                   # the full query, when `query` is looser
    check: Callable[[str], bool] | None = None   # keeps the rows that really match


def _plan(text: str, prefix: bool) -> _Plan | None:
    exact = fts_query(text, prefix_last=prefix)
    if exact is None:
        return None
    words = _TOKEN.findall(text)
    last = words[-1]
    if not (prefix and len(last) > 3):
        return _Plan(exact, exact)
    loose = " ".join([*(f'"{w}"' for w in words[:-1]), f'"{last[:3]}"*'])
    starts_word = re.compile(r"(?:^|[\W_])" + re.escape(fold(last)))

    def check(s: str) -> bool:
        return starts_word.search(s.casefold() if s.isascii() else fold(s)) is not None
    return _Plan(loose, exact, check)


@dataclass
class SearchResults:
    sessions: list[Session] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def search(lib: Library, text: str, *, limit: int = 50, session_id: str | None = None,
           kinds: Iterable[str] | None = None, rank: bool = False, prefix: bool = True,
           include_sessions: bool = True) -> SearchResults:
    plan = _plan(text, prefix)
    if plan is None:
        return SearchResults()
    kinds = _kinds(kinds)
    results = SearchResults()
    # "+": test these per row; as index constraints SQLite would walk every live row.
    where = ["+i.trashed_at IS NULL", "+s.trashed_at IS NULL"]
    params: list = []
    if session_id is not None:
        where.append("i.session_id = ?")
        params.append(session_id)
    if len(kinds) < 4:
        where.append(f"i.kind IN ({', '.join('?' for _ in kinds)})")
        params.extend(kinds)
    cond = " AND ".join(where)
    if rank:
        rows = lib.query(f"SELECT i.* FROM items_fts f JOIN items i ON i.rowid = f.rowid "
                         f"JOIN sessions s ON s.id = i.session_id WHERE items_fts MATCH ? "
                         f"AND {cond} ORDER BY f.rank LIMIT ?", [plan.exact, *params, limit])
    else:
        rows = _newest_first(lib, "items_fts", plan,
                             f"SELECT i.rowid AS _rid, i.* FROM items i JOIN sessions s "
                             f"ON s.id = i.session_id WHERE {cond} AND i.rowid IN",
                             params, limit, lambda r: f"{r['name']} {r['prompt']}")
    results.items = [Item.from_row(r) for r in rows]
    if include_sessions and session_id is None:
        if rank:
            rows = lib.query("SELECT s.* FROM sessions_fts f JOIN sessions s ON s.rowid = f.rowid "
                             "WHERE sessions_fts MATCH ? AND s.trashed_at IS NULL "
                             "ORDER BY f.rank LIMIT ?", [plan.exact, limit])
        else:
            rows = _newest_first(lib, "sessions_fts", plan,
                                 "SELECT s.rowid AS _rid, s.* FROM sessions s "
                                 "WHERE +s.trashed_at IS NULL AND s.rowid IN",
                                 [], limit, lambda r: r["name"])
        results.sessions = [Session.from_row(r) for r in rows]
    return results


def _newest_first(lib: Library, fts: str, plan: _Plan, rows_sql: str, params: list,
                  limit: int, text_of: Callable) -> list:
    """Matches newest first without sorting every match.

    Joined to other tables, SQLite sorts all matches before the LIMIT (36 ms for a word in
    every prompt at 1M items); on the bare FTS table, `ORDER BY rowid DESC` walks the
    doclist backwards (0.1 ms). So: rowids from the FTS table in growing chunks, then the
    rows that pass the filters."""
    rows: list = []
    cursor: int | None = None
    chunk, seen = max(2 * limit, 200), 0
    query = plan.query
    while len(rows) < limit:
        if plan.check is not None and query != plan.exact and seen >= _CANDIDATES:
            # The stem's first letters are common but the full prefix is not: now the
            # exact prefix query is the cheap one. Start over with it.
            return _newest_first(lib, fts, _Plan(plan.exact, plan.exact), rows_sql, params,
                                 limit, text_of)
        bound = "" if cursor is None else "AND rowid < ?"
        args = [query] + ([] if cursor is None else [cursor]) + [chunk]
        ids = [r[0] for r in lib.query(f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? {bound} "
                                       f"ORDER BY rowid DESC LIMIT ?", args)]
        if not ids:
            break
        cursor, seen = ids[-1], seen + len(ids)
        # No ORDER BY here: with one, SQLite walks the table in rowid order testing
        # membership; without, it looks each id up. The chunk is small: sort in Python.
        found = lib.query(f"{rows_sql} (SELECT value FROM json_each(?))", [*params, json.dumps(ids)])
        if plan.check is not None and query != plan.exact:
            found = [r for r in found if plan.check(text_of(r))]
        found.sort(key=lambda r: r["_rid"], reverse=True)
        rows += found[: limit - len(rows)]
        if len(ids) < chunk:
            break
        chunk *= 4
    return rows


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
