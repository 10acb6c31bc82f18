"""Two and three devices converge after random operations, whatever order the shared
folder delivers files in, with duplicates (conflict copies, re-numbered copies).

Each device has its own replica of the shared folder, as with Syncthing or Dropbox;
the test plays the cloud client, copying files between replicas in a random order."""

import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from sessionstudio import library as L
from sessionstudio.core.errors import StudioError
from sessionstudio.library import Library
from sessionstudio.sync import FolderTarget, layout
from tests.sync.conftest import Device

OPS = ["new_session", "rename_session", "trash_session", "restore_session", "purge_session",
       "add_item", "rename_item", "favorite", "trash_item", "restore_item", "purge_item",
       "move_item", "new_folder", "move_session", "purge_folder", "undo",
       "new_board", "board_note", "board_add", "board_move", "trash_board", "purge_board"]
STEP = st.tuples(st.integers(0, 2), st.sampled_from(OPS + ["deliver"] * 6 + ["sync"] * 5 +
                                                   ["exchange"] * 5),
                 st.integers(0, 10_000), st.booleans())


class Replicas:
    def __init__(self, root: Path, n: int):
        self.dirs = [root / f"replica{i}" for i in range(n)]
        for d in self.dirs:
            d.mkdir()
        self.pool: dict[str, bytes] = {}

    def collect(self) -> None:
        for d in self.dirs:
            for p in d.rglob("*"):
                rel = p.relative_to(d).as_posix()
                if p.is_file() and not rel.startswith("tmp/") and rel not in self.pool:
                    self.pool[rel] = p.read_bytes()

    def pending(self, i: int) -> list[str]:
        return [r for r in sorted(self.pool) if not (self.dirs[i] / r).exists()]

    def deliver(self, i: int, rel: str, dup: bool) -> None:
        dest = self.dirs[i] / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(self.pool[rel])
        seg = layout.parse_segment_name(dest.name)
        if dup and seg is not None:   # a cloud client's conflict copy of the same file
            dest.with_name(dest.name.replace(".jsonl.gz", ".jsonl (conflicted copy).gz")) \
                .write_bytes(self.pool[rel])


