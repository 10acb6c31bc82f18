"""The optional LLM interpreter against a small OpenAI-compatible server started here:
tool calls drive the same actions; an unreachable or broken server falls back to the
built-in interpreter, and the reply says so."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sessionstudio.agent import Agent, LLMClient
from sessionstudio.agent.llm import api_base
from sessionstudio.jobs.queue import get_job
from sessionstudio.settings import Settings


def call(tool: str, **arguments) -> dict:
    return {"id": f"call_{tool}", "type": "function",
            "function": {"name": tool, "arguments": json.dumps(arguments)}}


def completion(content: str = "", calls: list | None = None) -> dict:
    message = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = calls
    return {"id": "x", "object": "chat.completion", "model": "tiny",
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if calls else "stop"}]}


class ChatServer:
    """Answers POST /v1/chat/completions with the scripted answers, in order."""

    def __init__(self):
        self.answers: list = []
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "body": body,
                                        "auth": self.headers.get("Authorization")})
                answer = server.answers.pop(0)
                status, data = (answer if isinstance(answer, tuple) else (200, answer))
                raw = data.encode() if isinstance(data, str) else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = ChatServer()
    yield s
    s.close()


@pytest.fixture
def llm_studio(studio, server):
    studio.agent = Agent(studio.lib, studio.agent.registry, llm=LLMClient(server.url, "tiny", "k"))
    return studio


def test_tool_calls_drive_the_same_actions(llm_studio, server):
    s = llm_studio
    server.answers.append(completion(calls=[call("rename", item="the second clip", name="Beach")]))
    r = s.say("please call the second clip Beach")
    assert s.item("Middle").name == "Beach" and r.interpreter == "tiny" and not r.note
    assert r.text == "Renamed #3 “Middle” to “Beach”."
    sent = server.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer k"
    assert {t["function"]["name"] for t in sent["body"]["tools"]} >= {
        "generate", "use_action", "rename", "favorite", "delete", "filter", "undo", "redo"}
    assert "#3 “Middle”: video" in sent["body"]["messages"][0]["content"]

    server.answers.append(completion(calls=[call("generate", kind="image", prompt="a red fox",
                                                 settings={"aspect": "16:9"})]))
    r = s.say("a red fox picture, widescreen")
    job = get_job(s.lib, r.jobs[0])
    assert (job.prompt, job.params["aspect"]) == ("a red fox", "16:9")
    history = server.requests[1]["body"]["messages"]
    assert [m["role"] for m in history] == ["system", "user", "assistant", "user"]

    server.answers.append(completion(calls=[call("use_action", item="the outro", action="extend",
                                                 settings={"seconds": 3})]))
    job = get_job(s.lib, s.say("lengthen the outro by three seconds").jobs[0])
    assert (job.action, job.params["seconds"], job.source_item_id) == ("extend", 3.0, s.ids["Outro"])

    server.answers.append(completion(calls=[call("undo")]))
    s.say("undo that")
    assert get_job(s.lib, job.id).state == "cancelled" and s.item("Middle").name == "Beach"
    server.answers.append(completion(calls=[call("filter", kinds=["video"]),
                                            call("favorite", item="#1")]))
    r = s.say("only videos, and star the first one")
    assert r.filters == ["video"] and s.item("Intro").favorite


def test_a_question_from_the_model_is_passed_on(llm_studio, server):
    server.answers.append(completion("Which clip do you mean: the intro or the outro?"))
    r = llm_studio.say("make the clip longer")
    assert r.question and r.text.startswith("Which clip") and not r.applied["effects"]


@pytest.mark.parametrize("answer", [(500, {"error": "boom"}), (200, "not json"),
                                    (200, {"choices": []}),
                                    (200, completion(calls=[call("explode", item="it")]))])
def test_a_broken_answer_falls_back_to_the_built_in_interpreter(llm_studio, server, answer):
    server.answers.append(answer)
    r = llm_studio.say("rename the first image to Desert")
    assert llm_studio.item("Dunes").name == "Desert"
    assert r.interpreter == "Built-in assistant" and "I used the built-in interpreter" in r.note
    assert r.text.startswith("The assistant server at")


def test_an_unreachable_server_falls_back_and_says_so(studio):
    with socket.socket() as sock:                               # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    Settings(studio.lib.paths.settings_path).set("agent_llm_base_url", f"http://127.0.0.1:{port}")
    Settings(studio.lib.paths.settings_path).set("agent_llm_model", "llama3")
    assert studio.agent.interpreter_name() == "llama3"         # read from settings
    r = studio.say("favorite the last image")
    assert studio.item("Sky").favorite
    assert r.note == (f"The assistant server at http://127.0.0.1:{port}/v1 did not answer "
                      f"(ConnectError); I used the built-in interpreter.")
    assert r.applied["interpreter"] == "Built-in assistant"


def test_base_url_forms():
    assert api_base("http://localhost:11434") == "http://localhost:11434/v1"
    assert api_base("http://localhost:8080/v1/") == "http://localhost:8080/v1"
    assert api_base("https://api.example.com/openai/v1") == "https://api.example.com/openai/v1"
