"""Plain nodes behind `SessionTreeModel`: no Qt, so the tree logic stays readable.

Row order everywhere is "newest first": sessions by (created_at, id) descending, which is
also `list_sessions` order, so keyset pages append at the end. At the top level the day
group headers are rows of their own among the sessions; a header sorts just above the
newest session its range can hold, so one binary search places sessions and headers."""

import itertools
import json
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from ... import library as L
from ...core.errors import NotFound

MIME_IDS = "application/x-sessionstudio-ids"
BULK = 500   # more changed sessions than this (an import): rebuild instead of row by row
FAR_FUTURE = 2 ** 62
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_uids = itertools.count(1)


class Page:
    """Keyset paging state of one container: it holds exactly the sessions whose key is
    at or after `cursor` (all of them once `exhausted`)."""

    __slots__ = ("cursor", "exhausted")

    def __init__(self, exhausted: bool = False):
        self.cursor: tuple[int, str] | None = None
        self.exhausted = exhausted

    def holds(self, key: tuple[int, str]) -> bool:
        return self.exhausted or (self.cursor is not None and key >= self.cursor)


class Node:
    kind = "root"

    def __init__(self):
        self.uid = next(_uids)          # the QModelIndex internalId
        self.parent: Node | None = None
        self.children: list[Node] = []
        self.n_folders = 0              # folder children come first
        self.page = Page()

    def sort_key(self) -> tuple:
        raise NotImplementedError


class FolderNode(Node):
    kind = "folder"

    def __init__(self, folder, *, leaf: bool = False):
        super().__init__()
        self.id, self.name = folder.id, folder.name
        self.parent_id, self.collapsed = folder.parent_id, folder.collapsed
        self.created_at, self.trashed_at = folder.created_at, folder.trashed_at
        self.page = Page(exhausted=leaf)   # a leaf (trash list) never loads sessions


class SessionNode(Node):
    kind = "session"

    def __init__(self, session):
        super().__init__()
        self.page = Page(exhausted=True)
        self.id = session.id
        self.update(session)

    def update(self, session) -> bool:
        """Copy the row's fields; True when what is shown changed."""
        shown = getattr(self, "name", None) != session.name
        self.name, self.folder_id = session.name, session.folder_id
        self.created_at, self.trashed_at = session.created_at, session.trashed_at
        return shown

    @property
    def key(self) -> tuple[int, str]:
        return (self.created_at, self.id)

    def sort_key(self) -> tuple:
        return (self.created_at, 0, self.id)


class GroupNode(Node):
    kind = "group"

    def __init__(self, key: str, label: str, end: int):
        super().__init__()
        self.page = Page(exhausted=True)
        self.id, self.name, self.end = key, label, end

    def sort_key(self) -> tuple:
        return (self.end - 1, 1, "")


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    end: int      # exclusive upper bound of created_at, ms


def _ms(d: date) -> int:
    return int(datetime.combine(d, time()).timestamp() * 1000)   # local midnight


class DayGroups:
    """Today, Yesterday, Previous 7 days, Previous 30 days, then months, in local time,
    relative to the day the model was (re)built."""

    def __init__(self, today: date):
        self.today = today
        self.t_today = _ms(today)
        self.t_yesterday = _ms(today - timedelta(days=1))
        self.t_7 = _ms(today - timedelta(days=7))
        self.t_30 = _ms(today - timedelta(days=30))

    def group_of(self, created_at: int) -> Group:
        if created_at >= self.t_today:
            return Group("today", "Today", FAR_FUTURE)
        if created_at >= self.t_yesterday:
            return Group("yesterday", "Yesterday", self.t_today)
        if created_at >= self.t_7:
            return Group("7d", "Previous 7 days", self.t_yesterday)
        if created_at >= self.t_30:
            return Group("30d", "Previous 30 days", self.t_7)
        d = datetime.fromtimestamp(created_at / 1000).date()
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return Group(f"m{d.year:04d}-{d.month:02d}", f"{MONTHS[d.month - 1]} {d.year}",
                     min(_ms(nxt), self.t_30))


