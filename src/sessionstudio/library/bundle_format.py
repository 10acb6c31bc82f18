"""The session bundle format: one zip holding a session's items, their files and recipes.

Layout:
    manifest.json             the session and every item's fields (see bundle_export.py)
    media/<sha256>.<ext>      each distinct file once: item files and input files
    recipes/<item id>.json    each item's recipe, for people and other tools

Shared by the writer (bundle_export.py) and the reader (bundle_import.py): the format's
name and version, the limits an import accepts, and the validation of a manifest read
back, which trusts nothing in it (see bundle_import.py).
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import BundleError
from ..core.models import INPUT_ROLES, KINDS

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

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
MEDIA_KIND = {"image": "image", "video": "video", "music": "audio", "voiceover": "audio"}


@dataclass
class BundleMedia:
    member: str
    asset: str
    size: int
    kinds: set[str]        # media kinds the items using it expect ("image", "video", "audio")
    tmp_path: Path | None = None


def refuse(label: str, member: str | None, reason: str) -> BundleError:
    where = f"{label}: {member!r}" if member is not None else label
    return BundleError(f"{where} {reason}; nothing was imported.")


def check_manifest(manifest: Any, infos: dict[str, zipfile.ZipInfo], label: str,
                    name: str | None) -> tuple[dict, list[dict], dict[str, BundleMedia]]:
    """Validate the manifest; return the session row, item rows (old ids) and media."""
    m = MANIFEST

    def bad(reason: str) -> BundleError:
        return refuse(label, m, reason)

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

    media: dict[str, BundleMedia] = {}
    files: dict[str, str] = {}  # member -> asset

    def add_media(asset: Any, file: Any, where: str, kind: str | None) -> None:
        if not isinstance(asset, str) or not SHA256_HEX.fullmatch(asset):
            raise bad(f"{where}: {asset!r} is not a SHA-256 hash")
        if not isinstance(file, str) or not file.startswith("media/"):
            raise bad(f"{where}: {file!r} is not a media/ file")
        info = infos.get(file)
        if info is None or info.is_dir():
            raise refuse(label, file, f"is named in the manifest ({where}) but is not in the bundle")
        if files.setdefault(file, asset) != asset:
            raise refuse(label, file, "is listed with two different hashes")
        entry = media.get(asset)
        if entry is None:
            entry = media[asset] = BundleMedia(member=file, asset=asset, size=info.file_size, kinds=set())
        if kind is not None:
            entry.kinds.add(MEDIA_KIND[kind])

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
            raise refuse(label, it["file"], f"is {infos[it['file']].file_size:,} bytes but the "
                                              f"manifest says {row['size']:,}")
        inputs = it.get("inputs", [])
        if not isinstance(inputs, list):
            raise bad(f"{where} has inputs that are not a list")
        row["inputs"] = []
        for k, inp in enumerate(inputs):
            if not isinstance(inp, dict) or inp.get("role") not in INPUT_ROLES:
                raise bad(f"{where} input {k + 1} has an unknown role")
            asset, src, pos = inp.get("asset"), inp.get("source_item_id"), inp.get("position", k)
            if asset is not None and (not isinstance(asset, str) or not SHA256_HEX.fullmatch(asset)):
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
