"""Conversations and their messages, per session, in the catalog (migration 007_agent).

Writes go through Library.write(..., undoable=False): talking to the agent is not a
change to the library, so it never lands on the Edit > Undo stack. What an assistant
turn applied (and how to reverse it) is kept as JSON in `messages.applied`."""

import json
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import NotFound
from ..core.ids import now_ms, uuid7
from ..library.journal import Tx
from ..library.library import Library

TITLE_LENGTH = 60


@dataclass
class Conversation:
    id: str
    session_id: str
    title: str
    created_at: int
    updated_at: int


@dataclass
class Message:
    id: str
    conversation_id: str
    role: str                      # user | assistant
    text: str
    applied: dict[str, Any] = field(default_factory=dict)
    created_at: int = 0


@dataclass
class HistoryPage:
    conversations: list[Conversation]
    has_more: bool                 # "Show more" below the list
    offset: int = 0


def _conversation(r) -> Conversation:
    return Conversation(r["id"], r["session_id"], r["title"], r["created_at"], r["updated_at"])


def _message(r) -> Message:
    return Message(r["id"], r["conversation_id"], r["role"], r["text"],
                   json.loads(r["applied"] or "{}"), r["created_at"])


def title_from(text: str) -> str:
    """A conversation is named after its first instruction, like chat apps do."""
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LENGTH else text[:TITLE_LENGTH - 1].rstrip() + "…"


def create_conversation(lib: Library, *, session_id: str, title: str = "") -> str:
    conv_id, now = uuid7(), now_ms()

    def op(tx: Tx) -> None:
        tx.conn.execute("INSERT INTO conversations (id, session_id, title, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)", [conv_id, session_id, title, now, now])
    lib.write("New conversation", op, undoable=False)
    return conv_id


def add_message(lib: Library, *, conversation_id: str, role: str, text: str,
                applied: dict[str, Any] | None = None) -> Message:
    msg = Message(uuid7(), conversation_id, role, text, dict(applied or {}), now_ms())

    def op(tx: Tx) -> None:
        row = tx.conn.execute("SELECT title FROM conversations WHERE id = ?",
                              [conversation_id]).fetchone()
        if row is None:
            raise NotFound(f"No conversation with id {conversation_id}")
        tx.conn.execute("INSERT INTO messages (id, conversation_id, role, text, applied, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        [msg.id, conversation_id, role, text, json.dumps(msg.applied),
                         msg.created_at])
        title = row[0] or (title_from(text) if role == "user" else "")
        tx.conn.execute("UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?",
                        [msg.created_at, title, conversation_id])
    lib.write("Agent message", op, undoable=False)
    return msg


def set_applied(lib: Library, message_id: str, applied: dict[str, Any]) -> None:
    """Mark an assistant turn undone or redone (its record of what it applied changes)."""
    def op(tx: Tx) -> None:
        tx.conn.execute("UPDATE messages SET applied = ? WHERE id = ?",
                        [json.dumps(applied), message_id])
    lib.write("Agent message", op, undoable=False)


def get_conversation(lib: Library, conversation_id: str) -> Conversation:
    rows = lib.query("SELECT * FROM conversations WHERE id = ?", [conversation_id])
    if not rows:
        raise NotFound(f"No conversation with id {conversation_id}")
    return _conversation(rows[0])


def find_conversation(lib: Library, ref: str) -> Conversation:
    """By id or unique id prefix (the CLI shows 8 characters)."""
    rows = lib.query("SELECT * FROM conversations WHERE id LIKE ? || '%' LIMIT 2", [ref])
    if len(rows) != 1:
        raise NotFound(f"No conversation matches '{ref}'." if not rows else
                       f"'{ref}' matches several conversations: give more characters.")
    return _conversation(rows[0])


def latest_conversation(lib: Library, session_id: str) -> Conversation | None:
    """The one the session was last talked in (or the newest empty one, after '+')."""
    rows = lib.query("SELECT * FROM conversations WHERE session_id = ? "
                     "ORDER BY updated_at DESC, rowid DESC LIMIT 1", [session_id])
    return _conversation(rows[0]) if rows else None


def messages(lib: Library, conversation_id: str) -> list[Message]:
    return [_message(r) for r in lib.query(
        "SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid",
        [conversation_id])]


def list_conversations(lib: Library, *, session_id: str, offset: int = 0,
                       limit: int = 20) -> HistoryPage:
    """A session's conversations that have messages, newest first, one page at a time.
    One extra row is read to know whether 'Show more' has anything to show."""
    rows = lib.query(
        "SELECT * FROM conversations c WHERE session_id = ? AND EXISTS "
        "(SELECT 1 FROM messages m WHERE m.conversation_id = c.id) "
        "ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
        [session_id, limit + 1, offset])
    return HistoryPage([_conversation(r) for r in rows[:limit]], len(rows) > limit, offset)
