"""The two ends of a job that touch the library: building the engine's request (input
files linked into the job's scratch dir with their real extensions) and turning the
engine's output files into items with their full recipe, atomically with the job's end."""

import os
import shutil
from dataclasses import asdict
from pathlib import Path

from ..core.errors import NotFound, StudioError
from ..core.models import Item
from ..engines.protocol import InputFile, Request
from ..library.item_queries import get_item
from ..library.item_add import InputRef, add_items, prepare_item
from ..library.library import Library
from ..library.naming import name_from_prompt
from ..media.info import MIME_BY_KIND
from .plan import SOURCE_KIND
from .queue import Job, mark_job_done


def input_file(lib: Library, role: str, item: Item) -> InputFile:
    return InputFile(role=role, path=lib.store.path(item.asset_hash), kind=item.kind,
                     asset_hash=item.asset_hash, item_id=item.id, name=item.name,
                     prompt=item.prompt, recipe=item.recipe())


def _from_ref(lib: Library, ref: dict) -> InputFile:
    """An input by item when it still exists, else by asset hash (Recreate after delete)."""
    item = None
    if ref.get("item"):
        try:
            item = get_item(lib, ref["item"])
        except NotFound:
            item = None
    if item is not None:
        return input_file(lib, ref["role"], item)
    asset = ref.get("asset")
    if not asset or not lib.store.has(asset):
        raise StudioError(f"An input of this job ({ref['role']}) is no longer in the library.")
    from ..media import probe
    info = probe(lib.store.path(asset))
    kind = {"image": "image", "video": "video"}.get(info.kind, "music")
    return InputFile(role=ref["role"], path=lib.store.path(asset), kind=kind, asset_hash=asset)


def build_request(lib: Library, job: Job, scratch: Path) -> Request:
    refs = list(job.inputs)
    if job.source_item_id and not any(r["role"] == "source" for r in refs):
        refs.insert(0, {"role": "source", "item": job.source_item_id})
    files = [_from_ref(lib, r) for r in refs]
    params = dict(job.params)
    for ref, f in zip(refs, files):
        if ref.get("param"):
            params[ref["param"]] = f.item_id or f.asset_hash
    inputs_dir = scratch / "inputs"
    inputs_dir.mkdir(parents=True, exist_ok=True)
    for n, f in enumerate(files):
        f.path = _link(f.path, inputs_dir / f"{n}-{f.role}{_extension(f.path)}")
    source = next((f for f in files if f.role == "source"), None)
    return Request(kind=job.kind, action=job.action, prompt=job.prompt, params=params,
                   seed=job.seed or 0, source=source,
                   extras=[f for f in files if f.role != "source"])


_EXTENSION_BY_MIME = {mime: f".{ext}" for table in MIME_BY_KIND.values()
                      for ext, mime in table.items()}


def _extension(path: Path) -> str:
    from ..media import probe
    try:
        return _EXTENSION_BY_MIME.get(probe(path).mime, "")
    except StudioError:
        return ""


def _link(src: Path, dest: Path) -> Path:
    # Engines and codecs guess formats from extensions; assets have none. A symlink costs
    # nothing; where links are not allowed (some Windows setups) the file is copied.
    try:
        os.symlink(src, dest)
    except OSError:
        shutil.copyfile(src, dest)
    return dest


def request_to_dict(req: Request) -> dict:
    return asdict(req)


def import_outputs(lib: Library, job: Job, outputs: list[dict]) -> list[str]:
    """Each output becomes an item with its recipe. Their files are stored first; then all
    the items and the job's "done" land in one transaction, so a crash never leaves a done
    job without its items, or some items of a job that still says running and would be
    retried into duplicates."""
    if not outputs:
        raise StudioError("The engine finished without making anything.")
    made = []
    base = [InputRef(r["role"], r.get("asset"), r.get("item")) for r in job.inputs]
    if job.source_item_id and not any(r.role == "source" for r in base):
        src = get_item(lib, job.source_item_id)
        base.insert(0, InputRef("source", src.asset_hash, src.id))
    for out in outputs:
        refs = list(base)
        for role, frame in out.get("frames", []):
            digest, _ = lib.store.put_file(frame)
            refs.append(InputRef(role, digest, None))
        settings = {**job.params, **out.get("settings", {}), SOURCE_KIND: job.kind}
        made.append(prepare_item(
            lib, session_id=job.session_id, source=Path(out["path"]), kind=out["kind"],
            name=out.get("name") or name_from_prompt(out.get("prompt") or job.prompt) or None,
            prompt=out.get("prompt") or job.prompt,
            settings=settings, engine=job.engine, action=job.action, seed=job.seed,
            parent_id=job.source_item_id, inputs=refs))
    ids = [new.id for new in made]
    add_items(lib, made, label=job.title, within=lambda tx: mark_job_done(tx, job.id, ids))
    return ids
