"""Turning what a person types (an id, an id prefix, a name) into one session or item."""

from ..core.errors import InvalidInput, NotFound
from ..library import Library


def _by_id_or_prefix(lib: Library, table: str, ref: str, noun: str) -> list[str]:
    ref = ref.strip()
    exact = lib.query(f"SELECT id FROM {table} WHERE id = ?", [ref])
    if exact:
        return [exact[0][0]]
    if len(ref) >= 4:
        rows = lib.query(f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' LIMIT 11",
                         [ref.replace("%", "\\%").replace("_", "\\_") + "%"])
        return [r[0] for r in rows]
    return []


def resolve_session(lib: Library, ref: str) -> str:
    """A session by id, unique id prefix, or exact name (case-insensitive)."""
    ids = _by_id_or_prefix(lib, "sessions", ref, "session")
    if not ids:
        rows = lib.query("SELECT id FROM sessions WHERE name = ? COLLATE NOCASE "
                         "ORDER BY trashed_at IS NOT NULL, created_at DESC LIMIT 11", [ref])
        live = [r[0] for r in rows]
        ids = live
    if not ids:
        raise NotFound(f"No session matches '{ref}' (use an id from `sessionstudio sessions ls`).")
    if len(ids) > 1:
        raise InvalidInput(f"'{ref}' matches {len(ids) if len(ids) <= 10 else 'more than 10'} "
                           f"sessions; use the full id.")
    return ids[0]


def resolve_item(lib: Library, ref: str) -> str:
    ids = _by_id_or_prefix(lib, "items", ref, "item")
    if not ids:
        raise NotFound(f"No item matches '{ref}' (use an id from `sessionstudio items ls SESSION`).")
    if len(ids) > 1:
        raise InvalidInput(f"'{ref}' matches several items; use the full id.")
    return ids[0]


def resolve_folder(lib: Library, ref: str) -> str:
    ids = _by_id_or_prefix(lib, "folders", ref, "folder")
    if not ids:
        ids = [r[0] for r in lib.query("SELECT id FROM folders WHERE name = ? COLLATE NOCASE "
                                       "LIMIT 11", [ref])]
    if not ids:
        raise NotFound(f"No folder matches '{ref}' (see `sessionstudio folders ls`).")
    if len(ids) > 1:
        raise InvalidInput(f"'{ref}' matches several folders; use the full id.")
    return ids[0]
