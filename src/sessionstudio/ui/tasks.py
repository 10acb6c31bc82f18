"""Work off the GUI thread: one serial writer for library operations (Anki's serial DB
executor) and a pool for reads and decoding; results come back on the GUI thread.

    tasks.write(lambda: L.rename_item(lib, item_id=i, name=n), failed=show_error)
    tasks.read(lambda: L.list_items(lib, ...), done=model.set_rows)
"""

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from ..core.errors import StudioError

log = logging.getLogger(__name__)


class Tasks(QObject):
    sig_error = Signal(str)            # a readable message for the status bar
    sig_busy_changed = Signal(int)     # running + queued writes
    _sig_result = Signal(object, object, object)  # (callback, value, error) to the GUI thread

    def __init__(self, parent: QObject | None = None, *, readers: int = 2):
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library-writer")
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="reader")
        self._busy = 0
        self._closed = False
        self._latest: dict[Any, int] = {}   # key -> number of the newest read_latest
        self._sig_result.connect(self._deliver, Qt.QueuedConnection)

    def write(self, fn: Callable[[], Any], *, done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None) -> None:
        """Run a library operation on the serial writer."""
        if self._closed:
            # The window is closing; a callback still running asks for more. Say so rather
            # than raise out of Qt's event loop.
            log.warning("A change asked for after shutdown was not made: %r", fn)
            return
        self._busy += 1
        self.sig_busy_changed.emit(self._busy)
        self._writer.submit(self._run, fn, done, failed, True)

    def read(self, fn: Callable[[], Any], *, done: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Run a query or a decode on the reader pool (nothing once shut down)."""
        if self._closed:
            return
        self._readers.submit(self._run, fn, done, failed, False)

    def read_latest(self, key, fn: Callable[[], Any], *,
                    done: Callable[[Any], None] | None = None,
                    failed: Callable[[BaseException], None] | None = None) -> None:
        """Like read, for a view that shows one answer at a time: reads finish in any
        order, and only the newest under `key` is delivered (or none after supersede)."""
        self._latest[key] = n = self._latest.get(key, 0) + 1

        def newest(callback):
            if callback is None:
                return None
            return lambda value: self._latest.get(key) == n and callback(value)
        self.read(fn, done=newest(done), failed=newest(failed))

    def supersede(self, key) -> None:
        """Drop the answer of a read_latest under `key` still on its way."""
        self._latest[key] = self._latest.get(key, 0) + 1

    def _run(self, fn, done, failed, is_write: bool) -> None:
        try:
            value, error = fn(), None
        except BaseException as exc:  # delivered to the GUI thread, never lost
            value, error = None, exc
            if not isinstance(exc, StudioError):
                traceback.print_exc()
        self._sig_result.emit((done, failed, is_write), value, error)

    def _deliver(self, callbacks, value, error) -> None:
        done, failed, is_write = callbacks
        if self._closed:      # views are going away; what was written stays written
            return
        if is_write:
            self._busy -= 1
            self.sig_busy_changed.emit(self._busy)
        try:
            if error is None:
                if done is not None:
                    done(value)
            elif failed is not None:
                failed(error)
            else:
                self.sig_error.emit(str(error) if isinstance(error, StudioError)
                                    else f"Something went wrong: {error}")
        except RuntimeError as exc:
            # The answer was for a dialog or view the user closed meanwhile (Qt deleted
            # it); there is nothing left to show it in. Anything else is a real error.
            if "already deleted" not in str(exc):
                raise
            log.debug("An answer arrived for a closed view: %s", exc)

    def shutdown(self) -> None:
        self._closed = True
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True, cancel_futures=True)
