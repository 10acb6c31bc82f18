"""agent: talk to a session's agent from the command line, and list its conversations.

    sessionstudio agent SESSION "make the outro a bit longer" [--conversation ID] [--wait]
    sessionstudio agent history SESSION [--offset N] [--conversation ID]

One parser with a manual split (argparse cannot have a positional SESSION beside a
'history' subcommand): a first word 'history' followed by one more word lists that
session's conversations. A session named "history" is reached by its id."""

import argparse
import sqlite3
import time

from ..agent import Agent
from ..agent.store import find_conversation
from ..core.errors import InvalidInput
from ..engines.registry import load_registry
from ..jobs.queue import get_job
from ..jobs.runner import JobRunner
from .output import emit, when
from .refs import resolve_item, resolve_session


class _SessionOrHistory(argparse.Action):
    """'history' only reads: the command then opens the library read-only (it works
    beside the running app, which holds the writer lock)."""

    def __call__(self, parser, namespace, value, option_string=None):
        setattr(namespace, self.dest, value)
        if value == "history":
            namespace.writes = False


def agent_cmd(lib, args) -> int:
    if args.session == "history" and len(args.words) == 1:
        return _history(lib, args, args.words[0])
    if not args.words:
        raise InvalidInput("Say what to do: sessionstudio agent SESSION \"instruction\".")
    session_id = resolve_session(lib, args.session)
    reg = load_registry()
    runner = JobRunner(lib, reg, concurrency=1) if args.wait else None
    agent = Agent(lib, reg, runner)
    conversation = None
    if args.new:
        conversation = agent.new_conversation(session_id)
    elif args.conversation:
        conversation = find_conversation(lib, args.conversation).id
    reply = agent.send(session_id, " ".join(args.words), conversation_id=conversation,
                       attached=resolve_item(lib, args.item) if args.item else None)
    lines = [reply.text]
    if runner is not None and reply.jobs:
        runner.start()
        try:
            while not all(get_job(lib, j).finished for j in reply.jobs):
                time.sleep(0.1)
        finally:
            runner.stop()
        for job in (get_job(lib, j) for j in reply.jobs):
            lines.append(f"{job.state}: {job.title}" + (f" — {job.error}" if job.error else ""))
            lines += [f"  item {i}" for i in job.outputs]
    lines.append(f"(conversation {reply.conversation_id}, {reply.interpreter})")
    emit(args, reply, lines)
    return 0


def _history(lib, args, session_ref: str) -> int:
    session_id = resolve_session(lib, session_ref)
    agent = Agent(lib, load_registry(plugins=False), use_settings=False)
    try:
        if args.conversation:
            msgs = agent.messages(find_conversation(lib, args.conversation).id)
            emit(args, msgs, [f"{'you' if m.role == 'user' else 'agent'}: {m.text}" for m in msgs])
            return 0
        page = agent.history(session_id, offset=args.offset, limit=args.limit)
    except sqlite3.OperationalError:     # a library older than the agent, opened read-only
        emit(args, {"conversations": [], "has_more": False}, ["no conversations"])
        return 0
    # Full ids: UUIDv7 prefixes are timestamps, so conversations of one minute share them.
    lines = [f"{c.id}  {when(c.created_at)}  {c.title}" for c in page.conversations]
    if page.has_more:
        lines.append(f"… more: --offset {args.offset + args.limit}")
    emit(args, page, lines or ["no conversations"])
    return 0


def add_parsers(top, add) -> None:
    p = add(top, "agent", agent_cmd, "ask a session's agent to do something, or list its "
            "conversations (agent history SESSION)", writes=True)
    p.add_argument("session", action=_SessionOrHistory,
                   help="the session (or 'history', then the session)")
    p.add_argument("words", nargs="*", metavar="INSTRUCTION",
                   help="what to do, e.g. \"make the outro a bit longer\"")
    p.add_argument("--conversation", metavar="ID", help="continue this conversation (default: "
                   "the session's latest); with history: show its messages")
    p.add_argument("--new", action="store_true", help="start a new conversation")
    p.add_argument("--item", help="the item to talk about ('it'), like Use with AI Agent")
    p.add_argument("--wait", action="store_true", help="run the queued jobs now and wait")
    p.add_argument("--offset", type=int, default=0, help="history: skip this many (Show more)")
    p.add_argument("--limit", type=int, default=20, help="history: how many to list")
