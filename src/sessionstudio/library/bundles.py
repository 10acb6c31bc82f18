"""Session bundles: one zip holding a session's items, their files and recipes.

Layout:
    manifest.json             the session and every item's fields (see export_bundle)
    media/<sha256>.<ext>      each distinct file once: item files and input files
    recipes/<item id>.json    each item's recipe, for people and other tools

Importing treats the zip as hostile until proven otherwise: every member name, type and
size is checked, the manifest is validated, every media file is hashed (while it is
extracted, never trusting the declared size) and probed, and only then does anything
reach the library: the files into the store, then all rows in one transaction.
"""

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.changes import Changes
from ..core.errors import BundleError, InvalidInput, MediaError, StoreError, StudioError
from ..core.ids import now_ms, uuid7
from ..core.models import INPUT_ROLES, KINDS, Item, ItemInput
from ..media import probe
from .export import ext_for_mime, missing_asset_error
from .journal import Tx
from .library import Library
from .naming import safe_filename, unique_path
from .sessions import get_session

FORMAT = "sessionstudio-bundle"
VERSION = 1
MANIFEST = "manifest.json"

MAX_MEMBERS = 100_000
MAX_MEMBER_SIZE = 8 << 30
MAX_TOTAL_SIZE = 64 << 30
MAX_RATIO = 200
RATIO_MIN_SIZE = 1 << 20
MAX_MANIFEST_SIZE = 256 << 20
CHUNK = 1 << 20

_SHA256 = re.compile(r"[0-9a-f]{64}")
_DRIVE = re.compile(r"^[A-Za-z]:")
_MEDIA_KIND = {"image": "image", "video": "video", "music": "audio", "voiceover": "audio"}
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


# --- export -----------------------------------------------------------------------------

