"""Built-in actions that make or use sound: music, voiceovers, music from a picture or a
clip, lip-sync, talking avatars, narrated videos and translated videos."""

from pathlib import Path

from PIL import Image

from ...core.errors import InvalidInput
from ..protocol import InputFile, Output, Request, RunContext
from . import motion, picture, portrait, speech
from . import music as music_mod
from .run_visual import MODEL, _cb, _derived, _frames, _speech

VOICE_KEYS = ("voice", "language", "accent", "emotion", "speed", "effect")


def generate_music(req: Request, ctx: RunContext) -> list[Output]:
    p = req.params
    out = ctx.scratch / "music.wav"
    music_mod.compose_music(out, prompt=req.prompt, genre=p["genre"], mood=p["mood"],
                            seconds=p["length"], tempo=p["tempo"] or None, theme=p["theme"],
                            lyrics=p["lyrics"], voice=p["voice"], seed=req.seed, **_cb(ctx, 0, 0.98))
    return [Output(out, "music", settings={"model": MODEL})]


def generate_voiceover(req: Request, ctx: RunContext) -> list[Output]:
    if not req.prompt.strip():
        raise InvalidInput("A voiceover needs the text to speak.")
    out = ctx.scratch / "voiceover.wav"
    speech.speak(req.prompt, out, **{k: req.params[k] for k in VOICE_KEYS}, **_cb(ctx, 0, 0.98))
    return [Output(out, "voiceover", settings={"model": "espeak-ng"})]


def music_from_media(req: Request, ctx: RunContext) -> list[Output]:
    ctx.progress(0.02, "Reading the mood")
    if req.kind == "image":
        with Image.open(req.source.path) as im:
            stats = music_mod.image_stats(im.convert("RGB"))
        motion_amount = 0.0
    else:
        vs = motion.video_stats(req.source.path)
        stats = {"mean_rgb": vs["mean_color"],
                 "brightness": vs["brightness"], "saturation": vs["saturation"]}
        motion_amount = vs["motion"]
    guess = music_mod.mood_from_colours(tuple(stats["mean_rgb"]), stats["brightness"],
                                        stats["saturation"], motion_amount)
    p = req.params
    genre = guess["genre"] if p["genre"] == "auto" else p["genre"]
    mood = guess["mood"] if p["mood"] == "auto" else p["mood"]
    out = ctx.scratch / "music.wav"
    music_mod.compose_music(out, prompt=req.source.prompt, genre=genre, mood=mood,
                            seconds=p["length"], tempo=guess.get("tempo"), lyrics=p["lyrics"],
                            voice=p["voice"], seed=req.seed, **_cb(ctx, 0.05, 0.98))
    return [Output(out, "music", name=_derived(req, "music"),
                   settings={"model": MODEL, "genre": genre, "mood": mood,
                             "tempo": guess.get("tempo"), "why": guess.get("why", "")})]


def lipsync(req: Request, ctx: RunContext) -> list[Output]:
    if req.kind == "video":
        visual, audio = req.source, _extra(req, ("music", "voiceover"), "a voiceover or track")
    else:
        visual, audio = _extra(req, ("image", "video"), "a picture or video"), req.source
    out = ctx.scratch / "lipsync.mp4"
    motion.lipsync(visual.path, audio.path, out, **_cb(ctx, 0, 0.97))
    return [Output(out, "video", name=_derived(req, "lip-sync"), frames=_frames(ctx, out),
                   settings={"model": MODEL, **_speech(audio)})]


def talking_avatar(req: Request, ctx: RunContext) -> list[Output]:
    out = ctx.scratch / "avatar.mp4"
    _talking_face(req.source.path, out, req.seed, ctx)
    return [Output(out, "video", name=_derived(req, "avatar"), frames=_frames(ctx, out),
                   settings={"model": MODEL, "face_seed": req.seed, **_speech(req.source)})]


def _talking_face(audio: Path, out: Path, seed: int, ctx: RunContext, fps: int = 24) -> None:
    rig = portrait.FaceRig(seed, 512)
    levels = motion.audio_envelope(audio, fps)
    last = len(levels) - 1

    def frame(t: float) -> Image.Image:
        return rig.frame(float(levels[max(0, min(last, int(t * fps)))]) if last >= 0 else 0.0)
    motion.lipsync(None, audio, out, fps=fps, frame_source=frame, **_cb(ctx, 0, 0.97))


