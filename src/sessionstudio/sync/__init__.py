"""Sync: one library on several devices through a shared folder or WebDAV.

Pure Python (no Qt). The pieces, bottom up: hlc (stamps), device (who we are),
layout (names on the target), targets/webdav (where), rows (per-row sync state),
outbox (local ops -> records), merge/plan/apply (records -> catalog), publish/pull/
blobs (moving files), engine (one round), worker (rounds in the background), status.
"""

from .blobs import is_pending, pending_assets
from .config import SyncConfig
from .conflicts import dismiss_conflicts, list_conflicts
from .engine import SyncEngine, status_counts
from .status import StatusBoard, SyncStatus
from .targets import (FolderTarget, TargetConflict, TargetError, TargetUnavailable,
                      TargetWriteFailed)
from .worker import SyncWorker, start_sync_worker

__all__ = ["SyncConfig", "SyncEngine", "SyncWorker", "SyncStatus", "StatusBoard", "FolderTarget",
           "TargetError", "TargetUnavailable", "TargetWriteFailed", "TargetConflict",
           "pending_assets", "is_pending", "list_conflicts", "dismiss_conflicts", "status_counts",
           "start_sync_worker"]