def _png(n: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (2, 2), (n % 256, n // 256 % 256, 7)).save(buf, "PNG")
    return buf.getvalue()


def _pick(lib, sql, k):
    ids = [r[0] for r in lib.query(sql)]
    return ids[k % len(ids)] if ids else None


def run_op(lib, op: str, k: int) -> None:
    s_live = "SELECT id FROM sessions WHERE trashed_at IS NULL ORDER BY id"
    s_all = "SELECT id FROM sessions ORDER BY id"
    i_all = "SELECT id FROM items ORDER BY id"
    sid, iid = _pick(lib, s_all, k), _pick(lib, i_all, k)
    try:
        if op == "new_session":
            L.create_session(lib, name=f"s{k}")
        elif op == "rename_session" and sid:
            L.rename_session(lib, session_id=sid, name=f"r{k}")
        elif op == "trash_session" and sid:
            L.trash_sessions(lib, session_ids=[sid])
        elif op == "restore_session" and sid:
            L.restore_sessions(lib, session_ids=[sid])
        elif op == "purge_session" and sid:
            L.purge_sessions(lib, session_ids=[sid])
        elif op == "add_item" and _pick(lib, s_live, k):
            L.add_item(lib, session_id=_pick(lib, s_live, k), source=_png(k), filename="i.png")
        elif op == "rename_item" and iid:
            L.rename_item(lib, item_id=iid, name=f"n{k}")
        elif op == "favorite" and iid:
            L.set_favorite(lib, item_ids=[iid], favorite=bool(k % 2))
        elif op == "trash_item" and iid:
            L.trash_items(lib, item_ids=[iid])
        elif op == "restore_item" and iid:
            L.restore_items(lib, item_ids=[iid])
        elif op == "purge_item" and iid:
            L.purge_items(lib, item_ids=[iid])
        elif op == "move_item" and iid and _pick(lib, s_live, k // 3):
            L.move_items(lib, item_ids=[iid], session_id=_pick(lib, s_live, k // 3))
        elif op == "new_folder":
            L.create_folder(lib, name=f"f{k}")
        elif op == "move_session" and sid:
            L.move_sessions(lib, session_ids=[sid],
                            folder_id=_pick(lib, "SELECT id FROM folders ORDER BY id", k))
        elif op == "purge_folder" and _pick(lib, "SELECT id FROM folders ORDER BY id", k):
            L.purge_folder(lib, folder_id=_pick(lib, "SELECT id FROM folders ORDER BY id", k))
        elif op == "undo":
            lib.undo()
        elif op == "new_board":
            L.create_artboard(lib, name=f"b{k}", item_ids=[iid] if iid and k % 2 else [])
        elif op.startswith("board_") or op.endswith("_board"):
            bid = _pick(lib, "SELECT id FROM artboards ORDER BY id", k)
            eid = _pick(lib, "SELECT id FROM artboard_elements ORDER BY id", k)
            if bid and op == "board_note":
                L.add_note(lib, artboard_id=bid, text=f"n{k}", x=k % 500, y=k % 300)
            elif bid and op == "board_add" and iid:
                L.add_to_artboard(lib, artboard_id=bid, item_ids=[iid])
            elif eid and op == "board_move":
                L.move_elements(lib, moves={eid: (float(k % 700), float(k % 400))})
            elif bid and op == "trash_board":
                L.trash_artboard(lib, artboard_id=bid)
            elif bid and op == "purge_board":
                L.purge_artboard(lib, artboard_id=bid)
    except StudioError:
        pass   # e.g. adding to a trashed session: refused as in the app


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(n=st.integers(2, 3), steps=st.lists(STEP, max_size=40))
def test_devices_converge(n, steps):
    root = Path(tempfile.mkdtemp(prefix="conv-"))
    devices: list[Device] = []
    try:
        net = Replicas(root, n)
        for i in range(n):
            dev = Device(f"d{i}", Library.open(root / f"lib{i}"), FolderTarget(net.dirs[i]))
            if i > 0:
                shutil.copy(net.dirs[0] / "FORMAT", net.dirs[i] / "FORMAT")
            dev.setup()
            devices.append(dev)
        # A shared starting point, so the random steps edit the same rows concurrently.
        for k in range(2):
            sid = L.create_session(devices[0].lib, name=f"seed{k}").created[0]
            for j in range(2):
                L.add_item(devices[0].lib, session_id=sid, source=_png(100 + 2 * k + j),
                           filename="seed.png")
        devices[0].sync()
        net.collect()
        for i in range(1, n):
            for rel in net.pending(i):
                net.deliver(i, rel, False)
            devices[i].sync()
        for who, op, k, dup in steps:
            d = devices[who % n]
            if op == "sync":
                d.sync()
                net.collect()
            elif op == "exchange":       # publish, receive a random part, merge
                d.sync()
                net.collect()
                pending = net.pending(who % n)
                for j in range(0, len(pending), 1 + k % 3):
                    net.deliver(who % n, pending[(j + k) % len(pending)], dup)
                d.sync()
                net.collect()
            elif op == "deliver":
                pending = net.pending(who % n)
                if pending:
                    net.deliver(who % n, pending[k % len(pending)], dup)
            else:
                run_op(d.lib, op, k)
        for _ in range(6):   # then everything reaches everyone
            for d in devices:
                d.sync()
            net.collect()
            moved = False
            for i in range(n):
                for rel in net.pending(i):
                    net.deliver(i, rel, False)
                    moved = True
            if not moved and all(d.engine.counts()["pending_up"] == 0 for d in devices):
                break
        for d in devices:
            d.sync()
        states = [d.state() for d in devices]
        for s in states[1:]:
            assert s == states[0]
        for d in devices:
            assert d.lib.query("PRAGMA foreign_key_check") == []
            assert d.lib.query("SELECT count(*) FROM sync_rows WHERE state = 'parked'")[0][0] == 0
            assert d.engine.counts()["pending_assets"] == 0
    finally:
        for d in devices:
            d.lib.close()
        shutil.rmtree(root, ignore_errors=True)
