"""The operations API: every change to a library goes through these functions.

Each mutation is one transaction that returns a `Changes` and notifies
`Library.changed` subscribers; each is journaled so `Library.undo()`/`redo()` work,
across restarts too."""

from .library import Library
from .journal import Tx
from .sessions import (ANY_FOLDER, count_sessions, create_session, duplicate_session, get_session,
                       list_sessions, move_sessions, open_session, purge_sessions, rename_session,
                       restore_sessions, set_session_settings, trash_sessions)
from .item_add import InputRef, add_item, add_items, prepare_item
from .items import (copy_items, move_items, purge_items, rename_item,
                    restore_items, set_favorite, trash_items)
from .item_queries import (children_of, count_items, get_item, get_items, list_item_ids,
                           list_items, list_trash)
from .folders import (create_folder, list_folders, move_folder, purge_folder, rename_folder,
                      restore_folder, set_folder_collapsed, trash_folder)
from .search import SearchResults, search, sessions_matching
from .export import export_item
from .bundle_export import export_bundle
from .bundle_import import import_bundle
from .maintenance import verify_library
from .trash import collect_garbage, empty_trash
from .artboards import (Artboard, ArtboardElement, create_artboard, get_artboard, list_artboards,
                        purge_artboard, rename_artboard, restore_artboard, trash_artboard)
from .artboard_elements import (add_note, add_to_artboard, edit_note, move_elements,
                                remove_elements, resize_element, set_z)
from .artboard_export import export_artboard

__all__ = [
    "Library", "Tx", "ANY_FOLDER", "InputRef", "SearchResults",
    "create_session", "rename_session", "open_session", "get_session", "list_sessions",
    "count_sessions", "trash_sessions", "restore_sessions", "purge_sessions", "move_sessions",
    "duplicate_session", "set_session_settings",
    "add_item", "add_items", "prepare_item", "rename_item", "set_favorite", "trash_items", "restore_items", "purge_items",
    "move_items", "copy_items", "get_item", "get_items", "list_item_ids", "list_items", "count_items", "list_trash", "children_of",
    "create_folder", "rename_folder", "move_folder", "trash_folder", "restore_folder",
    "purge_folder", "list_folders", "set_folder_collapsed",
    "search", "sessions_matching", "verify_library", "empty_trash", "collect_garbage",
    "export_item", "export_bundle", "import_bundle",
    "Artboard", "ArtboardElement", "create_artboard", "rename_artboard", "trash_artboard",
    "restore_artboard", "purge_artboard", "list_artboards", "get_artboard", "add_to_artboard",
    "add_note", "move_elements", "resize_element", "set_z", "edit_note", "remove_elements",
    "export_artboard",
]
