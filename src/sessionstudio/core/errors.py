"""Errors a user can read: each names the problem and, where it helps, what to do."""


class StudioError(Exception):
    """Base of every error Session Studio reports to a person (CLI: one line, exit 2)."""


class NotFound(StudioError):
    """A session, item, folder or asset that does not exist."""


class InvalidInput(StudioError):
    """An argument or value the operation cannot accept."""


class MediaError(StudioError):
    """A media file that cannot be read: corrupt, truncated, unsupported or too big."""


class LibraryLocked(StudioError):
    """Another process is writing this library."""


class UnsafeLocation(StudioError):
    """The library path is inside a cloud-synced or network folder."""


class BundleError(StudioError):
    """A bundle that is unsafe or malformed; nothing was imported."""


class StoreError(StudioError):
    """The asset store could not write or read a file (disk full, permissions)."""


class NothingToUndo(StudioError):
    """Undo or redo was asked for with an empty stack."""


class Cancelled(StudioError):
    """A long operation the person stopped; it left nothing half-written behind."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)