def voice_to_video(req: Request, ctx: RunContext) -> list[Output]:
    """A narrated clip: a picture made from what is said, slowly moving, with the voice."""
    ctx.progress(0.02, "Picturing the words")
    still = picture.generate_image(req.source.prompt or req.source.name, aspect=req.params["aspect"],
                                   long_side=960, style=req.params["style"], seed=req.seed)
    seconds = max(1.0, _audio_seconds(req.source.path))
    silent = ctx.scratch / "silent.mp4"
    motion.image_to_video(still, silent, duration=min(60.0, seconds), fps=24, direction="in",
                          strength=0.12, **_cb(ctx, 0.05, 0.6))
    out = ctx.scratch / "narrated.mp4"
    frames = motion.iter_frames(silent)
    cache = {"t": -1.0, "img": None}

    def frame(t: float) -> Image.Image:
        # lipsync asks for frames in order: read the silent clip along with it.
        while cache["t"] < t:
            try:
                cache["img"] = next(frames)
            except StopIteration:
                break
            cache["t"] += 1 / 24
        return cache["img"]
    motion.lipsync(None, req.source.path, out, fps=24, frame_source=frame, **_cb(ctx, 0.6, 0.97))
    return [Output(out, "video", name=_derived(req, "video"), frames=_frames(ctx, out, still),
                   settings={"model": MODEL, **_speech(req.source)})]


def _audio_seconds(path: Path) -> float:
    from ...media import probe
    return (probe(path).duration_ms or 0) / 1000


def translate(req: Request, ctx: RunContext) -> list[Output]:
    settings = req.source.recipe.get("settings") or {}
    said = settings.get("speech_text", "")
    if not said:
        from . import TRANSLATE_NEEDS
        raise InvalidInput(TRANSLATE_NEEDS)
    language = req.params["language"]
    text = (req.params.get("text") or "").strip() or speech_translation(said, language)
    ctx.progress(0.05, f"Re-voicing in {speech.LANGUAGES.get(language, language)}")
    voice = {k: v for k, v in (settings.get("speech_voice") or {}).items() if k in VOICE_KEYS}
    voice.update(language=language, accent="")
    audio = ctx.scratch / "translated.wav"
    speech.speak(text, audio, **voice, **_cb(ctx, 0.05, 0.3))
    out = ctx.scratch / "translated.mp4"
    if "face_seed" in settings:
        _talking_face(audio, out, int(settings["face_seed"]), ctx)
    else:
        motion.lipsync(req.source.path, audio, out, **_cb(ctx, 0.3, 0.97))
    return [Output(out, "video", name=_derived(req, language), prompt=text,
                   frames=_frames(ctx, out),
                   settings={"model": MODEL, "speech_text": text, "translated_from": said,
                             "speech_voice": voice, **({"face_seed": settings["face_seed"]}
                                                      if "face_seed" in settings else {})})]


def speech_translation(text: str, language: str) -> str:
    from .phrasebook import translate_text
    done = translate_text(text, language)
    if done is None:
        raise InvalidInput(f"The built-in phrasebook cannot translate “{text[:80]}” into "
                           f"{speech.LANGUAGES.get(language, language)}: type the translation in "
                           "the text field, or use an engine with machine translation.")
    return done


def _extra(req: Request, kinds: tuple[str, ...], what: str) -> InputFile:
    found = next((e for e in req.extras if e.kind in kinds), None)
    if found is None:
        raise InvalidInput(f"Choose {what} to use.")
    return found


HANDLERS = {
    ("music", "generate"): generate_music,
    ("voiceover", "generate"): generate_voiceover,
    ("image", "music_from_media"): music_from_media,
    ("video", "music_from_media"): music_from_media,
    ("video", "lipsync"): lipsync,
    ("voiceover", "lipsync"): lipsync,
    ("voiceover", "avatar"): talking_avatar,
    ("voiceover", "voice_to_video"): voice_to_video,
    ("video", "translate"): translate,
}
