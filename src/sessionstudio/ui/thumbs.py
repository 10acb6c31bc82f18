"""Thumbnails for views: a bounded in-memory cache of decoded images, filled in the
background. `image()` never touches the disk on the GUI thread: a miss returns None,
queues the load (and the thumbnail's creation if the cache file is missing) and emits
`sig_ready(asset_hash)` when it can be painted.

An asset that sync has not brought yet is "pending", not failed: it is tried again
when the library reports items changed (blobs.download touches the items it completes)."""

from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage

from ..library.thumbnails import Thumbnailer


_PENDING = "pending"   # a load result: not failed, the asset has not arrived yet


class ThumbnailProvider(QObject):
    sig_ready = Signal(str)
    _sig_loaded = Signal(str, object)

    def __init__(self, thumbnailer: Thumbnailer, parent: QObject | None = None, *,
                 capacity: int = 1500, workers: int = 2,
                 is_pending: Callable[[str], bool] | None = None):
        super().__init__(parent)
        self._thumbnailer = thumbnailer
        self._is_pending = is_pending          # asset_hash -> sync still brings it
        self._pending: set[str] = set()
        self._cache: OrderedDict[str, QImage] = OrderedDict()
        self._capacity = capacity
        self._loading: set[str] = set()
        self._failed: set[str] = set()
        self._waves: dict[str, list[float]] = {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thumb-load")
        self._sig_loaded.connect(self._on_loaded, Qt.QueuedConnection)

    def image(self, asset_hash: str, kind: str) -> QImage | None:
        img = self._cache.get(asset_hash)
        if img is not None:
            self._cache.move_to_end(asset_hash)
            return img
        if asset_hash not in self._loading and asset_hash not in self._failed \
                and asset_hash not in self._pending:
            self._loading.add(asset_hash)
            self._pool.submit(self._load, asset_hash, kind)
        return None

    def failed(self, asset_hash: str) -> bool:
        return asset_hash in self._failed

    def pending(self, asset_hash: str) -> bool:
        """The file is still on its way from another device (sync)."""
        return asset_hash in self._pending or "wave:" + asset_hash in self._pending

    def retry_pending(self) -> None:
        """Assets may have arrived: forget what was pending so views ask again."""
        if not self._pending:
            return
        keys, self._pending = self._pending, set()
        for key in keys:
            self.sig_ready.emit(key.removeprefix("wave:"))

    def _missing(self, asset_hash: str) -> bool:
        try:
            return (self._is_pending is not None and not self._thumbnailer.store.has(asset_hash)
                    and self._is_pending(asset_hash))
        except Exception:
            return False

    def waveform_failed(self, asset_hash: str) -> bool:
        return "wave:" + asset_hash in self._failed

    def _load(self, asset_hash: str, kind: str) -> None:
        # QImage (not QPixmap) is safe to build off the GUI thread.
        try:
            path = self._thumbnailer.cached(asset_hash) or self._thumbnailer.ensure(asset_hash, kind)
            img = QImage(str(path))
            self._sig_loaded.emit(asset_hash, None if img.isNull() else img)
        except Exception:  # unreadable media: paint a "damaged" placeholder, keep going
            self._sig_loaded.emit(asset_hash, _PENDING if self._missing(asset_hash) else None)

    def _on_loaded(self, key: str, img) -> None:
        self._loading.discard(key)
        if img is _PENDING:
            self._pending.add(key)
        elif img is None:
            self._failed.add(key)
        elif key.startswith("wave:"):
            self._waves[key[5:]] = img
            self.sig_ready.emit(key[5:])
            return
        else:
            asset_hash = key
            self._cache[asset_hash] = img
            while len(self._cache) > self._capacity:
                self._cache.popitem(last=False)
        self.sig_ready.emit(key.removeprefix("wave:"))

    def waveform(self, asset_hash: str) -> list[float] | None:
        """Waveform peaks (0..1) of an audio asset, or None while they load
        (`sig_ready(asset_hash)` follows)."""
        peaks = self._waves.get(asset_hash)
        if peaks is not None:
            return peaks
        key = "wave:" + asset_hash
        if key not in self._loading and key not in self._failed and key not in self._pending:
            self._loading.add(key)
            self._pool.submit(self._load_wave, asset_hash)
        return None

    def _load_wave(self, asset_hash: str) -> None:
        import json
        try:
            path = self._thumbnailer.waveform_path(asset_hash)
            if not path.exists():
                self._thumbnailer.ensure(asset_hash, "music")
            data = json.loads(path.read_text())
            peaks = data["peaks"] if isinstance(data, dict) else data
            self._sig_loaded.emit("wave:" + asset_hash, [float(p) for p in peaks])
        except Exception:
            self._sig_loaded.emit("wave:" + asset_hash,
                                  _PENDING if self._missing(asset_hash) else None)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
