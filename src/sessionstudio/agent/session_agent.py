"""The agent: one conversation per session at a time, that acts on plain instructions,
remembers what was said and done, and undoes its own changes.

    agent = Agent(lib, registry, runner)
    reply = agent.send(session_id, "make the outro a bit longer")
    reply = agent.send(session_id, "actually, undo that")

Every turn is stored (store.py); what 'it' means, the open question and what to undo
are read back from the stored turns (memory.py), so a restored conversation continues
where it stopped. Qt-free: the window runs send() on its serial writer thread."""

import copy
from dataclasses import dataclass, field

from ..core.errors import InvalidInput, NotFound
from ..engines.registry import Registry
from ..library import get_item
from ..library.library import Library
from ..settings import Settings
from . import memory, store
from .actions import Executor, Outcome
from .intents import Intent, parse
from .llm import LLMClient, LLMUnavailable, client_from_settings
from .refs import Scope, describe, resolve, visible_items, visible_kinds
from .reverse import Reverser

BUILTIN = "Built-in assistant"
HELP = ("I can generate (“an image of a lighthouse at dusk, 16:9”, “30 seconds of calm piano "
        "music”, “a voiceover saying ‘Welcome’ with a British accent”), change items (“edit the "
        "last image: warmer”, “upscale it 4x”, “animate #3”, “extend the outro by 3 seconds”, "
        "“remix the song”, “lip-sync the intro to the voiceover”, “translate it to French”), "
        "“rename it to Beach”, “favorite the second clip”, “delete that”, “show only videos”, "
        "“make it longer / brighter / slower”, “do the same to the second clip”, and “undo "
        "that” or “redo”.")


@dataclass
class Reply:
    text: str
    applied: dict
    question: bool
    conversation_id: str
    message_id: str = ""
    interpreter: str = BUILTIN          # BUILTIN or the model's name
    note: str = ""                      # e.g. the assistant server did not answer
    focus: str | None = None            # the item 'it' now means
    filters: list[str] | None = None    # the canvas filter, when this turn changed it
    jobs: list[str] = field(default_factory=list)


