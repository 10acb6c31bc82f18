"""An OpenAI-compatible chat endpoint as the agent's interpreter (OpenAI, Ollama,
llama.cpp server, LM Studio, vLLM): POST {base}/chat/completions with the actions as
tools; the model's tool calls become Intents (llm_tools.py) run by the same executor.

Short timeouts: a server that is down must not leave the panel waiting; the agent
then answers with the built-in interpreter and says so."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit


from ..core.errors import InvalidInput, StudioError
from ..settings import Settings
from .intents import Intent
from .llm_tools import TOOLS, intent_from_call

SYSTEM = (
    "You are the assistant of Session Studio, a desktop app holding generated images, videos, "
    "music and voiceovers in sessions. Carry out the user's instruction by calling the tools; "
    "refer to items the way the user does ('it', 'the second clip', '#3'). If the instruction "
    "is unclear, ask one short question instead of calling a tool. Reply briefly.")
MAX_HISTORY = 20


class LLMUnavailable(StudioError):
    """The server did not answer, or answered in a form that cannot be used."""


@dataclass
class LLMPlan:
    intents: list[Intent] = field(default_factory=list)
    text: str = ""                     # what the model said (a question, or a comment)


def api_base(url: str) -> str:
    """'http://localhost:11434' -> 'http://localhost:11434/v1' (Ollama and llama.cpp both
    serve /v1); a URL with a path is taken as given, as OpenAI clients do."""
    url = url.strip().rstrip("/")
    return url if urlsplit(url).path not in ("", "/") else url + "/v1"


class LLMClient:
    def __init__(self, base_url: str, model: str = "", api_key: str = "", *,
                 connect_timeout: float = 2.0, read_timeout: float = 60.0):
        if not base_url.strip():
            raise InvalidInput("The assistant server URL is empty.")
        self.base_url = api_base(base_url)
        self.model = model.strip()
        self.api_key = api_key.strip()
        self.timeout = (connect_timeout, read_timeout)

    @property
    def title(self) -> str:
        return self.model or "the assistant server"

    def complete(self, messages: list[dict]) -> dict:
        import httpx   # here, not at import: it costs ~0.15 s of every app start
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {"model": self.model, "messages": messages, "tools": TOOLS,
                "tool_choice": "auto", "temperature": 0}
        try:
            resp = httpx.post(f"{self.base_url}/chat/completions", json=body, headers=headers,
                              timeout=httpx.Timeout(self.timeout[1], connect=self.timeout[0]))
            resp.raise_for_status()
            return resp.json()
        except httpx.HTTPStatusError as exc:
            raise LLMUnavailable(f"it answered {exc.response.status_code}") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise LLMUnavailable(type(exc).__name__) from exc

    def interpret(self, text: str, *, history: list[tuple[str, str]], context: str) -> LLMPlan:
        """history: earlier (role, text) turns of this conversation, oldest first."""
        messages = [{"role": "system", "content": f"{SYSTEM}\n\n{context}"}]
        messages += [{"role": role, "content": said} for role, said in history[-MAX_HISTORY:]]
        messages.append({"role": "user", "content": text})
        data = self.complete(messages)
        try:
            message = data["choices"][0]["message"]
            calls = message.get("tool_calls") or []
            intents = [intent_from_call(c) for c in calls]
        except (KeyError, IndexError, TypeError, ValueError, InvalidInput) as exc:
            raise LLMUnavailable(f"its answer could not be read ({exc})") from exc
        for intent in intents:
            intent.text = text
        return LLMPlan(intents, (message.get("content") or "").strip())


def client_from_settings(settings: Settings) -> LLMClient | None:
    url = settings.get("agent_llm_base_url")
    if not url.strip():
        return None
    return LLMClient(url, settings.get("agent_llm_model"), settings.get("agent_llm_api_key"))
