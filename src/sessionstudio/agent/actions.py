"""Carrying out an Intent through the library and job APIs, and saying what was done.

Every change is recorded as an effect with what reverses it (reverse.py): a rename
keeps the old name, a favorite the old values, a delete the item ids, a generation or
edit its job id. Nothing here waits for a job: the JobRunner makes the result."""

from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidInput, StudioError
from ..core.models import Item
from ..engines.registry import Registry
from ..jobs.plan import RERUN_ACTIONS, queue_generate, queue_use
from ..library import get_session, rename_item, set_favorite, set_session_settings, trash_items
from ..library.library import Library
from .adjust import plan_adjust
from .intents import Intent
from .refs import Resolution, Scope, describe, listing, resolve, visible_items
from .rerun import rerun_with
from .vocab import KIND_PLURAL, KIND_WORD, LANGUAGES

VERBS = {"edit": "Editing", "upscale": "Upscaling", "image_to_video": "Animating",
         "voice_to_video": "Making a video from", "video_to_video": "Restyling",
         "extend": "Extending", "avatar": "Making an avatar from",
         "music_from_media": "Making music for", "lipsync": "Lip-syncing",
         "translate": "Translating", "recreate": "Recreating", "remix": "Remixing"}
LANGUAGE_NAMES = {code: name.capitalize() for name, code in LANGUAGES.items()}
SOON = "— the result will appear in the session."


