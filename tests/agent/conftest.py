"""A session with a few real items of every kind, and an agent to talk to about it."""

from dataclasses import dataclass, field

import pytest

from sessionstudio import library as L
from sessionstudio.agent import Agent
from sessionstudio.engines.registry import load_registry
from tests.mediafactory import make_mp4, make_png, make_wav

# Recipes as the built-in engine records them, so Remix/Recreate have something to re-run.
MUSIC = {"genre": "jazz", "mood": "calm", "length": 30.0, "tempo": 0, "theme": "", "lyrics": "",
         "voice": "female"}
VOICE = {"voice": "female", "language": "en", "accent": "", "emotion": "neutral", "speed": 1.0,
         "effect": "none"}


@pytest.fixture(scope="session")
def reg():
    return load_registry()


@dataclass
class Studio:
    lib: L.Library
    agent: Agent
    sid: str
    ids: dict[str, str] = field(default_factory=dict)
    conversation: str | None = None

    def say(self, text: str, **kw):
        kw.setdefault("conversation_id", self.conversation)
        reply = self.agent.send(self.sid, text, **kw)
        self.conversation = reply.conversation_id
        return reply

    def item(self, name: str):
        return L.get_item(self.lib, self.ids[name])


@pytest.fixture
def studio(lib, reg, tmp_path):
    """#1 Dunes (image), #2 Intro, #3 Middle, #4 Outro (videos), #5 Song (music),
    #6 Narration (voiceover), #7 Sky (image), in that order of creation."""
    sid = L.create_session(lib, name="Trip").created[0]
    png, mp4, wav = make_png(tmp_path / "a.png"), make_mp4(tmp_path / "a.mp4"), make_wav(tmp_path / "a.wav")
    ids = {}
    for name, kind, src, extra in (
            ("Dunes", "image", png, {}), ("Intro", "video", mp4, {}), ("Middle", "video", mp4, {}),
            ("Outro", "video", mp4, {}),
            ("Song", "music", wav, dict(engine="builtin", action="generate", settings=MUSIC)),
            ("Narration", "voiceover", wav, dict(engine="builtin", action="generate",
                                                 prompt="Welcome to the show", settings=VOICE)),
            ("Sky", "image", png, {})):
        ids[name] = L.add_item(lib, session_id=sid, source=src, kind=kind, name=name,
                               **extra).created[0]
    return Studio(lib, Agent(lib, reg), sid, ids)
