"""Sync status as plain data, for the window's status bar and `sessionstudio sync status`.

No Qt here: the worker calls listeners from its own thread; a UI adapter marshals the
call to its GUI thread (e.g. a queued signal) before touching widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

STATES = ("off", "idle", "syncing", "paused", "offline", "error", "waiting")


@dataclass(frozen=True)
class SyncStatus:
    state: str = "off"            # one of STATES; "waiting": deletions await confirmation
    device: str = ""
    device_name: str = ""
    target: str = ""
    last_sync: int | None = None  # ms of the last round that reached the target
    pending_up: int = 0           # local changes not yet published
    pending_down: int = 0         # segments still arriving + assets not yet fetched
    pending_assets: int = 0
    conflicts: int = 0            # values that lost a merge, not yet dismissed
    problems: tuple[str, ...] = ()
    held: tuple[dict, ...] = ()   # batches waiting for confirmation

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def summary(self) -> str:
        """One short line for a status bar."""
        if self.state == "off":
            return "Sync off"
        if self.state == "paused":
            return "Sync paused"
        if self.state == "waiting":
            n = sum(h.get("count", 0) for h in self.held)
            who = ", ".join(sorted({h.get("name") or h.get("device", "?") for h in self.held}))
            return (f"Sync waiting for you: {n} deletion(s) from {who} to confirm" if self.held
                    else "Sync waiting for you: " + (self.problems[0] if self.problems else "confirm"))
        parts = [{"idle": "Synced", "syncing": "Syncing…", "offline": "Sync target unavailable",
                  "error": "Sync problem"}.get(self.state, self.state)]
        if self.pending_up:
            parts.append(f"{self.pending_up} to send")
        if self.pending_down:
            parts.append(f"{self.pending_down} to receive")
        if self.conflicts:
            parts.append(f"{self.conflicts} also edited elsewhere")
        return " · ".join(parts)


class StatusBoard:
    """Holds the current status; update() replaces fields and notifies listeners."""

    def __init__(self) -> None:
        self._status = SyncStatus()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[SyncStatus], None]] = []

    @property
    def current(self) -> SyncStatus:
        with self._lock:
            return self._status

    def subscribe(self, fn: Callable[[SyncStatus], None]) -> None:
        with self._lock:
            self._listeners.append(fn)

    def unsubscribe(self, fn: Callable[[SyncStatus], None]) -> None:
        with self._lock:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def update(self, **fields) -> SyncStatus:
        with self._lock:
            self._status = replace(self._status, **fields)
            status, listeners = self._status, list(self._listeners)
        for fn in listeners:
            try:
                fn(status)
            except Exception:  # a broken listener must not stop sync
                pass
        return status


__all__ = ["SyncStatus", "StatusBoard", "STATES"]
