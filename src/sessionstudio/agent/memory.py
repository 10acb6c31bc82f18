"""What a conversation remembers, read from its messages: what 'it' is now, the question
waiting for an answer, the last thing done (for 'do the same'), and which turn 'undo'
and 'redo' apply to. Nothing is kept outside the catalog, so a restored conversation
continues exactly where it stopped."""

from ..core.errors import NotFound
from ..jobs.queue import get_job
from ..library.library import Library
from .store import Message

REPEATABLE = ("generate", "use", "adjust", "rename", "favorite", "delete", "filter")


def current_focus(lib: Library, msgs: list[Message]) -> tuple[str | None, str | None, str]:
    """(item id, job id still making it, job title) that 'it' means, newest turn first:
    an attached item, else what the last turn not undone acted on or made."""
    for msg in reversed(msgs):
        a = msg.applied
        if msg.role == "user":
            if "attached" in a:
                return a["attached"], None, ""
            continue
        if a.get("undone_at") is not None or not a.get("focus"):
            continue
        focus = a["focus"]
        if "item" in focus:
            return focus["item"], None, ""        # None: the item was deleted; 'it' is unclear
        try:
            job = get_job(lib, focus["job"])
        except NotFound:
            continue
        if job.state == "done" and job.outputs:
            return job.outputs[0], None, ""
        if not job.finished:
            return None, job.id, job.title
        if job.source_item_id:                    # failed or cancelled: back to what it started from
            return job.source_item_id, None, ""
    return None, None, ""


def pending_question(msgs: list[Message]) -> dict | None:
    """The intent an unanswered question is waiting to finish (only right after asking)."""
    for msg in reversed(msgs[:-1] if msgs and msgs[-1].role == "user" else msgs):
        if msg.role == "assistant":
            return msg.applied.get("pending")
    return None


def last_intent(msgs: list[Message]) -> dict | None:
    """The last change still in effect, for 'do the same to …'."""
    for msg in reversed(msgs):
        a = msg.applied
        if msg.role == "assistant" and a.get("effects") and a.get("undone_at") is None:
            intent = a.get("intent")
            if intent and intent.get("kind") in REPEATABLE:
                return intent
    return None


def undo_target(msgs: list[Message]) -> Message | None:
    """The newest turn whose changes are still in effect."""
    for msg in reversed(msgs):
        if msg.role == "assistant" and msg.applied.get("effects") and \
                msg.applied.get("undone_at") is None:
            return msg
    return None


def redo_target(msgs: list[Message]) -> tuple[Message | None, str]:
    """The most recently undone turn, unless something was changed after it was undone
    (a new change ends the redo chain, as in every editor). Returns (turn, why not)."""
    undone = [(m.applied["undone_at"], m) for m in msgs
              if m.role == "assistant" and m.applied.get("undone_at") is not None]
    if not undone:
        return None, "There is nothing of mine to redo in this conversation."
    at, msg = max(undone, key=lambda pair: pair[0])
    for n, later in enumerate(msgs):
        if n > at and later.role == "assistant" and later.applied.get("effects") and \
                later.applied.get("undone_at") is None:
            return None, "Nothing to redo: there have been other changes since that undo."
    return msg, ""