class Agent:
    def __init__(self, lib: Library, registry: Registry, runner=None,
                 llm: LLMClient | None = None, *, use_settings: bool = True):
        """llm: the model to ask; None reads the assistant settings at every message (so
        a server set in Settings is used at once), unless use_settings is False."""
        self.lib, self.registry, self.runner = lib, registry, runner
        self._llm, self._use_settings = llm, use_settings

    # -- conversations --------------------------------------------------------------------
    def new_conversation(self, session_id: str) -> str:
        """A fresh context; nothing the agent did before is undone."""
        return store.create_conversation(self.lib, session_id=session_id)

    def current_conversation(self, session_id: str) -> store.Conversation | None:
        return store.latest_conversation(self.lib, session_id)

    def history(self, session_id: str, offset: int = 0, limit: int = 20) -> store.HistoryPage:
        return store.list_conversations(self.lib, session_id=session_id, offset=offset, limit=limit)

    def messages(self, conversation_id: str) -> list[store.Message]:
        return store.messages(self.lib, conversation_id)

    def focus(self, conversation_id: str) -> str | None:
        return memory.current_focus(self.lib, store.messages(self.lib, conversation_id))[0]

    def llm(self) -> LLMClient | None:
        if self._llm is not None or not self._use_settings:
            return self._llm
        return client_from_settings(Settings(self.lib.paths.settings_path))

    def interpreter_name(self) -> str:
        client = self.llm()
        return client.title if client is not None else BUILTIN

    # -- one turn ---------------------------------------------------------------------------
    def send(self, session_id: str, text: str, *, conversation_id: str | None = None,
             selected: list[str] | None = None, attached: str | None = None) -> Reply:
        """attached: an item id to talk about from now on ('Use with AI Agent'); "" lets go
        of it; None leaves the conversation's reference as it is."""
        text = (text or "").strip()
        if not text:
            raise InvalidInput("Say what to do, e.g. “generate an image of a red fox”.")
        if conversation_id is None:
            current = store.latest_conversation(self.lib, session_id)
            conversation_id = current.id if current else self.new_conversation(session_id)
        elif store.get_conversation(self.lib, conversation_id).session_id != session_id:
            raise InvalidInput("That conversation belongs to another session.")
        said = {} if attached is None else {"attached": attached or None}
        store.add_message(self.lib, conversation_id=conversation_id, role="user", text=text,
                          applied=said)
        msgs = store.messages(self.lib, conversation_id)
        scope = self._scope(session_id, msgs, selected or [])
        intents, model_text, interpreter, note = self._interpret(text, msgs, scope)
        outcomes = [self._handle(i, msgs, scope) for i in intents]
        if not outcomes:
            outcomes = [Outcome(model_text or "I'm not sure what to do; say “help” for examples.",
                                question=bool(model_text.rstrip().endswith("?")))]
        reply_text = " ".join(o.text for o in outcomes)
        if note:
            reply_text = f"{note} {reply_text}"
        acted = [(i, o) for i, o in zip(intents, outcomes) if o.effects]
        applied = {
            "intent": (acted[-1][0] if acted else intents[-1]).as_dict() if intents else None,
            "effects": [e for o in outcomes for e in o.effects],
            "focus": next((o.focus for o in reversed(outcomes) if o.focus is not None), None),
            "question": any(o.question for o in outcomes),
            "pending": next((o.pending for o in reversed(outcomes) if o.pending), None),
            "interpreter": interpreter,
            **{k: v for o in outcomes for k, v in o.extra.items()},
        }
        msg = store.add_message(self.lib, conversation_id=conversation_id, role="assistant",
                                text=reply_text, applied=applied)
        filters = next((o.filters for o in reversed(outcomes) if o.filters is not None), None)
        focus = memory.current_focus(self.lib, store.messages(self.lib, conversation_id))[0]
        return Reply(reply_text, applied, applied["question"], conversation_id, msg.id,
                     interpreter, note, focus, filters, [j for o in outcomes for j in o.jobs])

    def _scope(self, session_id: str, msgs, selected: list[str]) -> Scope:
        focus, job, title = memory.current_focus(self.lib, msgs)
        return Scope(session_id, visible_kinds(self.lib, session_id), focus, job, title,
                     list(selected))

    def _interpret(self, text: str, msgs, scope: Scope) -> tuple[list[Intent], str, str, str]:
        client = self.llm()
        if client is not None:
            history = [(m.role, m.text) for m in msgs[:-1]]
            try:
                plan = client.interpret(text, history=history, context=self._context(scope))
                return plan.intents, plan.text, client.title, ""
            except LLMUnavailable as exc:
                note = (f"The assistant server at {client.base_url} did not answer ({exc}); "
                        f"I used the built-in interpreter.")
                return [self._resume(parse(text), msgs)], "", BUILTIN, note
        return [self._resume(parse(text), msgs)], "", BUILTIN, ""

    def _context(self, scope: Scope) -> str:
        items = visible_items(self.lib, scope, scope.kinds, limit=60)
        lines = [f"{describe(self.lib, scope, i)}: {i.kind}" for i in items]
        it = get_item(self.lib, scope.focus).name if scope.focus else "nothing yet"
        return ("Items shown in this session, oldest first:\n" + ("\n".join(lines) or "(none)")
                + f"\n'it' currently means: {it}.")

    def _resume(self, intent: Intent, msgs) -> Intent:
        """An answer to the question just asked finishes the intent that asked it."""
        pending = memory.pending_question(msgs)
        if not pending:
            return intent
        waiting = Intent.from_dict(pending["intent"])
        slot = pending["slot"]
        if slot in ("target", "partner") and intent.kind == "ref":
            setattr(waiting, slot, intent.target)
        elif slot == "prompt" and intent.kind == "unknown":
            waiting.prompt = intent.text
        else:
            return intent
        return waiting

    def _handle(self, intent: Intent, msgs, scope: Scope) -> Outcome:
        if intent.kind == "help":
            return Outcome(HELP)
        if intent.kind == "unknown":
            return Outcome(f"I didn't understand “{intent.text}”. {HELP}")
        if intent.kind == "undo":
            return self._undo(msgs)
        if intent.kind == "redo":
            return self._redo(msgs)
        if intent.kind == "ref":
            return self._point_at(intent, scope)
        if intent.kind == "repeat":
            last = memory.last_intent(msgs)
            if last is None:
                return Outcome("There is nothing to do again yet.")
            again = Intent.from_dict(copy.deepcopy(last))
            if intent.target is not None:
                if again.kind in ("generate", "filter"):
                    return Outcome(f"The last thing I did was not about an item, so I can't do "
                                   f"it to {intent.target.text}.")
                again.target = intent.target
            again.text = intent.text
            intent.__dict__.update(again.__dict__)     # stored as what was really done
            return Executor(self.lib, self.registry, self.runner, scope).run(again)
        return Executor(self.lib, self.registry, self.runner, scope).run(intent)

    def _point_at(self, intent: Intent, scope: Scope) -> Outcome:
        res = resolve(self.lib, scope, intent.target)
        if not res.ok:
            return Outcome(res.question or res.problem, question=bool(res.question))
        item = res.items[0]
        return Outcome(f"{describe(self.lib, scope, item)} it is. What should I do with it?",
                       focus={"item": item.id}, question=True)

    def _undo(self, msgs) -> Outcome:
        target = memory.undo_target(msgs)
        if target is None:
            return Outcome("There is nothing of mine to undo in this conversation.")
        reverser = Reverser(self.lib, self.runner)
        applied = dict(target.applied)
        effects, said = list(applied["effects"]), []
        for n in reversed(range(len(effects))):
            try:
                effects[n], sentence = reverser.undo(effects[n])
            except NotFound as exc:
                sentence = f"could not reverse one change ({exc})"
            said.append(sentence)
        applied.update(effects=effects, undone_at=len(msgs))
        store.set_applied(self.lib, target.id, applied)
        return Outcome("Undone: " + "; ".join(said) + ".", filters=reverser.filters,
                       extra={"undo_of": target.id})

    def _redo(self, msgs) -> Outcome:
        target, why = memory.redo_target(msgs)
        if target is None:
            return Outcome(why)
        reverser = Reverser(self.lib, self.runner)
        applied = dict(target.applied)
        effects, said = list(applied["effects"]), []
        for n in range(len(effects)):
            try:
                effects[n], sentence = reverser.redo(effects[n])
            except NotFound as exc:
                sentence = f"could not redo one change ({exc})"
            said.append(sentence)
        applied.update(effects=effects, undone_at=None)
        store.set_applied(self.lib, target.id, applied)
        return Outcome("Redone: " + "; ".join(said) + ".", filters=reverser.filters,
                       extra={"redo_of": target.id})
