"""What an operation changed: views refresh from this instead of resetting."""

from dataclasses import dataclass, field


@dataclass
class Changes:
    label: str = ""
    op_seq: int | None = None          # the operation-log entry, None for changes not logged
    undoable: bool = False
    sessions: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    session_contents: set[str] = field(default_factory=set)  # sessions whose item list changed
    jobs: set[str] = field(default_factory=set)        # generation jobs queued/progressed/ended
    artboards: set[str] = field(default_factory=set)   # boards whose name, state or elements changed
    created: list[str] = field(default_factory=list)   # ids made by the operation, in order
    kind: str = "do"                                   # do | undo | redo

    def touch(self, table: str, row_id: str) -> None:
        if table == "sessions":
            self.sessions.add(row_id)
        elif table == "items":
            self.items.add(row_id)
        elif table == "folders":
            self.folders.add(row_id)
        elif table == "jobs":
            self.jobs.add(row_id)
        elif table == "artboards":
            self.artboards.add(row_id)

    def touch_many(self, table: str, row_ids) -> None:
        target = {"sessions": self.sessions, "items": self.items, "folders": self.folders,
                  "jobs": self.jobs, "artboards": self.artboards}.get(table)
        if target is not None:
            target.update(row_ids)

    @property
    def empty(self) -> bool:
        return not (self.sessions or self.items or self.folders or self.session_contents
                    or self.jobs or self.artboards)

    def as_dict(self, max_ids: int | None = None) -> dict:
        def ids(values):
            values = sorted(values)
            return values if max_ids is None or len(values) <= max_ids else {"count": len(values)}

        return {
            "label": self.label,
            "op": self.op_seq,
            "kind": self.kind,
            "undoable": self.undoable,
            "sessions": ids(self.sessions),
            "items": ids(self.items),
            "folders": ids(self.folders),
            "session_contents": ids(self.session_contents),
            "artboards": ids(self.artboards),
            "created": ids(self.created) if max_ids and len(self.created) > max_ids else list(self.created),
        }