def export_bundle(lib: Library, *, session_id: str, dest: str | Path) -> Path:
    """Write the session's live (non-trashed) items to a zip at dest; returns its path.

    If dest is an existing folder the zip is named after the session inside it."""
    session = get_session(lib, session_id)
    items = _session_items(lib, session_id)
    dest = Path(dest)
    if dest.is_dir():
        dest = unique_path(dest, safe_filename(session.name, "zip"))
    for item in items:
        if not lib.store.has(item.asset_hash):
            raise missing_asset_error(item)

    media: dict[str, dict[str, Any]] = {}  # asset -> {"file", "mime", "size"}
    for item in items:
        if item.asset_hash not in media:
            media[item.asset_hash] = {"file": f"media/{item.asset_hash}.{ext_for_mime(item.mime)}",
                                      "mime": item.mime,
                                      "size": lib.store.path(item.asset_hash).stat().st_size}
    for item in items:
        for inp in item.inputs:
            h = inp.asset_hash
            if h and h not in media and _SHA256.fullmatch(h) and lib.store.has(h):
                entry = _input_media(lib, h)
                if entry is not None:
                    media[h] = entry

    manifest = {
        "format": FORMAT, "version": VERSION, "exported_at": now_ms(),
        "session": {"name": session.name, "created_at": session.created_at,
                    "settings": session.settings},
        "items": [_manifest_item(item, media) for item in items],
        "media": [{"asset": h, **m} for h, m in media.items()],
    }

    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".ss-", suffix=".partial")
    except OSError as exc:
        raise StudioError(f"Cannot write {dest}: {exc.strerror or exc}.") from exc
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                _write_bytes(zf, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
                for item in items:
                    _write_bytes(zf, f"recipes/{item.id}.json",
                                 json.dumps(item.recipe(), ensure_ascii=False, indent=2))
                for h, m in media.items():
                    _write_file(zf, m["file"], lib.store.path(h), m["size"])
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StudioError(f"Could not write the bundle {dest}: {exc.strerror or exc}.") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def _session_items(lib: Library, session_id: str) -> list[Item]:
    with lib.reading() as conn:
        rows = conn.execute("SELECT * FROM items WHERE session_id = ? AND trashed_at IS NULL "
                            "ORDER BY created_at, id", [session_id]).fetchall()
        inputs = conn.execute("SELECT ii.* FROM item_inputs ii JOIN items i ON i.id = "
                              "ii.item_id WHERE i.session_id = ? AND i.trashed_at IS NULL "
                              "ORDER BY ii.item_id, ii.position", [session_id]).fetchall()
    items = [Item.from_row(r) for r in rows]
    by_id = {i.id: i for i in items}
    for r in inputs:
        by_id[r["item_id"]].inputs.append(
            ItemInput(r["role"], r["asset_hash"], r["source_item_id"], r["position"]))
    return items


def _input_media(lib: Library, h: str) -> dict[str, Any] | None:
    """An input file (reference image, mask...) to carry along; None if it is not media
    the importer could accept."""
    path = lib.store.path(h)
    try:
        info = probe(path)
    except (MediaError, OSError):
        return None
    return {"file": f"media/{h}.{ext_for_mime(info.mime)}", "mime": info.mime,
            "size": path.stat().st_size}


def _manifest_item(item: Item, media: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": item.id, "kind": item.kind, "name": item.name, "prompt": item.prompt,
        "settings": item.settings, "engine": item.engine, "action": item.action,
        "seed": item.seed, "parent_id": item.parent_id, "asset": item.asset_hash,
        "file": media[item.asset_hash]["file"], "mime": item.mime, "size": item.size,
        "width": item.width, "height": item.height, "duration_ms": item.duration_ms,
        "favorite": item.favorite, "created_at": item.created_at,
        "inputs": [{"role": i.role, "asset": i.asset_hash, "source_item_id": i.source_item_id,
                    "position": i.position} for i in item.inputs],
    }


def _zinfo(name: str, compress: int) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    zi.compress_type = compress
    zi.external_attr = (stat.S_IFREG | 0o644) << 16
    return zi


def _write_bytes(zf: zipfile.ZipFile, name: str, text: str) -> None:
    zf.writestr(_zinfo(name, zipfile.ZIP_DEFLATED), text.encode("utf-8"))


def _write_file(zf: zipfile.ZipFile, name: str, path: Path, size: int) -> None:
    # Media are stored, not deflated: images, video and compressed audio do not shrink,
    # and deflating WAV (little gain on real audio) could make near-silent files look like
    # zip bombs (> 200:1) to the importer.
    zi = _zinfo(name, zipfile.ZIP_STORED)
    zi.file_size = size  # lets zipfile choose zip64 up front for big files
    with open(path, "rb") as src, zf.open(zi, "w", force_zip64=size > (2 << 30)) as out:
        shutil.copyfileobj(src, out, CHUNK)


# --- import -----------------------------------------------------------------------------

@dataclass
class _Media:
    member: str
    asset: str
    size: int
    kinds: set[str]        # media kinds the items using it expect ("image", "video", "audio")
    tmp_path: Path | None = None


def import_bundle(lib: Library, *, path: str | Path, name: str | None = None) -> Changes:
    """Import a bundle as a new session (new ids; lineage inside the bundle remapped).

    Everything is validated before anything is written; on refusal (BundleError naming
    the member and why) the library is unchanged."""
    if lib.readonly:  # checked first: files would otherwise reach the store
        raise StudioError("This library was opened read-only.")
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise BundleError(f"{label} is not a Session Studio bundle (no such file).")
    try:
        zf = zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise BundleError(f"{label} is not a Session Studio bundle (not a zip file)") from None
    with zf:
        infos = _check_members(zf, label)
        manifest = _read_manifest(zf, infos, label)
        session, items, media = _check_manifest(manifest, infos, label, name)
        lib.paths.tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp_dir = Path(tempfile.mkdtemp(prefix="bundle-", dir=lib.paths.tmp_dir))
        try:
            _check_space(tmp_dir, media)
            for m in media.values():
                m.tmp_path = _extract(zf, infos[m.member], m, tmp_dir, label)
                _probe(m, label)
            # Every check passed: only now is the library written, files first.
            for m in media.values():
                digest, _ = lib.store.put_file(m.tmp_path)
                if digest != m.asset:  # the temp file changed under us
                    raise BundleError(f"{label}: {m.member} changed while it was being imported.")
            changes = lib.write("Import bundle", lambda tx: _insert(tx, session, items))
        finally:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    if lib.thumbnailer is not None:
        for it in items:
            lib.thumbnailer.request(it["asset"], it["kind"])
    return changes


def _refuse(label: str, member: str | None, reason: str) -> BundleError:
    where = f"{label}: {member!r}" if member is not None else label
    return BundleError(f"{where} {reason}; nothing was imported.")


def _check_members(zf: zipfile.ZipFile, label: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(label, None, f"has {len(infos):,} members (at most {MAX_MEMBERS:,} allowed)")
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        raw = info.orig_filename
        name = info.filename
        if "\x00" in raw:
            raise _refuse(label, raw, "has a NUL character in its name")
        if "\\" in raw:
            raise _refuse(label, raw, "has a backslash in its name (unsafe path)")
        if raw.startswith("/") or _DRIVE.match(raw):
            raise _refuse(label, raw, "is an absolute path (unsafe)")
        if ".." in raw.split("/"):
            raise _refuse(label, raw, "has '..' in its path (unsafe)")
        if not raw:
            raise _refuse(label, raw, "has an empty name")
        # Unix mode in the high 16 bits; a type of 0 (e.g. zipfile.writestr, Windows
        # tools) means a plain file.
        ftype = stat.S_IFMT(info.external_attr >> 16)
        if ftype == stat.S_IFLNK:
            raise _refuse(label, raw, "is a symbolic link")
        if info.flag_bits & 0x1:
            raise _refuse(label, raw, "is encrypted")
        if name.endswith("/"):
            # A plain folder entry holds nothing and nothing is ever extracted by name:
            # harmless, as long as it really is an empty folder.
            if info.file_size or ftype not in (0, stat.S_IFDIR):
                raise _refuse(label, raw, "is not a regular file")
        elif ftype not in (0, stat.S_IFREG):
            raise _refuse(label, raw, "is not a regular file")
        if name in by_name:
            raise _refuse(label, raw, "appears twice in the bundle")
        if info.file_size > MAX_MEMBER_SIZE:
            raise _refuse(label, raw, f"is too big ({info.file_size:,} bytes; at most 8 GiB)")
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(label, raw, "is compressed more than 200:1 (a zip bomb?)")
        total += info.file_size
        if total > MAX_TOTAL_SIZE:
            raise _refuse(label, raw, "brings the bundle over 64 GiB unpacked")
        by_name[name] = info
    return by_name


def _read_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, sink) -> int:
    """Stream a member to sink(chunk), refusing more bytes than declared."""
    n = 0
    try:
        with zf.open(info) as src:
            while chunk := src.read(CHUNK):
                n += len(chunk)
                if n > info.file_size:
                    raise _refuse(label, info.filename, "unpacks to more bytes than it declares")
                sink(chunk)
    except BundleError:
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, ValueError,
            RuntimeError) as exc:
        raise _refuse(label, info.filename, f"cannot be read ({exc})") from None
    if n != info.file_size:
        raise _refuse(label, info.filename, "is truncated")
    return n


