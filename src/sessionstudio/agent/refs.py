"""Finding the items a reference names, among what the session's canvas shows.

Counting is in creation order, oldest first: '#3' and 'the second clip' keep naming the
same item as new ones arrive (the grid shows newest first, but a number that shifted
with every generation would make earlier replies wrong). 'The last image' is the
newest, 'the intro' the first video and 'the outro' the last. Only visible items
count: not trashed, and of a kind the canvas filter (session settings 'filters') shows.
An unclear reference gives a question listing the candidates, never a guess."""

from dataclasses import dataclass, field

from ..core.errors import NotFound
from ..core.models import KINDS, Item
from ..library import get_item, get_session
from ..library.library import Library
from .ref_words import Ref
from .vocab import KIND_PLURAL, KIND_WORD

ASK_FOR_ITEM = ("Which item do you mean? Select it in the canvas, use “Use with AI Agent” on "
                "it, or name it: “the last image”, “the second clip”, “#3”.")
MAX_LISTED = 6


@dataclass
class Scope:
    """What references are resolved against, for one message."""
    session_id: str
    kinds: list[str]                    # kinds the canvas shows
    focus: str | None = None            # the item 'it' means
    focus_job: str | None = None        # ... or the job still making it
    focus_title: str = ""
    selected: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    items: list[Item] = field(default_factory=list)
    question: str = ""                  # ask this (several candidates, or none given)
    problem: str = ""                   # say this (nothing to act on)

    @property
    def ok(self) -> bool:
        return bool(self.items) and not self.question and not self.problem


def visible_kinds(lib: Library, session_id: str) -> list[str]:
    filters = get_session(lib, session_id).settings.get("filters") or []
    return [k for k in KINDS if k in filters] or list(KINDS)


def _visible_sql(scope: Scope, kinds: list[str]) -> tuple[str, list]:
    marks = ", ".join("?" for _ in kinds)
    return (f"session_id = ? AND trashed_at IS NULL AND kind IN ({marks})",
            [scope.session_id, *kinds])


def number_of(lib: Library, scope: Scope, item: Item) -> int | None:
    """An item's '#n' (1-based, creation order among visible items), None if hidden."""
    if item.trashed_at is not None or item.kind not in scope.kinds or item.session_id != scope.session_id:
        return None
    where, args = _visible_sql(scope, scope.kinds)
    row = lib.query(f"SELECT count(*) FROM items WHERE {where} AND (created_at, rowid) <= "
                    f"(SELECT created_at, rowid FROM items WHERE id = ?)", [*args, item.id])
    return row[0][0]


def describe(lib: Library, scope: Scope, item: Item) -> str:
    n = number_of(lib, scope, item)
    return f"#{n} “{item.name}”" if n else f"“{item.name}”"


def listing(lib: Library, scope: Scope, items: list[Item]) -> str:
    names = [describe(lib, scope, i) for i in items[:MAX_LISTED]]
    more = len(items) - len(names)
    if more > 0:
        names.append(f"{more} more")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _nth(lib: Library, scope: Scope, kinds: list[str], n: int) -> Item | None:
    where, args = _visible_sql(scope, kinds)
    order = "ASC" if n > 0 else "DESC"
    rows = lib.query(f"SELECT * FROM items WHERE {where} ORDER BY created_at {order}, rowid {order} "
                     f"LIMIT 1 OFFSET ?", [*args, abs(n) - 1])
    return Item.from_row(rows[0]) if rows else None


def visible_items(lib: Library, scope: Scope, kinds: list[str], limit: int = 50) -> list[Item]:
    where, args = _visible_sql(scope, kinds)
    return [Item.from_row(r) for r in lib.query(
        f"SELECT * FROM items WHERE {where} ORDER BY created_at, rowid LIMIT ?", [*args, limit])]


def _named(lib: Library, scope: Scope, kinds: list[str], name: str) -> list[Item]:
    """Items with exactly this name (any case), else those whose name contains it."""
    where, args = _visible_sql(scope, kinds)
    for test, value in (("lower(name) = lower(?)", name),
                        ("instr(lower(name), lower(?)) > 0", name)):
        rows = lib.query(f"SELECT * FROM items WHERE {where} AND {test} "
                         f"ORDER BY created_at, rowid LIMIT 50", [*args, value])
        if rows:
            return [Item.from_row(r) for r in rows]
    return []


