"""Generation metadata as other tools write it, turned into one Recipe.

Input is a dict of named text blocks as found in a file, whatever the container:
PNG text chunks, EXIF UserComment, MP4/Matroska tags, ID3 frames, Vorbis comments
(names lower-cased). Which tool wrote them is told by the blocks themselves:

    sessionstudio       our own full recipe (JSON)                  -> "sessionstudio"
    invokeai_metadata   InvokeAI (JSON)                             -> "invokeai"
    prompt / workflow   ComfyUI graph (JSON, recipes_comfy.py)      -> "comfyui"
    parameters          A1111 text ("Version: f..." is Forge), or JSON: SwarmUI
                        (sui_image_params) or Fooocus (fooocus_scheme = "fooocus")
    usercomment, comment, description: the same as parameters, but only when they
                        hold a recipe: a camera's "OLYMPUS DIGITAL CAMERA" or an
                        encoder's "Created with GIMP" is not a prompt.

Metadata never blocks an import: every parser tolerates wrong types and missing
fields, and any exception in one of them just means "not this format".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sessionstudio.media.a1111 import parse_parameters

# Text longer than this is not parsed at all (real recipes are kilobytes; ComfyUI
# workflows a few hundred).
MAX_BLOCK = 8 * 1024 * 1024
# Blocks kept verbatim in Recipe.raw, in this order.
RAW_KEYS = ("parameters", "prompt", "workflow", "invokeai_metadata", "fooocus_scheme",
            "usercomment", "comment", "description", "sessionstudio")
# Free-text fields that count only when they parse as a recipe.
_RECIPE_ONLY = ("usercomment", "comment", "description")


@dataclass
class Recipe:
    """How a file was generated, as far as its metadata tells."""
    prompt: str = ""
    negative_prompt: str = ""
    seed: int | None = None
    model: str | None = None
    width: int | None = None
    height: int | None = None
    steps: int | None = None
    sampler: str | None = None
    cfg_scale: float | None = None
    tool: str = "unknown"
    settings: dict[str, Any] = field(default_factory=dict)  # everything else the tool wrote
    raw: dict[str, str] = field(default_factory=dict)       # the blocks as found
    sessionstudio: dict[str, Any] | None = None              # our own full recipe, if any


# -- values of the wrong type become None, never an exception --------------------------
def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]{1,40}\s*", value):
        return int(value)
    return None


def as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and len(value) < 40:
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def as_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def load_json(text: Any) -> Any:
    """JSON value of text, or None (not JSON, too deep, too big)."""
    if not isinstance(text, str) or len(text) > MAX_BLOCK or text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _fill(recipe: Recipe, data: Mapping[str, Any], keys: Mapping[str, str]) -> Recipe:
    """Copy data[src] into recipe.<attr> for each src -> attr, typed; the rest of data
    goes to recipe.settings."""
    typed = {"seed": as_int, "width": as_int, "height": as_int, "steps": as_int,
             "cfg_scale": as_float, "prompt": as_str, "negative_prompt": as_str,
             "model": as_str, "sampler": as_str}
    for src, value in data.items():
        attr = keys.get(src)
        if attr is None:
            recipe.settings.setdefault(str(src), value)
            continue
        converted = typed[attr](value)
        if converted is not None:
            setattr(recipe, attr, converted)
    return recipe


# -- the formats ------------------------------------------------------------------------
def _sessionstudio(blocks: Mapping[str, str]) -> Recipe | None:
    data = load_json(blocks.get("sessionstudio"))
    if not isinstance(data, dict) or not {"prompt", "settings", "kind"} & set(data):
        return None
    settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
    recipe = Recipe(tool="sessionstudio", sessionstudio=data, prompt=as_str(data.get("prompt")) or "",
                    seed=as_int(data.get("seed")))
    _fill(recipe, {k: v for k, v in settings.items() if k != "seed"},
          {k: k for k in ("negative_prompt", "model", "width", "height", "steps", "sampler",
                          "cfg_scale")})
    recipe.settings = {}  # the full recipe is in .sessionstudio
    return recipe


def _invokeai(blocks: Mapping[str, str]) -> Recipe | None:
    data = load_json(blocks.get("invokeai_metadata"))
    if not isinstance(data, dict):
        return None
    data = dict(data)
    model = data.pop("model", None)
    recipe = Recipe(tool="invokeai")
    if isinstance(model, dict):
        recipe.model = as_str(model.get("name") or model.get("model_name"))
        recipe.settings["model_info"] = model
    else:
        recipe.model = as_str(model)
    return _fill(recipe, data, {"positive_prompt": "prompt", "negative_prompt": "negative_prompt",
                                "seed": "seed", "width": "width", "height": "height",
                                "steps": "steps", "scheduler": "sampler", "cfg_scale": "cfg_scale"})


def _comfy(blocks: Mapping[str, str]) -> Recipe | None:
    from sessionstudio.media.recipes_comfy import comfy_recipe, comfy_workflow_recipe
    graph = load_json(blocks.get("prompt"))
    recipe = comfy_recipe(graph) if isinstance(graph, dict) else None
    if recipe is None:
        workflow = load_json(blocks.get("workflow"))
        recipe = comfy_workflow_recipe(workflow) if isinstance(workflow, dict) else None
    return recipe


def _swarmui(data: dict) -> Recipe | None:
    params = data.get("sui_image_params")
    if not isinstance(params, dict):
        return None
    recipe = _fill(Recipe(tool="swarmui"), params, {
        "prompt": "prompt", "negativeprompt": "negative_prompt", "seed": "seed", "model": "model",
        "width": "width", "height": "height", "steps": "steps", "sampler": "sampler",
        "cfgscale": "cfg_scale"})
    if "sui_extra_data" in data:
        recipe.settings["sui_extra_data"] = data["sui_extra_data"]
    return recipe


def _fooocus(data: dict) -> Recipe:
    recipe = _fill(Recipe(tool="fooocus"), data, {
        "prompt": "prompt", "negative_prompt": "negative_prompt", "seed": "seed",
        "base_model": "model", "steps": "steps", "sampler": "sampler",
        "guidance_scale": "cfg_scale"})
    # Fooocus writes the size as the text of a Python tuple: "(1024, 1024)" or "('1024', '1024')".
    size = re.search(r"(\d+)\D+?(\d+)", as_str(data.get("resolution")) or "")
    if size:
        recipe.width, recipe.height = int(size.group(1)), int(size.group(2))
    return recipe


def _a1111(text: str, scheme: str | None) -> Recipe:
    parsed = parse_parameters(text)
    settings = parsed["settings"]
    version = as_str(settings.get("Version")) or ""
    if scheme == "a1111" or "fooocus" in version.lower():
        tool = "fooocus"
    elif re.match(r"f\d", version):  # Forge: "Version: f2.0.1v1.10.1-previous-..."
        tool = "forge"
    else:
        tool = "a1111" if settings else "unknown"
    recipe = Recipe(tool=tool, prompt=parsed["prompt"], negative_prompt=parsed["negative_prompt"])
    return _fill(recipe, settings, {k: k for k in ("seed", "width", "height", "steps", "sampler",
                                                   "cfg_scale", "model")})


def _from_text(text: str, scheme: str | None, *, recipe_only: bool) -> Recipe | None:
    """A recipe from one parameters-like text block."""
    data = load_json(text)
    if isinstance(data, dict):
        if "sui_image_params" in data:
            return _swarmui(data)
        graph = data.get("prompt")
        graph = load_json(graph) if isinstance(graph, str) else graph
        if isinstance(graph, dict):  # ComfyUI video nodes: {"prompt": {...}, "workflow": {...}}
            from sessionstudio.media.recipes_comfy import comfy_recipe
            recipe = comfy_recipe(graph)
            if recipe is not None:
                return recipe
        if scheme == "fooocus" or {"base_model", "full_prompt", "guidance_scale"} & set(data):
            return _fooocus(data)
        if isinstance(data.get("prompt"), str):
            return _fill(Recipe(), data, {"prompt": "prompt", "negative_prompt": "negative_prompt",
                                          "seed": "seed", "model": "model", "steps": "steps"})
        return None
    if data is not None:
        return None
    recipe = _a1111(text, scheme)
    if recipe_only and recipe.tool == "unknown":
        return None
    return recipe


def _parameters_like(blocks: Mapping[str, str]) -> Recipe | None:
    scheme = (blocks.get("fooocus_scheme") or blocks.get("makernote") or "").strip().lower() or None
    for key in ("parameters", *_RECIPE_ONLY):
        if key in blocks:
            recipe = _from_text(blocks[key], scheme, recipe_only=key in _RECIPE_ONLY)
            if recipe is not None:
                return recipe
    text = blocks.get("prompt")
    if text and load_json(text) is None:  # a plain prompt tag (PROMPT in FLAC, "prompt" in MP4)
        return Recipe(prompt=text)
    return None


PARSERS: tuple[Callable[[Mapping[str, str]], Recipe | None], ...] = (
    _sessionstudio, _invokeai, _comfy, _parameters_like)


def recipe_from_blocks(blocks: Mapping[str, Any]) -> Recipe | None:
    """The recipe the blocks describe, or None when they describe none."""
    usable = {str(k).lower(): v for k, v in blocks.items()
              if isinstance(v, str) and v.strip() and len(v) <= MAX_BLOCK}
    for parse in PARSERS:
        try:
            recipe = parse(usable)
        except Exception:  # noqa: BLE001 - hostile metadata is "not this format", never a crash
            recipe = None
        if recipe is not None:
            recipe.raw = {k: usable[k] for k in RAW_KEYS if k in usable}
            if "title" in usable:
                recipe.settings.setdefault("title", usable["title"])
            return recipe
    return None