def _read_manifest(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], label: str) -> Any:
    info = infos.get(MANIFEST)
    if info is None or info.is_dir():
        raise BundleError(f"{label} is not a Session Studio bundle (no {MANIFEST}); "
                          "nothing was imported.")
    if info.file_size > MAX_MANIFEST_SIZE:
        raise _refuse(label, MANIFEST, "is too big")
    parts: list[bytes] = []
    _read_limited(zf, info, label, parts.append)
    try:
        return json.loads(b"".join(parts).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(label, MANIFEST, f"is not valid JSON ({exc})") from None


def _check_manifest(manifest: Any, infos: dict[str, zipfile.ZipInfo], label: str,
                    name: str | None) -> tuple[dict, list[dict], dict[str, _Media]]:
    """Validate the manifest; return the session row, item rows (old ids) and media."""
    m = MANIFEST

    def bad(reason: str) -> BundleError:
        return _refuse(label, m, reason)

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise bad(f"is not a {FORMAT} manifest")
    if manifest.get("version") != VERSION:
        raise bad(f"has version {manifest.get('version')!r}; this Session Studio reads version "
                  f"{VERSION} (update the app to import it)")
    session = manifest.get("session")
    items = manifest.get("items")
    if not isinstance(session, dict) or not isinstance(items, list):
        raise bad("lacks the session or its items")
    if len(items) > MAX_MEMBERS:
        raise bad("lists too many items")
    s_name = name if name is not None else session.get("name")
    if not isinstance(s_name, str) or not s_name.strip():
        s_name = "Imported session"
    s_name = s_name.strip()[:200]
    s_settings = session.get("settings", {})
    if not isinstance(s_settings, dict):
        raise bad("has session settings that are not an object")
    session_row = {"name": s_name, "settings": s_settings}

    media: dict[str, _Media] = {}
    files: dict[str, str] = {}  # member -> asset

    def add_media(asset: Any, file: Any, where: str, kind: str | None) -> None:
        if not isinstance(asset, str) or not _SHA256.fullmatch(asset):
            raise bad(f"{where}: {asset!r} is not a SHA-256 hash")
        if not isinstance(file, str) or not file.startswith("media/"):
            raise bad(f"{where}: {file!r} is not a media/ file")
        info = infos.get(file)
        if info is None or info.is_dir():
            raise _refuse(label, file, f"is named in the manifest ({where}) but is not in the bundle")
        if files.setdefault(file, asset) != asset:
            raise _refuse(label, file, "is listed with two different hashes")
        entry = media.get(asset)
        if entry is None:
            entry = media[asset] = _Media(member=file, asset=asset, size=info.file_size, kinds=set())
        if kind is not None:
            entry.kinds.add(_MEDIA_KIND[kind])

    rows: list[dict] = []
    seen_ids: set[str] = set()
    for n, it in enumerate(items):
        where = f"item {n + 1}"
        if not isinstance(it, dict):
            raise bad(f"{where} is not an object")
        iid = it.get("id")
        if not isinstance(iid, str) or not iid or iid in seen_ids:
            raise bad(f"{where} has a missing or repeated id")
        seen_ids.add(iid)
        kind = it.get("kind")
        if kind not in KINDS:
            raise bad(f"{where} has an unknown kind {kind!r}")
        row = {"old_id": iid, "kind": kind, "asset": it.get("asset")}
        for key, types, default in (
                ("name", str, ""), ("prompt", str, ""), ("engine", str, ""), ("action", str, ""),
                ("mime", str, ""), ("settings", dict, {}), ("parent_id", (str, type(None)), None),
                ("seed", (int, type(None)), None), ("size", int, 0),
                ("width", (int, type(None)), None), ("height", (int, type(None)), None),
                ("duration_ms", (int, type(None)), None), ("favorite", (bool, int), False),
                ("created_at", int, None)):
            value = it.get(key, default)
            if not isinstance(value, types) or (isinstance(value, bool) and key not in ("favorite",)):
                raise bad(f"{where} has an invalid {key!r}")
            row[key] = value
        if len(row["name"]) > 200:
            row["name"] = row["name"][:200]
        row["name"] = row["name"].strip() or kind.capitalize()
        add_media(it.get("asset"), it.get("file"), where, kind)
        if infos[it["file"]].file_size != row["size"]:
            raise _refuse(label, it["file"], f"is {infos[it['file']].file_size:,} bytes but the "
                                              f"manifest says {row['size']:,}")
        inputs = it.get("inputs", [])
        if not isinstance(inputs, list):
            raise bad(f"{where} has inputs that are not a list")
        row["inputs"] = []
        for k, inp in enumerate(inputs):
            if not isinstance(inp, dict) or inp.get("role") not in INPUT_ROLES:
                raise bad(f"{where} input {k + 1} has an unknown role")
            asset, src, pos = inp.get("asset"), inp.get("source_item_id"), inp.get("position", k)
            if asset is not None and (not isinstance(asset, str) or not _SHA256.fullmatch(asset)):
                raise bad(f"{where} input {k + 1} has an invalid asset hash")
            if not isinstance(src, (str, type(None))) or not isinstance(pos, int) or isinstance(pos, bool):
                raise bad(f"{where} input {k + 1} is malformed")
            row["inputs"].append({"role": inp["role"], "asset_hash": asset,
                                  "source_item_id": src, "position": pos})
        rows.append(row)

    extra = manifest.get("media", [])
    if not isinstance(extra, list):
        raise bad("has a media list that is not a list")
    for n, entry in enumerate(extra):
        if not isinstance(entry, dict):
            raise bad(f"media {n + 1} is not an object")
        add_media(entry.get("asset"), entry.get("file"), f"media {n + 1}", None)
    return session_row, rows, media


def _check_space(tmp_dir: Path, media: dict[str, _Media]) -> None:
    need = 2 * sum(m.size for m in media.values()) + (64 << 20)  # temp copy + stored copy
    try:
        free = shutil.disk_usage(tmp_dir).free
    except OSError:
        return
    if free < need:
        raise StoreError(f"Not enough disk space to import this bundle ({need >> 20:,} MB needed, "
                         f"{free >> 20:,} MB free). Free some space and try again.")


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, m: _Media, tmp_dir: Path,
             label: str) -> Path:
    digest = hashlib.sha256()
    # Named by hash (validated hex), never by the member name.
    target = tmp_dir / f"{m.asset}{Path(m.member).suffix[:16] if _safe_suffix(m.member) else ''}"
    try:
        with open(target, "wb") as out:
            def sink(chunk: bytes) -> None:
                digest.update(chunk)
                out.write(chunk)
            _read_limited(zf, info, label, sink)
    except OSError as exc:
        raise StoreError(f"Could not unpack {m.member} from {label}: {exc.strerror or exc}.") from exc
    if digest.hexdigest() != m.asset:
        raise _refuse(label, m.member, "does not match its SHA-256 in the manifest (damaged or altered)")
    return target


