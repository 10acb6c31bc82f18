"""Turning "generate an image of X" or "Upscale this video" into a queued job: the engine
and action are looked up, every parameter is checked and typed before anything runs,
and the job records its recipe (so a failed job can be retried as it was asked).

Recreate and Remix are engine-independent: they queue the recipe that made the item
again, with a new seed (inputs by asset hash, so they work after the parent is deleted)."""

import random
from typing import Any

from ..core.changes import Changes
from ..core.errors import InvalidInput
from ..engines.registry import Registry
from ..library.item_queries import get_item
from ..library.library import Library
from .queue import submit_job

RERUN_ACTIONS = ("recreate", "remix")
SOURCE_KIND = "source_kind"     # recorded in an item's settings by the job that made it
NOT_PARAMS = {SOURCE_KIND, "model", "raw"}


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31 - 1)


def check_generate(reg: Registry, *, kind: str, prompt: str = "", params: dict | None = None,
                   engine: str | None = None):
    """The engine, action and typed parameters of a generate request, or a clear error:
    checked before anything is written (the CLI makes no session for a typo)."""
    eng, spec = reg.find(kind, "generate", engine)
    values = spec.coerce(params or {})
    _check_prompt(spec, prompt, values)
    return eng, spec, values


def _check_prompt(spec, prompt: str, values: dict) -> None:
    if spec.prompt and spec.prompt_required and not prompt.strip() \
            and not _has_text_param(spec, values):
        raise InvalidInput(f"{spec.title} needs {spec.prompt}.")


def queue_generate(lib: Library, reg: Registry, *, session_id: str, kind: str, prompt: str = "",
                   params: dict[str, Any] | None = None, engine: str | None = None,
                   seed: int | None = None) -> Changes:
    eng, spec, values = check_generate(reg, kind=kind, prompt=prompt, params=params,
                                       engine=engine)
    return submit_job(lib, session_id=session_id, engine=eng.name, kind=kind, action="generate",
                      title=spec.title, prompt=prompt.strip(), params=values,
                      seed=new_seed() if seed is None else int(seed),
                      inputs=_picked_inputs(lib, spec, values))


def queue_use(lib: Library, reg: Registry, *, item_id: str, action: str, prompt: str = "",
              params: dict[str, Any] | None = None, engine: str | None = None,
              seed: int | None = None, session_id: str | None = None) -> Changes:
    """A Use action on an item. The result lands in the item's session unless told otherwise."""
    item = get_item(lib, item_id)
    if action in RERUN_ACTIONS:
        return _queue_rerun(lib, reg, item, action, seed, session_id)
    eng, spec = reg.find(item.kind, action, engine)
    from .execute import input_file  # the path of the item's file, for availability checks
    reason = eng.unavailable_reason(spec, input_file(lib, "source", item))
    if reason:
        raise InvalidInput(reason)
    values = spec.coerce(params or {})
    _check_prompt(spec, prompt, values)
    # The source is recorded by asset too: the job still runs (and its result keeps its
    # lineage) if the item is deleted while it waits or runs.
    source = {"role": "source", "item": item.id, "asset": item.asset_hash}
    return submit_job(lib, session_id=session_id or item.session_id, engine=eng.name,
                      kind=item.kind, action=action, title=spec.title, prompt=prompt.strip(),
                      params=values, seed=new_seed() if seed is None else int(seed),
                      source_item_id=item.id, inputs=[source, *_picked_inputs(lib, spec, values)])


def _queue_rerun(lib, reg, item, action, seed, session_id) -> Changes:
    if item.engine in ("", "import") or not item.action:
        raise InvalidInput(f"'{item.name}' was imported, not generated here: there is no recipe "
                           f"to {action} it with. Use Edit or Upscale instead.")
    kind = item.settings.get(SOURCE_KIND) or item.kind
    eng, spec = reg.find(kind, item.action, item.engine)
    params = {k: v for k, v in item.settings.items()
              if k not in NOT_PARAMS and spec.param(k) is not None}
    values = spec.coerce(params)
    source = next((i for i in item.inputs if i.role == "source"), None)
    picked = [{"role": i.role, "item": i.source_item_id, "asset": i.asset_hash,
               "param": _param_for(spec, i.role)} for i in item.inputs
              if i.role not in ("source", "start_frame", "end_frame")]
    title = "Remix" if action == "remix" else f"Recreate: {spec.title}"
    return submit_job(lib, session_id=session_id or item.session_id, engine=eng.name, kind=kind,
                      action=item.action, title=title, prompt=item.prompt, params=values,
                      seed=new_seed() if seed is None else int(seed),
                      source_item_id=source.source_item_id if source else None,
                      inputs=([{"role": "source", "item": source.source_item_id,
                                "asset": source.asset_hash}] if source else []) + picked)


def _param_for(spec, role: str) -> str | None:
    return next((p.name for p in spec.params if p.type == "item" and _role(p) == role), None)


def _role(param) -> str:
    return "source_audio" if set(param.kinds) <= {"music", "voiceover"} else "reference"


def _picked_inputs(lib: Library, spec, values: dict) -> list[dict]:
    """Items chosen in "item" parameters, checked now so a typo fails before queueing."""
    out = []
    for p in spec.params:
        ref = values.get(p.name)
        if p.type != "item" or not ref:
            continue
        picked = get_item(lib, ref)
        if p.kinds and picked.kind not in p.kinds:
            raise InvalidInput(f"'{p.name}' must be {' or '.join(p.kinds)}, but '{picked.name}' "
                               f"is {picked.kind}.")
        out.append({"role": _role(p), "item": picked.id, "asset": picked.asset_hash,
                    "param": p.name})
    return out


def _has_text_param(spec, values) -> bool:
    return any(p.type == "text" and values.get(p.name) for p in spec.params)
