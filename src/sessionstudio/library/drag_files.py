"""Files for dragging items out to other apps, made before the drag starts.

A drag hands the OS file paths the moment it starts, so the files must exist by then.
Making one is a Download: a copy of the asset with its recipe embedded, which takes disk
time (seconds for a long video) that must not freeze the window. So views ask for the
selected items' files on a worker thread as the selection changes (`prepare`), and the
drag takes what is ready (`ready`, no disk or catalog access); only files not made yet
are made when the drag starts. One folder per item version, reused until the item
changes; folders older than an hour are removed (drop targets copy long before that).
"""

import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import StudioError
from ..core.models import Item
from .export import export_item
from .item_queries import get_item
from .library import Library

MAX_AGE_S = 3600      # a drag folder older than this is removed
PRUNE_EVERY_S = 60    # look for old folders at most this often


class DragFiles:
    def __init__(self, lib: Library, root: Path | None = None):
        self.lib = lib
        self.root = Path(root) if root is not None else lib.paths.tmp_dir / "drag"
        self._lock = threading.Lock()
        self._made: dict[str, tuple[int, Path]] = {}   # item id -> (updated_at, file)
        self._pruned_at = 0.0

    def ready(self, items: Iterable[Item]) -> dict[str, Path]:
        """The files already made for these versions of these items."""
        out = {}
        with self._lock:
            for item in items:
                entry = self._made.get(item.id)
                if entry is not None and entry[0] == item.updated_at:
                    out[item.id] = entry[1]
        return out

    def prepare(self, item_ids: Iterable[str], *, prune: bool = True) -> dict[str, Path]:
        """Make (or find) the files for these items and return them by id. Items that are
        gone, or whose file is missing from the library, are left out. Runs on a worker
        thread; also on the GUI thread, at drag time, for what was not made yet."""
        if prune:
            self.prune()
        out: dict[str, Path] = {}
        for iid in item_ids:
            try:
                item = get_item(self.lib, iid)
            except StudioError:
                continue                 # purged meanwhile
            path = self.ready([item]).get(iid)
            if path is None or not path.is_file():
                try:
                    path = self._make(item)
                except StudioError:
                    continue             # its file is missing: drag the others
            out[iid] = path
        return out

    def _make(self, item: Item) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{item.id}-", dir=self.root))
        try:
            path = export_item(self.lib, item_id=item.id, dest_dir=folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        with self._lock:
            self._made[item.id] = (item.updated_at, path)
        return path

    def prune(self, *, now: float | None = None) -> None:
        """Remove drag folders older than MAX_AGE_S (at most once a minute)."""
        now = time.time() if now is None else now
        if now - self._pruned_at < PRUNE_EVERY_S or not self.root.is_dir():
            return
        self._pruned_at = now
        removed = []
        for folder in self.root.iterdir():
            try:
                if now - folder.stat().st_mtime > MAX_AGE_S:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
            except OSError:
                continue                 # removed by another drag meanwhile
        with self._lock:
            for iid, (_, path) in list(self._made.items()):
                if path.parent in removed:
                    del self._made[iid]
