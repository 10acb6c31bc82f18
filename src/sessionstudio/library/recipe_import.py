"""What an imported file says about how it was made: add_item's recipe fill-in.

A file generated elsewhere (A1111, Forge, ComfyUI, InvokeAI, SwarmUI, Fooocus) gets
its prompt, seed and settings from its metadata, with the tool as the engine and the
raw blocks kept under settings["raw"]. A file downloaded from Session Studio carries
our own recipe and gets it back whole: name, kind, prompt, settings, engine, action,
seed. Inputs and parent are not restored: they name assets and items of the library
the file came from, which this one may not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.models import AUDIO_KINDS, KINDS

# SQLite integers are signed 64-bit; ComfyUI seeds go up to 2**64 - 1. A seed that
# does not fit stays in settings["seed"] only.
_SEED_RANGE = range(-(2**63), 2**63)
# Raw blocks are kept for the record (a ComfyUI workflow can be loaded again), within
# limits: every item's settings are read with it, and a catalog is not a file store.
MAX_RAW_BLOCK = 1 << 20
MAX_RAW_TOTAL = 2 << 20


@dataclass
class FileRecipe:
    prompt: str
    settings: dict[str, Any]
    engine: str
    action: str | None = None  # None: keep the caller's
    seed: int | None = None
    name: str | None = None
    kind: str | None = None


def _seed(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value in _SEED_RANGE else None


def _str(value: Any, default: str | None) -> str | None:
    return value if isinstance(value, str) else default


def _kind(value: Any, media_kind: str) -> str | None:
    """The recipe's kind if it fits the file (music and voiceover are both audio)."""
    if value not in KINDS:
        return None
    fits = value in AUDIO_KINDS if media_kind == "audio" else value == media_kind
    return value if fits else None


def _ours(data: dict[str, Any], media_kind: str) -> FileRecipe:
    settings = data.get("settings")
    return FileRecipe(prompt=_str(data.get("prompt"), ""), engine=_str(data.get("engine"), "import"),
                      settings=settings if isinstance(settings, dict) else {},
                      action=_str(data.get("action"), None), seed=_seed(data.get("seed")),
                      name=_str(data.get("name"), None) or None, kind=_kind(data.get("kind"), media_kind))


def _raw(blocks: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    kept, dropped, total = {}, [], 0
    for key, text in blocks.items():
        if len(text) > MAX_RAW_BLOCK or total + len(text) > MAX_RAW_TOTAL:
            dropped.append(key)
        else:
            kept[key] = text
            total += len(text)
    return kept, dropped


def file_recipe(path: Path, media_kind: str) -> FileRecipe | None:
    """The recipe to record for an imported file, or None if it carries none."""
    from ..media.recipes_read import read_recipe  # Pillow/PyAV/mutagen load only on import

    try:
        recipe = read_recipe(path)
    except Exception:  # noqa: BLE001 - metadata never blocks an import
        return None
    if recipe is None:
        return None
    if recipe.sessionstudio is not None:
        return _ours(recipe.sessionstudio, media_kind)
    core = {"negative_prompt": recipe.negative_prompt, "seed": recipe.seed, "model": recipe.model,
            "width": recipe.width, "height": recipe.height, "steps": recipe.steps,
            "sampler": recipe.sampler, "cfg_scale": recipe.cfg_scale, "source_tool": recipe.tool}
    settings = {**recipe.settings, **{k: v for k, v in core.items() if v not in (None, "")}}
    raw, dropped = _raw(recipe.raw)
    if raw:
        settings["raw"] = raw
    if dropped:
        settings["raw_dropped"] = dropped  # named, so nobody wonders where they went
    engine = recipe.tool if recipe.tool not in ("unknown", "sessionstudio") else "import"
    return FileRecipe(prompt=recipe.prompt, settings=settings, engine=engine, seed=_seed(recipe.seed))