def _kinds_for(scope: Scope, kind: str | None) -> tuple[list[str], str]:
    """The kinds to search and, when the canvas hides that kind, why nothing is found."""
    if kind is None:
        return scope.kinds, ""
    if kind not in scope.kinds:
        shown = " and ".join(KIND_PLURAL[k] for k in scope.kinds)
        return [], (f"No {KIND_PLURAL[kind]} are visible: the canvas shows only {shown}. "
                    f"Say “show everything” first.")
    return [kind], ""


def _ordinal_words(n: int) -> str:
    words = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last",
             -2: "second to last"}
    return words.get(n, f"{n}th" if n > 0 else f"{-n}th from last")


def resolve(lib: Library, scope: Scope, ref: Ref | None, *, many: bool = False) -> Resolution:
    """The item(s) `ref` names; `many` lets a selection of several through (delete, favorite)."""
    if ref is None:
        return Resolution(question=ASK_FOR_ITEM)
    form, kind = ref.form, ref.kind
    if form == "it" or (form == "this" and not scope.selected):
        return _focus(lib, scope, kind)
    if form in ("this", "selected"):
        return _selection(lib, scope, kind, many)
    if form == "id":
        try:
            return Resolution([get_item(lib, ref.name)])
        except NotFound as exc:
            return Resolution(problem=str(exc))
    kinds, hidden = _kinds_for(scope, kind)
    if hidden:
        return Resolution(problem=hidden)
    if form == "number":
        item = _nth(lib, scope, kinds, ref.n or 0) if (ref.n or 0) > 0 else None
        where, args = _visible_sql(scope, kinds)
        total = lib.query(f"SELECT count(*) FROM items WHERE {where}", args)[0][0]
        return Resolution([item]) if item else Resolution(
            problem=f"There is no #{ref.n}: the canvas shows {total} item{'s' if total != 1 else ''}.")
    if form in ("ordinal", "intro", "outro"):
        n = {"intro": 1, "outro": -1}.get(form, ref.n or 1)
        item = _nth(lib, scope, kinds, n)
        if item is None:
            noun = KIND_WORD[kind] if kind else "item"
            return Resolution(problem=f"There is no {_ordinal_words(n)} {noun} in this session."
                              if form == "ordinal" else f"There is no video in this session for "
                              f"{ref.text or form}.")
        return Resolution([item])
    if form == "name":
        found = _named(lib, scope, kinds, ref.name)
        return _one_of(lib, scope, found, f"called “{ref.name}”", kind)
    return _one_of(lib, scope, visible_items(lib, scope, kinds), "", kind)     # "the clip"


def _one_of(lib: Library, scope: Scope, found: list[Item], how: str, kind: str | None) -> Resolution:
    noun = KIND_WORD[kind] if kind else "item"
    if not found:
        return Resolution(problem=f"There is no {noun} {how} in this session.".replace("  ", " "))
    if len(found) > 1:
        return Resolution(question=f"Which {noun} do you mean: {listing(lib, scope, found)}? "
                                   f"Say e.g. “#{number_of(lib, scope, found[0]) or 1}”.")
    return Resolution(found)


def _focus(lib: Library, scope: Scope, kind: str | None) -> Resolution:
    if scope.focus is None and scope.focus_job is not None:
        return Resolution(problem=f"“{scope.focus_title}” is still being made — ask again when it "
                                  f"appears in the session.")
    if scope.focus is None:
        if len(scope.selected) == 1:
            return _checked(lib, scope, get_item(lib, scope.selected[0]), kind)
        return Resolution(question=ASK_FOR_ITEM)
    return _checked(lib, scope, get_item(lib, scope.focus), kind)


def _selection(lib: Library, scope: Scope, kind: str | None, many: bool) -> Resolution:
    items = [get_item(lib, i) for i in scope.selected]
    items = [i for i in items if kind is None or i.kind == kind]
    if not items:
        noun = KIND_WORD[kind] if kind else "item"
        return Resolution(problem=f"No {noun} is selected in the canvas.")
    if len(items) > 1 and not many:
        return Resolution(question=f"Several items are selected: {listing(lib, scope, items)}. "
                                   f"Which one do you mean?")
    return Resolution(items)


def _checked(lib: Library, scope: Scope, item: Item, kind: str | None) -> Resolution:
    if item.trashed_at is not None:
        return Resolution(problem=f"“{item.name}” is in the trash.")
    if kind is not None and item.kind != kind:
        return Resolution(question=f"{describe(lib, scope, item)} is {_a(KIND_WORD[item.kind])}, "
                                   f"not {_a(KIND_WORD[kind])}. Which {KIND_WORD[kind]} do you mean?")
    return Resolution([item])


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