def insert_pos(rows: list[Node], lo: int, key: tuple) -> int:
    """First row in rows[lo:] that sorts after `key` (newest first)."""
    hi = len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid].sort_key() > key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def encode_ids(entries: list[tuple[str, str]]) -> bytes:
    return json.dumps([{"kind": k, "id": i} for k, i in entries]).encode()


def decode_ids(raw: bytes) -> list[tuple[str, str]] | None:
    try:
        data = json.loads(bytes(raw).decode())
        return [(str(e["kind"]), str(e["id"])) for e in data if e["kind"] in ("session", "folder")]
    except (ValueError, TypeError, KeyError):
        return None


def walk(node: Node):
    """The node and everything under it."""
    yield node
    for child in node.children:
        yield from walk(child)


class TreeRows:
    """The row edits of `SessionTreeModel`, kept apart from its Qt interface: every change
    to the node tree goes through here, wrapped in begin/end Insert/Remove/MoveRows.
    Needs from the model: `_index(node)`, `_mode`, `_lib`, `reload()` and the
    QAbstractItemModel begin*/end* methods."""

    def _build(self, matches) -> None:
        root = self._root
        if self._mode == "tree":
            self._sync_folders(L.list_folders(self._lib), signals=False)
        elif self._mode == "trash":
            self._sync_folders(L.list_folders(self._lib, trashed=True), signals=False)
        else:
            root.page.exhausted = True
            root.children = [SessionNode(s) for s in matches]
            for n in root.children:
                n.parent = root
                self._register(n)

    def apply_changes(self, changes) -> None:
        """Refresh exactly the rows a `Changes` names."""
        if self._mode == "tree" and date.today() != self._days.today:
            return self.reload()                  # the day groups moved on
        if len(changes.sessions) > BULK:
            return self.reload()
        if changes.folders and self._mode != "search":
            self._sync_folders(L.list_folders(self._lib, trashed=self._mode == "trash"))
        for sid in sorted(changes.sessions):
            self._sync_session(sid)

    def _clear(self) -> None:
        self._root = Node()
        self._nodes: dict[int, Node] = {}
        self._sessions: dict[str, SessionNode] = {}
        self._folders: dict[str, FolderNode] = {}
        self._groups: dict[str, GroupNode] = {}
        self._days = DayGroups(date.today())

    def _register(self, node: Node) -> None:
        for n in walk(node):
            self._nodes[n.uid] = n
            self._table(n)[n.id] = n

    def _table(self, node: Node) -> dict:
        return {"session": self._sessions, "folder": self._folders, "group": self._groups}[node.kind]

    def _unregister(self, node: Node) -> None:
        for n in walk(node):
            self._nodes.pop(n.uid, None)
            if self._table(n).get(n.id) is n:
                del self._table(n)[n.id]

    def _insert(self, parent: Node, row: int, nodes: list[Node]) -> None:
        self.beginInsertRows(self._index(parent), row, row + len(nodes) - 1)
        parent.children[row:row] = nodes
        for n in nodes:
            n.parent = parent
            parent.n_folders += n.kind == "folder"
            self._register(n)
        self.endInsertRows()

    def _remove_rows(self, parent: Node, row: int, count: int) -> None:
        self.beginRemoveRows(self._index(parent), row, row + count - 1)
        gone = parent.children[row:row + count]
        del parent.children[row:row + count]
        for n in gone:
            parent.n_folders -= n.kind == "folder"
            self._unregister(n)
            n.parent = None
        self.endRemoveRows()

    def _move_folder_node(self, node: FolderNode, dest: Node, row: int) -> None:
        src = node.parent
        r = src.children.index(node)
        if not self.beginMoveRows(self._index(src), r, r, self._index(dest), row):
            self._remove_rows(src, r, 1)          # not expected: refused moves are rebuilt
            self._insert(dest, row, [FolderNode(node)])
            return
        src.children.pop(r)
        src.n_folders -= 1
        dest.children.insert(row, node)
        dest.n_folders += 1
        node.parent = dest
        self.endMoveRows()

    def _ancestors(self, node: Node) -> list[str]:
        out, p = [], node.parent
        while p is not None and p.kind == "folder":
            out.append(p.id)
            p = p.parent
        return out

    def _sync_folders(self, folders, *, signals: bool = True) -> None:
        """Make the folder rows match `folders` by removing, inserting and moving rows
        (beginMoveRows keeps selection and expansion); trash mode shows them flat."""
        flat = self._mode == "trash"
        new = {f.id: f for f in folders}
        kids: dict[str | None, list[str]] = {}
        for f in folders:
            kids.setdefault(None if flat or f.parent_id not in new else f.parent_id, []).append(f.id)
        for node in list(self._folders.values()):
            if node.id not in new and self._folders.get(node.id) is node:
                self._remove_rows(node.parent, node.parent.children.index(node), 1)

        def place(parent: Node, pid: str | None) -> None:
            for i, fid in enumerate(kids.get(pid, [])):
                node = self._folders.get(fid)
                if node is None:
                    node = FolderNode(new[fid], leaf=flat)
                    if signals:
                        self._insert(parent, i, [node])
                    else:
                        parent.children.insert(i, node)
                        node.parent, parent.n_folders = parent, parent.n_folders + 1
                        self._register(node)
                elif node.parent is not parent or parent.children.index(node) != i:
                    self._move_folder_node(node, parent, i)
                if not flat:
                    place(node, fid)
        place(self._root, None)
        for fid, f in new.items():
            node = self._folders[fid]
            node.parent_id, node.collapsed, node.trashed_at = f.parent_id, f.collapsed, f.trashed_at
            name = self._renames.get(fid, f.name)
            if node.name != name:
                node.name = name
                idx = self._index(node)
                self.dataChanged.emit(idx, idx)

    def _sync_session(self, sid: str) -> None:
        try:
            s = L.get_session(self._lib, sid)
        except NotFound:
            s = None
        if s is not None and sid in self._renames:
            s = replace(s, name=self._renames[sid])
        node = self._sessions.get(sid)
        target = self._target_for(s, node)
        if node is not None and target is node.parent:
            if node.update(s):
                idx = self._index(node)
                self.dataChanged.emit(idx, idx)
            return
        if node is not None:
            self._remove_session(node)
        if target is not None:
            self._insert_session(target, SessionNode(s))

    def _target_for(self, s, node) -> Node | None:
        if s is None:
            return None
        key = (s.created_at, s.id)
        if self._mode == "search":
            return self._root if node is not None and s.trashed_at is None else None
        if self._mode == "trash":
            return self._root if s.trashed_at is not None and self._root.page.holds(key) else None
        if s.trashed_at is not None:
            return None
        container = self._root if s.folder_id is None else self._folders.get(s.folder_id)
        return container if container is not None and container.page.holds(key) else None

    def _insert_session(self, parent: Node, node: SessionNode) -> None:
        pos = insert_pos(parent.children, parent.n_folders, node.sort_key())
        if parent is self._root and self._mode == "tree":
            g = self._days.group_of(node.created_at)
            if g.key not in self._groups:
                return self._insert(parent, pos, [GroupNode(g.key, g.label, g.end), node])
        self._insert(parent, pos, [node])

    def _remove_session(self, node: SessionNode) -> None:
        parent = node.parent
        rows = parent.children
        r = rows.index(node)
        if (parent is self._root and r > 0 and rows[r - 1].kind == "group"
                and (r + 1 == len(rows) or rows[r + 1].kind == "group")):
            return self._remove_rows(parent, r - 1, 2)   # the group's last session
        self._remove_rows(parent, r, 1)
