"""The agent: conversations per session that act on plain instructions through the
library and job APIs, remember, and undo their own changes. Qt-free.

    from sessionstudio.agent import Agent
    reply = Agent(lib, registry).send(session_id, "generate an image of a red fox, 16:9")
"""

from .llm import LLMClient, LLMUnavailable, client_from_settings
from .session_agent import BUILTIN, Agent, Reply
from .store import Conversation, HistoryPage, Message

__all__ = ["Agent", "Reply", "BUILTIN", "LLMClient", "LLMUnavailable", "client_from_settings",
           "Conversation", "HistoryPage", "Message"]
