"""Files for dragging items out to other apps, made before the drag starts.

A drag hands the OS file paths the moment it starts, so the files must exist by then.
Making one is a Download: a copy of the asset with its recipe embedded, which takes disk
time (seconds for a long video) that must not freeze the window. So views ask for the
selected items' files as the selection changes (`prepare_soon`): one background thread
of its own (the shared reader pool stays free for what the window shows) makes them for
the newest selection only, skipping very large files. The drag then takes what is ready
(`for_drag`) and makes only the rest. One folder per item version, reused until the item
or its session changes; a folder is removed an hour after it was last handed out.
"""

import logging
import os
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

log = logging.getLogger(__name__)

MAX_AGE_S = 3600                   # a folder not handed out for this long is removed
PRUNE_EVERY_S = 60                 # look for old folders at most this often
AHEAD_MAX_BYTES = 256 * 1024 ** 2  # bigger files are copied when dragged, not on a click
AHEAD_TOTAL_BYTES = 1024 ** 3      # at most this much made ahead for one selection


class DragFiles:
    def __init__(self, lib: Library, root: Path | None = None):
        self.lib = lib
        self.root = Path(root) if root is not None else lib.paths.tmp_dir / "drag"
        self._lock = threading.Lock()
        self._made: dict[str, tuple[int, Path]] = {}   # item id -> (updated_at, file)
        self._pruned_at = 0.0
        self._wanted: list[str] | None = None   # the newest selection not yet started
        self._worker: threading.Thread | None = None

    # -- ahead of a drag (any thread; the work runs on this object's own thread) ----------
    def prepare_soon(self, item_ids: Iterable[str]) -> None:
        """Make these items' files in the background, instead of a selection asked for
        earlier and not started yet."""
        with self._lock:
            self._wanted = list(item_ids)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="drag-files",
                                                daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                ids, self._wanted = self._wanted, None
                if ids is None:
                    self._worker = None   # idle: the next prepare_soon starts a new one
                    return
            try:
                self.prepare(ids, ahead=True)
            except Exception:  # noqa: BLE001 - ahead of time only: the drag makes its own
                log.exception("Drag files could not be made ahead")

    # -- at the drag -----------------------------------------------------------------------
    def ready(self, items: Iterable[Item]) -> dict[str, Path]:
        """The files already made for these versions of these items."""
        out = {}
        with self._lock:
            for item in items:
                entry = self._made.get(item.id)
                if entry is not None and entry[0] == item.updated_at:
                    out[item.id] = entry[1]
        return out

    def for_drag(self, item_ids: list[str], known: Iterable[Item]) -> dict[str, Path]:
        """The files to hand out for a drag of these items: those made ahead for the
        versions in `known`, the others made now. Each folder handed out gets another
        hour before it is removed."""
        files = {k: p for k, p in self.ready(known).items() if p.is_file()}
        missing = [i for i in item_ids if i not in files]
        if missing:
            files.update(self.prepare(missing, prune=False))
        for path in files.values():
            try:
                os.utime(path.parent)
            except OSError:
                pass
        return files

    def forget(self) -> None:
        """Make every file again when next asked (its session was renamed: the recipe
        inside names it)."""
        with self._lock:
            self._made.clear()

    # -- making --------------------------------------------------------------------------
    def prepare(self, item_ids: Iterable[str], *, prune: bool = True,
                ahead: bool = False) -> dict[str, Path]:
        """Make (or find) the files for these items and return them by id. Items that are
        gone, or whose file is missing from the library, are left out. `ahead`: stop when
        a newer selection is waiting, and leave out files too big to copy on a click."""
        if prune:
            self.prune()
        out: dict[str, Path] = {}
        budget = AHEAD_TOTAL_BYTES
        for iid in item_ids:
            if ahead and self._wanted is not None:
                break                    # the selection moved on
            try:
                item = get_item(self.lib, iid)
            except StudioError:
                continue                 # purged meanwhile, or the library closed
            path = self.ready([item]).get(iid)
            if path is None or not path.is_file():
                if ahead and (item.size > AHEAD_MAX_BYTES or item.size > budget):
                    continue
                try:
                    path = self._make(item)
                except StudioError:
                    continue             # its file is missing: drag the others
                budget -= item.size
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
        """Remove drag folders not handed out for MAX_AGE_S (at most once a minute)."""
        now = time.time() if now is None else now
        with self._lock:
            if now - self._pruned_at < PRUNE_EVERY_S:
                return
            self._pruned_at = now
        if not self.root.is_dir():
            return
        removed = set()
        for folder in self.root.iterdir():
            try:
                if now - folder.stat().st_mtime > MAX_AGE_S:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.add(folder)
            except OSError:
                continue                 # removed by another drag meanwhile
        with self._lock:
            for iid, (_, path) in list(self._made.items()):
                if path.parent in removed:
                    del self._made[iid]
