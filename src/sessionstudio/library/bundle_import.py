"""Import: turn a session bundle zip (bundle_format.py) into a new session.

Importing treats the zip as hostile until proven otherwise: every member name, type and
size is checked, the manifest is validated, every media file is hashed (while it is
extracted, never trusting the declared size) and probed, and only then does anything
reach the library: the files into the store, then all rows in one transaction.
"""

import hashlib
import json
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ..core.changes import Changes
from ..core.errors import BundleError, InvalidInput, MediaError, StoreError, StudioError
from ..core.ids import now_ms, uuid7
from ..media import probe
from .bundle_format import (CHUNK, MANIFEST, MAX_MANIFEST_SIZE, MAX_MEMBER_SIZE, MAX_MEMBERS,
                            MAX_RATIO, MAX_TOTAL_SIZE, RATIO_MIN_SIZE, check_manifest, BundleMedia,
                            refuse)
from .journal import Tx
from .library import Library

_DRIVE = re.compile(r"^[A-Za-z]:")


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
        session, items, media = check_manifest(manifest, infos, label, name)
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
    thumbnailer = lib.thumbnailer
    if thumbnailer is not None:
        for it in items:
            try:
                thumbnailer.request(it["asset"], it["kind"])
            except RuntimeError:   # shutting down: the thumbnail is made on demand later
                break
    return changes


def _check_members(zf: zipfile.ZipFile, label: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refuse(label, None, f"has {len(infos):,} members (at most {MAX_MEMBERS:,} allowed)")
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        raw = info.orig_filename
        name = info.filename
        if "\x00" in raw:
            raise refuse(label, raw, "has a NUL character in its name")
        if "\\" in raw:
            raise refuse(label, raw, "has a backslash in its name (unsafe path)")
        if raw.startswith("/") or _DRIVE.match(raw):
            raise refuse(label, raw, "is an absolute path (unsafe)")
        if ".." in raw.split("/"):
            raise refuse(label, raw, "has '..' in its path (unsafe)")
        if not raw:
            raise refuse(label, raw, "has an empty name")
        # Unix mode in the high 16 bits; a type of 0 (e.g. zipfile.writestr, Windows
        # tools) means a plain file.
        ftype = stat.S_IFMT(info.external_attr >> 16)
        if ftype == stat.S_IFLNK:
            raise refuse(label, raw, "is a symbolic link")
        if info.flag_bits & 0x1:
            raise refuse(label, raw, "is encrypted")
        if name.endswith("/"):
            # A plain folder entry holds nothing and nothing is ever extracted by name:
            # harmless, as long as it really is an empty folder.
            if info.file_size or ftype not in (0, stat.S_IFDIR):
                raise refuse(label, raw, "is not a regular file")
        elif ftype not in (0, stat.S_IFREG):
            raise refuse(label, raw, "is not a regular file")
        if name in by_name:
            raise refuse(label, raw, "appears twice in the bundle")
        if info.file_size > MAX_MEMBER_SIZE:
            raise refuse(label, raw, f"is too big ({info.file_size:,} bytes; at most 8 GiB)")
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(label, raw, "is compressed more than 200:1 (a zip bomb?)")
        total += info.file_size
        if total > MAX_TOTAL_SIZE:
            raise refuse(label, raw, "brings the bundle over 64 GiB unpacked")
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
                    raise refuse(label, info.filename, "unpacks to more bytes than it declares")
                sink(chunk)
    except BundleError:
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, ValueError,
            RuntimeError) as exc:
        raise refuse(label, info.filename, f"cannot be read ({exc})") from None
    if n != info.file_size:
        raise refuse(label, info.filename, "is truncated")
    return n


def _read_manifest(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], label: str) -> Any:
    info = infos.get(MANIFEST)
    if info is None or info.is_dir():
        raise BundleError(f"{label} is not a Session Studio bundle (no {MANIFEST}); "
                          "nothing was imported.")
    if info.file_size > MAX_MANIFEST_SIZE:
        raise refuse(label, MANIFEST, "is too big")
    parts: list[bytes] = []
    _read_limited(zf, info, label, parts.append)
    try:
        return json.loads(b"".join(parts).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise refuse(label, MANIFEST, f"is not valid JSON ({exc})") from None


def _check_space(tmp_dir: Path, media: dict[str, BundleMedia]) -> None:
    need = 2 * sum(m.size for m in media.values()) + (64 << 20)  # temp copy + stored copy
    try:
        free = shutil.disk_usage(tmp_dir).free
    except OSError:
        return
    if free < need:
        raise StoreError(f"Not enough disk space to import this bundle ({need >> 20:,} MB needed, "
                         f"{free >> 20:,} MB free). Free some space and try again.")


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, m: BundleMedia, tmp_dir: Path,
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
        raise refuse(label, m.member, "does not match its SHA-256 in the manifest (damaged or altered)")
    return target


def _safe_suffix(member: str) -> bool:
    return re.fullmatch(r"\.[A-Za-z0-9]{1,8}", Path(member).suffix or "") is not None


def _probe(m: BundleMedia, label: str) -> None:
    try:
        info = probe(m.tmp_path)
    except (MediaError, OSError, InvalidInput) as exc:
        raise refuse(label, m.member, f"is not a readable media file ({exc})") from None
    wrong = sorted(m.kinds - {info.kind})  # every item using the file must agree
    if wrong:
        raise refuse(label, m.member, f"is {info.kind}, not {' or '.join(wrong)} "
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
