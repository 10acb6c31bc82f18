"""Adding items from files or bytes: probe the media and store its bytes first (outside
any transaction, content-addressed), then record the items in one transaction.

    add_item(lib, session_id=s, source="fox.png", prompt="a red fox")
    add_items(lib, [prepare_item(lib, ...), prepare_item(lib, ...)], label="Generate")

The asset is written first so an item never points at a file that is not there; an asset
whose item was never written (a crash between the two) is only unreferenced, and
`collect_garbage` removes it."""

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.changes import Changes
from ..core.errors import InvalidInput, MediaError
from ..core.ids import now_ms, uuid7
from ..core.models import AUDIO_KINDS, INPUT_ROLES, KINDS
from .journal import Tx
from .library import Library
from .naming import name_from_prompt
from .recipe_import import file_recipe
from .sessions import _clean_name


@dataclass
class InputRef:
    """A reference image, start/end frame or source audio of a generated item."""
    role: str
    asset_hash: str | None = None
    source_item_id: str | None = None


@dataclass
class NewItem:
    """An item whose file is stored and whose row is ready to insert."""
    row: dict[str, Any]
    inputs: list[InputRef] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.row["id"]


def _kind_for(info_kind: str, wanted: str | None, path_name: str) -> str:
    if wanted is not None and wanted not in KINDS:
        raise InvalidInput(f"Unknown kind '{wanted}': use one of {', '.join(KINDS)}.")
    if info_kind == "audio":
        if wanted is None:
            return "music"
        if wanted in AUDIO_KINDS:
            return wanted
    elif wanted is None or wanted == info_kind:
        return info_kind
    raise InvalidInput(f"{path_name} is {'an' if info_kind[0] in 'aeiou' else 'a'} {info_kind} "
                       f"file, not {wanted}.")


def prepare_item(lib: Library, *, session_id: str, source: str | Path | bytes,
                 kind: str | None = None, name: str | None = None, prompt: str = "",
                 settings: dict[str, Any] | None = None, engine: str = "import",
                 action: str = "import", seed: int | None = None, parent_id: str | None = None,
                 inputs: list[InputRef] = (), filename: str | None = None) -> NewItem:
    """Probe the media and store its bytes; nothing is written to the catalog yet."""
    for ref in inputs:
        if ref.role not in INPUT_ROLES:
            raise InvalidInput(f"Unknown input role '{ref.role}': use one of {', '.join(INPUT_ROLES)}.")
    if isinstance(source, (bytes, bytearray)):
        lib.paths.tmp_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=lib.paths.tmp_dir, delete=False,
                                         suffix=".incoming") as tmp:
            tmp.write(source)
        path = Path(tmp.name)
        file_label = filename or "data"
    else:
        path = Path(source)
        file_label = path.name
        if not path.is_file():
            raise MediaError(f"{path}: no such file")
    from ..media import probe  # Pillow/PyAV load only when media is actually added

    try:
        info = probe(path)
        # An import with no recipe given takes the one the file carries: another tool's
        # prompt and settings, or a Session Studio download's full recipe (recipe_import.py).
        found = (file_recipe(path, info.kind)
                 if engine == "import" and not prompt and settings is None else None)
        if found is not None:
            prompt, settings, engine = found.prompt, found.settings, found.engine
            action = found.action or action
            seed = found.seed if seed is None else seed
            name = found.name if name is None else name
            kind = kind or found.kind
        item_kind = _kind_for(info.kind, kind, file_label)
        digest, size = lib.store.put_file(path)
    finally:
        if isinstance(source, (bytes, bytearray)):
            path.unlink(missing_ok=True)
    if name is None:
        stem = Path(filename or file_label).stem if not isinstance(source, (bytes, bytearray)) or filename else ""
        name = stem or name_from_prompt(prompt) or item_kind.capitalize()
    now = now_ms()
    return NewItem({
        "id": uuid7(), "session_id": session_id, "kind": item_kind, "name": _clean_name(name),
        "prompt": prompt or "", "settings": json.dumps(settings or {}, sort_keys=True),
        "engine": engine, "action": action, "seed": seed, "parent_id": parent_id,
        "asset_hash": digest, "mime": info.mime, "size": size, "width": info.width,
        "height": info.height, "duration_ms": info.duration_ms, "favorite": 0,
        "created_at": now, "updated_at": now,
    }, list(inputs))


def insert_item(tx: Tx, new: NewItem) -> None:
    """Record a prepared item in its session (inside a write)."""
    row, session_id = new.row, new.row["session_id"]
    session = tx.row("sessions", session_id)
    if session["trashed_at"] is not None:
        raise InvalidInput(f"The session '{session['name']}' is in the trash; restore it first.")
    if row["prompt"] and session["auto_named"] and tx.conn.execute(
            "SELECT 1 FROM items WHERE session_id = ? AND prompt != '' LIMIT 1",
            [session_id]).fetchone() is None:
        # The first prompt names an auto-named session, as chat apps do.
        tx.update("sessions", session_id, name=name_from_prompt(row["prompt"]) or session["name"])
    tx.insert("items", row)
    for pos, ref in enumerate(new.inputs):
        tx.insert("item_inputs", {"id": uuid7(), "item_id": row["id"], "role": ref.role,
                                  "asset_hash": ref.asset_hash,
                                  "source_item_id": ref.source_item_id, "position": pos})
    tx.update("sessions", session_id, updated_at=row["updated_at"])


def add_items(lib: Library, new_items: list[NewItem], *, label: str,
              within: Callable[[Tx], None] | None = None) -> Changes:
    """Record prepared items in one transaction: all of them or none. `within` runs in
    the same transaction (a job that made them is marked done with them)."""
    def op(tx: Tx) -> None:
        for new in new_items:
            insert_item(tx, new)
        if within is not None:
            within(tx)
    changes = lib.write(label, op)
    thumbnailer = lib.thumbnailer     # once: a closing window may swap it meanwhile
    if thumbnailer is not None:
        for new in new_items:
            try:
                thumbnailer.request(new.row["asset_hash"], new.row["kind"])
            except RuntimeError:   # shutting down: the thumbnail is made on demand later
                break
    return changes


def add_item(lib: Library, *, session_id: str, source: str | Path | bytes,
             kind: str | None = None, name: str | None = None, prompt: str = "",
             settings: dict[str, Any] | None = None, engine: str = "import",
             action: str = "import", seed: int | None = None, parent_id: str | None = None,
             inputs: list[InputRef] = (), filename: str | None = None,
             label: str | None = None, within: Callable[[Tx], None] | None = None) -> Changes:
    """Store the file and record the item with its recipe; its id is `created[0]`."""
    new = prepare_item(lib, session_id=session_id, source=source, kind=kind, name=name,
                       prompt=prompt, settings=settings, engine=engine, action=action,
                       seed=seed, parent_id=parent_id, inputs=inputs, filename=filename)
    return add_items(lib, [new], label=label or f"Add {new.row['kind']}", within=within)
