"""Where library files live on disk: the asset store, the writer lock, safe locations."""

from sessionstudio.store.assets import AssetStore, VerifyReport
from sessionstudio.store.locations import check_library_location
from sessionstudio.store.lock import LibraryLock

__all__ = ["AssetStore", "LibraryLock", "VerifyReport", "check_library_location"]
