"""Undoing and redoing what one assistant turn applied, effect by effect.

Reversal goes through the same library and job APIs as the change did (rename back,
restore, trash a job's outputs, cancel a job not finished yet); the library's own
undo stack is never popped, so 'undo that' touches the agent's change and nothing else."""

from ..core.errors import InvalidInput, NotFound
from ..jobs.queue import cancel_job, get_job, retry_job
from ..library import (get_items, rename_item, restore_items, set_favorite,
                       set_session_settings, trash_items)
from ..library.library import Library


class Reverser:
    def __init__(self, lib: Library, runner=None):
        self.lib, self.runner = lib, runner
        self.filters: list[str] | None = None     # the canvas filter, when it changed

    def undo(self, effect: dict) -> tuple[dict, str]:
        """(the effect with what was reversed recorded, a sentence saying it)."""
        return getattr(self, f"_undo_{effect['op']}")(dict(effect))

    def redo(self, effect: dict) -> tuple[dict, str]:
        return getattr(self, f"_redo_{effect['op']}")(dict(effect))

    def _names(self, ids: list[str]) -> str:
        items = get_items(self.lib, ids)
        names = [f"“{items[i].name}”" for i in ids if i in items]
        return ", ".join(names) or "the items"

    # -- instant changes -----------------------------------------------------------------
    def _undo_rename(self, e: dict) -> tuple[dict, str]:
        rename_item(self.lib, item_id=e["item"], name=e["old"])
        return e, f"renamed “{e['new']}” back to “{e['old']}”"

    def _redo_rename(self, e: dict) -> tuple[dict, str]:
        rename_item(self.lib, item_id=e["item"], name=e["new"])
        return e, f"renamed “{e['old']}” to “{e['new']}” again"

    def _undo_favorite(self, e: dict) -> tuple[dict, str]:
        for value in (True, False):
            ids = [i for i in e["items"] if bool(e["old"].get(i)) is value]
            if ids:
                set_favorite(self.lib, item_ids=ids, favorite=value)
        return e, f"put the favorite mark of {self._names(e['items'])} back as it was"

    def _redo_favorite(self, e: dict) -> tuple[dict, str]:
        set_favorite(self.lib, item_ids=e["items"], favorite=e["value"])
        word = "marked" if e["value"] else "unmarked"
        return e, f"{word} {self._names(e['items'])} as favorite again"

    def _undo_delete(self, e: dict) -> tuple[dict, str]:
        restore_items(self.lib, item_ids=e["items"])
        return e, f"brought {self._names(e['items'])} back from the trash"

    def _redo_delete(self, e: dict) -> tuple[dict, str]:
        trash_items(self.lib, item_ids=e["items"])
        return e, f"moved {self._names(e['items'])} to the trash again"

    def _undo_filter(self, e: dict) -> tuple[dict, str]:
        set_session_settings(self.lib, session_id=e["session"], filters=e["old"])
        self.filters = list(e["old"])
        return e, "put the canvas filter back"

    def _redo_filter(self, e: dict) -> tuple[dict, str]:
        set_session_settings(self.lib, session_id=e["session"], filters=e["new"])
        self.filters = list(e["new"])
        return e, "changed the canvas filter again"

    # -- jobs ------------------------------------------------------------------------------
    def _undo_job(self, e: dict) -> tuple[dict, str]:
        job = get_job(self.lib, e["job"])
        if not job.finished:
            try:
                if self.runner is not None:
                    self.runner.cancel(job.id)
                else:
                    cancel_job(self.lib, job.id)
                e["reversed"] = "cancelled"
                return e, f"cancelled “{job.title}”"
            except InvalidInput:        # it ended just now: fall through to its outputs
                job = get_job(self.lib, e["job"])
        if job.state == "done" and job.outputs:
            live = [i for i, item in get_items(self.lib, job.outputs).items()
                    if item.trashed_at is None]
            if live:
                trash_items(self.lib, item_ids=live)
            e["reversed"], e["trashed"] = "trashed", live
            return e, f"moved the result of “{job.title}” ({self._names(job.outputs)}) to the trash"
        e["reversed"] = "nothing"
        return e, f"“{job.title}” had made nothing ({job.state})"

    def _redo_job(self, e: dict) -> tuple[dict, str]:
        job = get_job(self.lib, e["job"])
        how = e.pop("reversed", "nothing")
        if how == "trashed" and e.get("trashed"):
            try:
                restore_items(self.lib, item_ids=e.pop("trashed"))
            except NotFound:
                return e, f"the result of “{job.title}” is gone for good"
            return e, f"brought the result of “{job.title}” back"
        if how == "cancelled" and job.state in ("cancelled", "interrupted", "failed"):
            retry_job(self.lib, job.id)
            if self.runner is not None:
                self.runner.wake()
            return e, f"queued “{job.title}” again"
        return e, f"“{job.title}” is {job.state}"