def _safe_suffix(member: str) -> bool:
    return re.fullmatch(r"\.[A-Za-z0-9]{1,8}", Path(member).suffix or "") is not None


def _probe(m: _Media, label: str) -> None:
    try:
        info = probe(m.tmp_path)
    except (MediaError, OSError, InvalidInput) as exc:
        raise _refuse(label, m.member, f"is not a readable media file ({exc})") from None
    wrong = sorted(m.kinds - {info.kind})  # every item using the file must agree
    if wrong:
        raise _refuse(label, m.member, f"is {info.kind}, not {' or '.join(wrong)} "
                                       "as the manifest says")


def _insert(tx: Tx, session: dict, items: list[dict]) -> None:
    now = now_ms()
    session_id = tx.insert("sessions", {
        "id": uuid7(), "name": session["name"], "auto_named": 0, "folder_id": None,
        "created_at": now, "updated_at": now,
        "settings": json.dumps(session["settings"], sort_keys=True)})
    new_ids = {it["old_id"]: uuid7() for it in items}  # manifest order: ids sort the same way
    for it in items:
        parent = it["parent_id"]
        tx.insert("items", {
            "id": new_ids[it["old_id"]], "session_id": session_id, "kind": it["kind"],
            "name": it["name"], "prompt": it["prompt"],
            "settings": json.dumps(it["settings"], sort_keys=True), "engine": it["engine"],
            "action": it["action"], "seed": it["seed"], "parent_id": new_ids.get(parent, parent),
            "asset_hash": it["asset"], "mime": it["mime"], "size": it["size"],
            "width": it["width"], "height": it["height"], "duration_ms": it["duration_ms"],
            "favorite": int(bool(it["favorite"])), "created_at": it["created_at"],
            "updated_at": now})
        for inp in it["inputs"]:
            src = inp["source_item_id"]
            tx.insert("item_inputs", {
                "id": uuid7(), "item_id": new_ids[it["old_id"]], "role": inp["role"],
                "asset_hash": inp["asset_hash"], "source_item_id": new_ids.get(src, src),
                "position": inp["position"]})
