"""The command-line grammar. Every command here is documented in README.md (a test checks)."""

import argparse

from . import commands as c
from . import generate_commands
from . import watch_commands
from . import sync_commands
from . import artboard_commands
from . import agent_commands

KIND_HELP = "comma-separated kinds: image,video,music,voiceover"


def _add(sub, name: str, func, help: str, *, writes: bool):
    p = sub.add_parser(name, help=help, description=help)
    p.set_defaults(func=func, writes=writes)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sessionstudio",
        description="Session Studio: your generated images, videos, music and voiceovers, "
                    "in sessions. With no command, opens the desktop window.")
    parser.add_argument("--library", metavar="DIR", help="use the library in DIR "
                        "(default: the per-user data folder, or $SESSIONSTUDIO_HOME)")
    parser.add_argument("--allow-unsafe-location", action="store_true",
                        help="open a library inside a cloud-synced or network folder anyway")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    top = parser.add_subparsers(dest="command", metavar="COMMAND")

    sessions = top.add_parser("sessions", help="list and manage sessions").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = _add(sessions, "ls", c.sessions_ls, "list sessions, newest first", writes=False)
    p.add_argument("--trash", action="store_true", help="list the sessions in the trash")
    p.add_argument("--folder", help="only sessions in this folder")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p = _add(sessions, "new", c.sessions_new, "create a session", writes=True)
    p.add_argument("name", nargs="?", help="its name (default: a dated name)")
    p.add_argument("--folder", help="put it in this folder")
    p = _add(sessions, "rename", c.sessions_rename, "rename a session", writes=True)
    p.add_argument("session")
    p.add_argument("name")
    p = _add(sessions, "rm", c.sessions_rm, "move sessions to the trash", writes=True)
    p.add_argument("sessions", nargs="+")
    p.add_argument("--purge", action="store_true", help="delete permanently instead")
    p = _add(sessions, "restore", c.sessions_restore, "restore sessions from the trash", writes=True)
    p.add_argument("sessions", nargs="+")
    p = _add(sessions, "dup", c.sessions_dup, "duplicate a session with all its items", writes=True)
    p.add_argument("session")
    p.add_argument("--name")
    p = _add(sessions, "open", c.sessions_open, "open a session: show its items", writes=True)
    p.add_argument("session")
    p = _add(sessions, "mv", c.sessions_mv, "move sessions into a folder", writes=True)
    p.add_argument("sessions", nargs="+")
    p.add_argument("--folder", help="the folder (omit to move to the top level)")

    items = top.add_parser("items", help="list and manage items").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = _add(items, "ls", c.items_ls, "list a session's items, newest first", writes=False)
    p.add_argument("session")
    p.add_argument("--kind", help=KIND_HELP)
    p.add_argument("--trash", action="store_true", help="the session's trashed items")
    p.add_argument("--favorites", action="store_true")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--offset", type=int, default=0)
    p = _add(items, "show", c.items_show, "show an item and its full recipe", writes=False)
    p.add_argument("item")
    p = _add(items, "add", c.items_add, "add media files to a session", writes=True)
    p.add_argument("session")
    p.add_argument("files", nargs="+")
    p.add_argument("--kind", help="image, video, music or voiceover (audio defaults to music)")
    p.add_argument("--name")
    p.add_argument("--prompt", default="")
    p.add_argument("--settings", help="the recipe's settings as a JSON object")
    p.add_argument("--seed", type=int)
    p.add_argument("--parent", help="the item this one was made from (lineage)")
    p = _add(items, "export", c.items_export, "download items to a folder, recipe embedded",
             writes=False)
    p.add_argument("items", nargs="+")
    p.add_argument("--to", required=True, metavar="DIR")
    p.add_argument("--audio-format", choices=("mp3", "ogg"),
                   help="music and voiceovers as MP3 or Ogg instead of their stored WAV")
    p = _add(items, "rename", c.items_rename, "rename an item", writes=True)
    p.add_argument("item")
    p.add_argument("name")
    p = _add(items, "fav", c.items_fav, "mark items as favorites", writes=True)
    p.add_argument("items", nargs="+")
    p.add_argument("--off", action="store_true", help="remove the favorite mark")
    for name, func, help in (("mv", c.items_mv, "move items to another session"),
                             ("cp", c.items_cp, "copy items to another session")):
        p = _add(items, name, func, help, writes=True)
        p.add_argument("items", nargs="+")
        p.add_argument("--to", required=True, metavar="SESSION")
    p = _add(items, "rm", c.items_rm, "move items to the trash", writes=True)
    p.add_argument("items", nargs="+")
    p.add_argument("--purge", action="store_true", help="delete permanently instead")
    p = _add(items, "restore", c.items_restore, "restore items from the trash", writes=True)
    p.add_argument("items", nargs="+")

    p = _add(top, "search", c.search_cmd, "search session names, item names and prompts",
             writes=False)
    p.add_argument("text")
    p.add_argument("--session", help="only this session")
    p.add_argument("--kind", help=KIND_HELP)
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--rank", action="store_true", help="best matches first instead of newest")

    folders = top.add_parser("folders", help="organise sessions in folders").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    _add(folders, "ls", c.folders_ls, "list folders as a tree", writes=False)
    p = _add(folders, "new", c.folders_new, "create a folder", writes=True)
    p.add_argument("name")
    p.add_argument("--parent", help="inside this folder")
    p = _add(folders, "rename", c.folders_rename, "rename a folder", writes=True)
    p.add_argument("folder")
    p.add_argument("name")
    p = _add(folders, "mv", c.folders_mv, "move a folder into another (or to the top)", writes=True)
    p.add_argument("folder")
    p.add_argument("--parent", help="the new parent (omit for the top level)")
    p = _add(folders, "rm", c.folders_rm, "move a folder and its sessions to the trash", writes=True)
    p.add_argument("folder")
    p.add_argument("--purge", action="store_true", help="delete permanently instead")
    p = _add(folders, "restore", c.folders_restore, "restore a folder from the trash", writes=True)
    p.add_argument("folder")

    bundle = top.add_parser("bundle", help="export or import a session as one zip file").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = _add(bundle, "export", c.bundle_export, "export a session as a bundle (.zip)", writes=False)
    p.add_argument("session")
    p.add_argument("file")
    p = _add(bundle, "import", c.bundle_import, "import a bundle as a new session", writes=True)
    p.add_argument("file")
    p.add_argument("--name", help="name of the new session")

    trash = top.add_parser("trash", help="see or empty the trash").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    _add(trash, "ls", c.trash_ls, "list what is in the trash", writes=False)
    p = _add(trash, "empty", c.trash_empty, "delete what is in the trash permanently", writes=True)
    p.add_argument("--older-than-days", type=float, metavar="N",
                   help="only what went to the trash more than N days ago")
    _add(top, "gc", c.gc_cmd, "free disk space: delete stored files nothing refers to",
         writes=True)

    p = _add(top, "verify", c.verify_cmd, "re-hash every asset; report missing or damaged files",
             writes=False)
    _add(top, "undo", c.undo_cmd, "undo the last change to the library", writes=True)
    _add(top, "redo", c.redo_cmd, "redo the last undone change", writes=True)
    generate_commands.add_parsers(top, _add)
    watch_commands.add_parsers(top, _add)
    sync_commands.add_parsers(top, _add)
    artboard_commands.add_parsers(top, _add)
    agent_commands.add_parsers(top, _add)
    return parser


def all_commands(parser: argparse.ArgumentParser | None = None) -> list[str]:
    """Every command line, e.g. "sessions ls", for the README check."""
    parser = parser or build_parser()
    out: list[str] = []

    def walk(p: argparse.ArgumentParser, prefix: list[str]) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            out.append(" ".join(prefix))
            return
        for name, child in subs[0].choices.items():
            walk(child, [*prefix, name])
    walk(parser, [])
    return out
