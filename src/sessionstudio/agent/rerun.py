"""Remix / Recreate with changed settings: 'make the song longer' is the song's recipe
again with a longer length and a new seed; 'slower' is the voiceover's with a lower speed.

jobs.plan's Recreate and Remix re-run a recipe as it was; this is the same with some
parameters overridden (checked by the action's own declaration before queueing)."""

from typing import Any

from ..core.changes import Changes
from ..core.errors import InvalidInput
from ..core.models import Item
from ..engines.registry import Registry
from ..jobs.plan import NOT_PARAMS, SOURCE_KIND, new_seed
from ..jobs.queue import submit_job
from ..library.library import Library


def recipe_params(reg: Registry, item: Item) -> tuple[Any, Any, dict[str, Any]]:
    """(engine, spec, parameters) of the action that made `item`."""
    if item.engine in ("", "import") or not item.action:
        raise InvalidInput(f"“{item.name}” was imported, not generated here: there is no recipe "
                           f"to make it again with other settings.")
    kind = item.settings.get(SOURCE_KIND) or item.kind
    eng, spec = reg.find(kind, item.action, item.engine)
    params = {k: v for k, v in item.settings.items()
              if k not in NOT_PARAMS and spec.param(k) is not None}
    return eng, spec, params


def rerun_with(lib: Library, reg: Registry, item: Item, overrides: dict[str, Any], *,
               title: str, prompt: str | None = None) -> Changes:
    eng, spec, params = recipe_params(reg, item)
    unknown = [k for k in overrides if spec.param(k) is None]
    if unknown:
        raise InvalidInput(f"“{item.name}” was made by {spec.title}, which has no "
                           f"{', '.join(unknown)} setting.")
    values = spec.coerce({**params, **overrides})
    source = next((i for i in item.inputs if i.role == "source"), None)
    picked = [{"role": i.role, "item": i.source_item_id, "asset": i.asset_hash,
               "param": next((p.name for p in spec.params if p.type == "item"), None)}
              for i in item.inputs if i.role not in ("source", "start_frame", "end_frame")]
    kind = item.settings.get(SOURCE_KIND) or item.kind
    return submit_job(lib, session_id=item.session_id, engine=eng.name, kind=kind,
                      action=item.action, title=title,
                      prompt=item.prompt if prompt is None else prompt, params=values,
                      seed=new_seed(), source_item_id=source.source_item_id if source else None,
                      inputs=([{"role": "source", "item": source.source_item_id,
                                "asset": source.asset_hash}] if source else []) + picked)
