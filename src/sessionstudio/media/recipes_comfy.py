"""ComfyUI graphs: the sampler's prompt, seed and settings, found by following links.

ComfyUI saves two graphs. `prompt` is the API format that actually ran:
{"3": {"class_type": "KSampler", "inputs": {"seed": 5, "positive": ["6", 0], ...}}, ...}
where a list [node id, output slot] is a link to another node's output. `workflow` is
the editor's layout ({"nodes": [...], "links": [...]}) with values in widgets_values;
it is read only when the API graph is missing.

Graphs are user-made and may hold anything: every walk is bounded (depth, visited
set), and a missing or odd node just leaves that field unset.
"""

from __future__ import annotations

from typing import Any

from sessionstudio.media.recipes_parse import Recipe, as_float, as_int, as_str

SAMPLERS = ("KSampler", "KSamplerAdvanced", "SamplerCustom")
_MAX_DEPTH = 24
# Inputs that pass conditioning through (ControlNet, area, combine, ...), tried in order.
_CONDITIONING = ("conditioning", "conditioning_1", "conditioning_to", "conditioning_from",
                 "base_conditioning")
# Inputs of primitive/string nodes that hold a value.
_VALUE_INPUTS = ("value", "text", "string", "seed", "noise_seed", "int", "float", "number")
_MODEL_INPUTS = ("ckpt_name", "unet_name", "model_name")


def _link(value: Any) -> str | None:
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], (str, int)) \
            and not isinstance(value[0], bool):
        return str(value[0])
    return None


class _Graph:
    def __init__(self, nodes: dict[str, dict]):
        self.nodes = nodes

    def inputs(self, node_id: str | None) -> dict:
        node = self.nodes.get(node_id) if node_id is not None else None
        return node["inputs"] if node else {}

    def kind(self, node_id: str | None) -> str:
        node = self.nodes.get(node_id) if node_id is not None else None
        return str(node.get("class_type", "")) if node else ""

    def scalar(self, value: Any, depth: int = 0) -> Any:
        """A value, following a link to a primitive node (seed widgets, string nodes)."""
        target = _link(value)
        if target is None or depth > _MAX_DEPTH:
            return None if target is not None else value
        inputs = self.inputs(target)
        for key in _VALUE_INPUTS:
            if key in inputs:
                return self.scalar(inputs[key], depth + 1)
        return None

    def text(self, value: Any, role: str, depth: int = 0) -> str | None:
        """The prompt text behind a conditioning input (CLIPTextEncode and friends)."""
        if isinstance(value, str):
            return value
        target = _link(value)
        if target is None or depth > _MAX_DEPTH:
            return None
        inputs = self.inputs(target)
        for key in ("text", "text_g", "prompt", "string", "value"):
            if key in inputs:
                found = self.text(inputs[key], role, depth + 1)
                if isinstance(found, str):
                    return found
        for key in (role, *_CONDITIONING):
            if key in inputs:
                found = self.text(inputs[key], role, depth + 1)
                if found is not None:
                    return found
        return None

    def size(self, value: Any, depth: int = 0) -> tuple[int, int] | None:
        target = _link(value)
        if target is None or depth > _MAX_DEPTH:
            return None
        inputs = self.inputs(target)
        width, height = as_int(self.scalar(inputs.get("width"))), as_int(self.scalar(inputs.get("height")))
        if width and height:
            return width, height
        for key in ("samples", "latent", "latent_image", "pixels"):
            if key in inputs:
                return self.size(inputs[key], depth + 1)
        return None

    def model(self, value: Any, depth: int = 0) -> str | None:
        target = _link(value)
        if target is None or depth > _MAX_DEPTH:
            return None
        inputs = self.inputs(target)
        for key in _MODEL_INPUTS:
            name = as_str(self.scalar(inputs.get(key)))
            if name:
                return name
        return self.model(inputs.get("model"), depth + 1)


def _order(node_id: str) -> tuple[int, int | str]:
    return (0, int(node_id)) if node_id.isdigit() else (1, node_id)


def _pick_sampler(graph: _Graph) -> str | None:
    """The first-pass sampler: one fed by an empty latent (not a hires or refiner
    pass) if there is one, else the first by node id."""
    candidates = sorted((nid for nid, node in graph.nodes.items()
                         if node.get("class_type") in SAMPLERS
                         or {"positive", "negative"} <= set(node["inputs"])), key=_order)
    for nid in candidates:
        if graph.kind(_link(graph.inputs(nid).get("latent_image"))).startswith("Empty"):
            return nid
    return candidates[0] if candidates else None


