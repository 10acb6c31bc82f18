"""Thumbnails and waveforms: a cache beside the library, made in the background.

Made once when an item is added (never from originals while a session opens); if the
cache folder is deleted they are rebuilt on demand. Pillow and PyAV release the GIL
while decoding, so a small thread pool keeps both cores busy without new processes."""

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..core.errors import MediaError
from ..core.signals import Signal
from ..store import AssetStore

_MEDIA_KIND = {"image": "image", "video": "video", "music": "audio", "voiceover": "audio"}


class Thumbnailer:
    def __init__(self, store: AssetStore, thumbs_dir: Path, waveforms_dir: Path, *,
                 workers: int | None = None, size: int = 256):
        self.store = store
        self.thumbs_dir = Path(thumbs_dir)
        self.waveforms_dir = Path(waveforms_dir)
        self.size = size
        self.ready = Signal()    # (asset_hash) when a thumbnail exists
        self.failed = Signal()   # (asset_hash, message) when the media could not be read
        self._pool = ThreadPoolExecutor(max_workers=workers or max(1, (os.cpu_count() or 2) - 1),
                                        thread_name_prefix="thumbs")
        self._pending: dict[str, Future] = {}
        self._lock = threading.Lock()
        self.closed = False      # then request() raises RuntimeError; cached files still read

    def thumbnail_path(self, asset_hash: str) -> Path:
        return self.thumbs_dir / asset_hash[:2] / f"{asset_hash}.jpg"

    def waveform_path(self, asset_hash: str) -> Path:
        return self.waveforms_dir / asset_hash[:2] / f"{asset_hash}.json"

    def cached(self, asset_hash: str) -> Path | None:
        """The thumbnail if it is ready; never does any work (safe on the GUI thread)."""
        path = self.thumbnail_path(asset_hash)
        return path if path.exists() else None

    def ensure(self, asset_hash: str, kind: str) -> Path:
        """Make the thumbnail now if missing (and the waveform for audio); return its path."""
        from ..media import make_thumbnail, waveform_json

        path = self.thumbnail_path(asset_hash)
        media_kind = _MEDIA_KIND[kind]
        if media_kind == "audio":
            wave = self.waveform_path(asset_hash)
            if not wave.exists():
                wave.parent.mkdir(parents=True, exist_ok=True)
                waveform_json(self.store.path(asset_hash), wave)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            make_thumbnail(self.store.path(asset_hash), path, media_kind, size=self.size)
        return path

    def request(self, asset_hash: str, kind: str) -> Future:
        """Queue a thumbnail; `ready` or `failed` is emitted from a worker thread."""
        with self._lock:
            fut = self._pending.get(asset_hash)
            if fut is not None:
                return fut
            fut = self._pool.submit(self._run, asset_hash, kind)
            self._pending[asset_hash] = fut
            return fut

    def _run(self, asset_hash: str, kind: str) -> Path | None:
        try:
            path = self.ensure(asset_hash, kind)
        except (MediaError, OSError) as exc:
            self.failed.emit(asset_hash, str(exc))
            return None
        finally:
            with self._lock:
                self._pending.pop(asset_hash, None)
        self.ready.emit(asset_hash)
        return path

    def wait(self) -> None:
        """Block until everything queued so far is done (CLI, tests)."""
        while True:
            with self._lock:
                futures = list(self._pending.values())
            if not futures:
                return
            for fut in futures:
                fut.exception()

    def close(self) -> None:
        self.closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