@dataclass
class Outcome:
    text: str
    effects: list[dict] = field(default_factory=list)
    focus: dict | None = None          # {"item": id} | {"job": id} | {"item": None}: 'it' now
    question: bool = False
    pending: dict | None = None        # what to finish once the question is answered
    filters: list[str] | None = None   # the canvas filter, when it changed
    jobs: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)     # more to record (undo_of, redo_of)


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def keep_params(spec, params: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The parameters this action declares, checked; notes for values it refuses."""
    kept, notes = {}, []
    for name, value in params.items():
        p = spec.param(name)
        if p is None:
            continue
        try:
            kept[name] = p.coerce(value)
        except InvalidInput as exc:
            notes.append(str(exc))
    return kept, notes


def _settings_words(values: dict[str, Any]) -> str:
    shown = [f"{LANGUAGE_NAMES.get(v, v)}" if k == "language" else
             f"{v:g} s" if k in ("duration", "length", "seconds") else
             f"{v}×" if k in ("factor", "speed") else f"{v} {k}" if k in ("accent", "bpm") else
             f"{k} {v}" for k, v in values.items() if k not in ("lyrics", "text", "audio", "visual")]
    return f" ({', '.join(shown)})" if shown else ""


class Executor:
    def __init__(self, lib: Library, reg: Registry, runner, scope: Scope):
        self.lib, self.reg, self.runner, self.scope = lib, reg, runner, scope

    def describe(self, item: Item) -> str:
        return describe(self.lib, self.scope, item)

    def run(self, intent: Intent) -> Outcome:
        try:
            return getattr(self, f"_{intent.kind}")(intent)
        except StudioError as exc:
            return Outcome(str(exc))

    def _ask(self, res: Resolution, intent: Intent, slot: str = "target") -> Outcome:
        if res.question:
            return Outcome(res.question, question=True,
                           pending={"intent": intent.as_dict(), "slot": slot})
        return Outcome(res.problem)

    def _queued(self, changes, item: Item | None = None) -> tuple[list[dict], dict, list[str]]:
        job_id = changes.created[0]
        if self.runner is not None:
            self.runner.wake()
        effect = {"op": "job", "job": job_id, "source": item.id if item else None}
        return [effect], {"job": job_id}, [job_id]

    # -- making things -------------------------------------------------------------------
    def _generate(self, intent: Intent) -> Outcome:
        kind = intent.media or "image"
        _, spec = self.reg.find(kind, "generate")
        values, notes = keep_params(spec, intent.params)
        if spec.prompt and not intent.prompt and kind != "music":
            return Outcome(f"What should the {KIND_WORD[kind]} {'say' if kind == 'voiceover' else 'show'}?",
                           question=True, pending={"intent": intent.as_dict(), "slot": "prompt"})
        changes = queue_generate(self.lib, self.reg, session_id=self.scope.session_id, kind=kind,
                                 prompt=intent.prompt, params=values)
        effects, focus, jobs = self._queued(changes)
        about = ""
        if intent.prompt:
            about = {"voiceover": f" saying “{intent.prompt}”",
                     "music": f": “{intent.prompt}”"}.get(kind, f" of “{intent.prompt}”")
        text = f"Generating {_a(KIND_WORD[kind])}{about}{_settings_words(values)} {SOON}"
        return Outcome(" ".join([text, *notes]), effects, focus, jobs=jobs)

    def _use(self, intent: Intent) -> Outcome:
        res = resolve(self.lib, self.scope, intent.target)
        if not res.ok:
            return self._ask(res, intent)
        item = res.items[0]
        action, problem = _concrete(intent.action, item.kind)
        if problem:
            return Outcome(problem.format(name=self.describe(item)))
        if action == "adjust-longer":
            return self._adjust(Intent("adjust", action="longer " + intent.text, target=intent.target))
        if action in RERUN_ACTIONS:
            changes = queue_use(self.lib, self.reg, item_id=item.id, action=action)
            effects, focus, jobs = self._queued(changes, item)
            return Outcome(f"{VERBS[action]} {self.describe(item)} with a new seed {SOON}",
                           effects, focus, jobs=jobs)
        _, spec = self.reg.find(item.kind, action)
        values, notes = keep_params(spec, intent.params)
        if action == "edit" and not intent.prompt.strip():
            return Outcome(f"What should I change in {self.describe(item)}?", question=True,
                           pending={"intent": intent.as_dict(), "slot": "prompt"})
        extra = ""
        if action == "lipsync":
            partner = self._partner(intent, item, spec)
            if isinstance(partner, Outcome):
                return partner
            values[spec.params[0].name] = partner.id
            extra = f" with {self.describe(partner)}"
        if action == "translate":
            if "language" not in values:
                values["language"] = spec.param("language").default
                notes.append("Say another language to change it.")
            extra = f" into {LANGUAGE_NAMES.get(values['language'], values['language'])}"
        changes = queue_use(self.lib, self.reg, item_id=item.id, action=action,
                            prompt=intent.prompt if spec.prompt else "", params=values)
        effects, focus, jobs = self._queued(changes, item)
        how = f" (“{intent.prompt}”)" if spec.prompt and intent.prompt else ""
        shown = {k: v for k, v in values.items() if k in intent.params and k != "language"}
        text = f"{VERBS.get(action, spec.title)} {self.describe(item)}{how}{_settings_words(shown)}"
        return Outcome(" ".join([f"{text}{extra} {SOON}", *notes]), effects, focus, jobs=jobs)

    def _partner(self, intent: Intent, item: Item, spec) -> Item | Outcome:
        """The other item of a lip-sync: named, or the only candidate (said in the reply)."""
        kinds = spec.params[0].kinds
        if intent.partner is not None:
            res = resolve(self.lib, self.scope, intent.partner)
            if not res.ok:
                return self._ask(res, intent, "partner")
            if res.items[0].kind not in kinds:
                return Outcome(f"{self.describe(res.items[0])} is {_a(KIND_WORD[res.items[0].kind])}; "
                               f"lip-sync needs {' or '.join(_a(KIND_WORD[k]) for k in kinds)}.")
            return res.items[0]
        found = visible_items(self.lib, self.scope, [k for k in kinds if k in self.scope.kinds])
        if len(found) == 1:
            return found[0]
        nouns = " or ".join(KIND_WORD[k] for k in kinds)
        if not found:
            return Outcome(f"Lip-sync needs {_a(nouns)}, and none is visible in this session.")
        return Outcome(f"Which {nouns} should {self.describe(item)} lip-sync to: "
                       f"{listing(self.lib, self.scope, found)}?", question=True,
                       pending={"intent": intent.as_dict(), "slot": "partner"})

    def _adjust(self, intent: Intent) -> Outcome:
        res = resolve(self.lib, self.scope, intent.target)
        if not res.ok:
            return self._ask(res, intent)
        item = res.items[0]
        step = plan_adjust(item, intent.action, intent.params)
        if step.how == "cannot":
            return Outcome(step.says)
        if step.how == "use":
            changes = queue_use(self.lib, self.reg, item_id=item.id, action=step.action,
                                prompt=step.prompt, params=step.params)
        else:
            changes = rerun_with(self.lib, self.reg, item, step.params, title=step.title)
        effects, focus, jobs = self._queued(changes, item)
        verb = {"extend": "Extending", "upscale": "Upscaling", "edit": "Editing"}.get(step.action, "Remaking")
        return Outcome(f"{verb} {self.describe(item)}: {step.says} {SOON}", effects, focus, jobs=jobs)

    # -- instant changes -----------------------------------------------------------------
    def _rename(self, intent: Intent) -> Outcome:
        res = resolve(self.lib, self.scope, intent.target)
        if not res.ok:
            return self._ask(res, intent)
        item = res.items[0]
        rename_item(self.lib, item_id=item.id, name=intent.name)
        return Outcome(f"Renamed {self.describe(item)} to “{intent.name.strip()}”.",
                       [{"op": "rename", "item": item.id, "old": item.name, "new": intent.name.strip()}],
                       {"item": item.id})

    def _favorite(self, intent: Intent) -> Outcome:
        res = resolve(self.lib, self.scope, intent.target, many=True)
        if not res.ok:
            return self._ask(res, intent)
        ids = [i.id for i in res.items]
        set_favorite(self.lib, item_ids=ids, favorite=intent.value)
        names = listing(self.lib, self.scope, res.items).replace(" or ", " and ")
        text = f"Marked {names} as {'a favorite' if len(ids) == 1 else 'favorites'}." if intent.value \
            else f"Removed {names} from favorites."
        return Outcome(text, [{"op": "favorite", "items": ids, "value": intent.value,
                               "old": {i.id: i.favorite for i in res.items}}],
                       {"item": ids[0]} if len(ids) == 1 else None)

    def _delete(self, intent: Intent) -> Outcome:
        res = resolve(self.lib, self.scope, intent.target, many=True)
        if not res.ok:
            return self._ask(res, intent)
        names = listing(self.lib, self.scope, res.items).replace(" or ", " and ")
        ids = [i.id for i in res.items]
        trash_items(self.lib, item_ids=ids)
        return Outcome(f"Moved {names} to the trash. Say “undo that” to bring "
                       f"{'it' if len(ids) == 1 else 'them'} back.",
                       [{"op": "delete", "items": ids}], {"item": None})

    def _filter(self, intent: Intent) -> Outcome:
        sid = self.scope.session_id
        old = list(get_session(self.lib, sid).settings.get("filters") or [])
        set_session_settings(self.lib, session_id=sid, filters=list(intent.kinds))
        self.scope.kinds = list(intent.kinds) or ["image", "video", "music", "voiceover"]
        shown = " and ".join(KIND_PLURAL[k] for k in intent.kinds)
        text = f"Showing only {shown}." if intent.kinds else "Showing everything."
        return Outcome(text, [{"op": "filter", "session": sid, "old": old, "new": list(intent.kinds)}],
                       filters=list(intent.kinds))


def _concrete(action: str, kind: str) -> tuple[str, str]:
    """The engine's action id for a spoken one on this kind of item, or why there is none."""
    if action == "to_video":
        found = {"image": "image_to_video", "voiceover": "voice_to_video",
                 "video": "video_to_video"}.get(kind)
        return (found, "") if found else ("", "I can't make a video from a music track yet; "
                                              "try a picture or a voiceover.")
    if action == "to_music":
        return ("music_from_media", "") if kind in ("image", "video") else \
            ("", "Music is made from a picture or a video, and {name} is neither.")
    if action in ("recreate", "remix"):
        return ("remix" if kind == "music" else "recreate"), ""
    if action == "extend":
        if kind == "video":
            return "extend", ""
        if kind == "music":
            return "adjust-longer", ""
        return "", "Only videos and music can be extended; {name} is " + _a(KIND_WORD[kind]) + "."
    if action == "lipsync" and kind not in ("video", "voiceover"):
        return "", "Lip-sync starts from a video or a voiceover; {name} is " + _a(KIND_WORD[kind]) + "."
    return action, ""