def comfy_recipe(prompt_graph: dict) -> Recipe | None:
    """A Recipe from ComfyUI's API-format graph; None when it is not one."""
    nodes = {str(k): v for k, v in prompt_graph.items()
             if isinstance(v, dict) and isinstance(v.get("inputs"), dict) and "class_type" in v}
    if not nodes:
        return None
    graph = _Graph(nodes)
    recipe = Recipe(tool="comfyui")
    sampler = _pick_sampler(graph)
    if sampler is not None:
        inputs = graph.inputs(sampler)
        recipe.seed = as_int(graph.scalar(inputs.get("seed", inputs.get("noise_seed"))))
        recipe.steps = as_int(graph.scalar(inputs.get("steps")))
        recipe.cfg_scale = as_float(graph.scalar(inputs.get("cfg")))
        recipe.sampler = as_str(graph.scalar(inputs.get("sampler_name")))
        for key in ("scheduler", "denoise"):
            value = graph.scalar(inputs.get(key))
            if isinstance(value, (str, int, float)):
                recipe.settings[key] = value
        recipe.prompt = graph.text(inputs.get("positive"), "positive") or ""
        recipe.negative_prompt = graph.text(inputs.get("negative"), "negative") or ""
        recipe.width, recipe.height = graph.size(inputs.get("latent_image")) or (None, None)
        recipe.model = graph.model(inputs.get("model"))
    for nid in sorted(nodes, key=_order):  # fallbacks when the sampler did not say
        kind, inputs = graph.kind(nid), graph.inputs(nid)
        if recipe.model is None:
            recipe.model = next((v for k in _MODEL_INPUTS if isinstance(v := inputs.get(k), str)), None)
        if recipe.width is None and kind.startswith("Empty") and "Latent" in kind:
            recipe.width, recipe.height = as_int(inputs.get("width")), as_int(inputs.get("height"))
        if not recipe.prompt and kind.startswith("CLIPTextEncode"):
            recipe.prompt = as_str(inputs.get("text", inputs.get("text_g"))) or ""
    return recipe


def comfy_workflow_recipe(workflow: dict) -> Recipe | None:
    """A Recipe from the editor's workflow (widgets_values); used when no API graph."""
    nodes = workflow.get("nodes")
    if not isinstance(nodes, list):
        return None
    by_id = {n.get("id"): n for n in nodes if isinstance(n, dict)}
    links = {ln[0]: ln for ln in workflow.get("links") or [] if isinstance(ln, list) and len(ln) >= 4}
    recipe = Recipe(tool="comfyui")

    def widgets(node: dict | None) -> list:
        values = node.get("widgets_values") if node else None
        return values if isinstance(values, list) else []

    def source(node: dict, name: str) -> dict | None:
        for slot in node.get("inputs") or []:
            if isinstance(slot, dict) and slot.get("name") == name and slot.get("link") in links:
                return by_id.get(links[slot["link"]][1])
        return None

    for node in by_id.values():
        kind, values = str(node.get("type", "")), widgets(node)
        if kind in ("KSampler", "KSamplerAdvanced") and recipe.steps is None:
            # KSampler: seed, control, steps, cfg, sampler, scheduler, denoise;
            # KSamplerAdvanced starts with add_noise.
            values = values[1:] if kind == "KSamplerAdvanced" else values
            if len(values) >= 6:
                recipe.seed, recipe.steps = as_int(values[0]), as_int(values[2])
                recipe.cfg_scale, recipe.sampler = as_float(values[3]), as_str(values[4])
                recipe.settings["scheduler"] = values[5]
            for name in ("positive", "negative"):
                text = widgets(source(node, name))[:1]
                if text and isinstance(text[0], str):
                    setattr(recipe, "prompt" if name == "positive" else "negative_prompt", text[0])
        elif kind.startswith("Empty") and "Latent" in kind and len(values) >= 2:
            recipe.width, recipe.height = as_int(values[0]), as_int(values[1])
        elif kind.startswith("CheckpointLoader") and values and isinstance(values[0], str):
            recipe.model = values[0]
    return recipe if recipe.steps is not None or recipe.prompt or recipe.model else None
