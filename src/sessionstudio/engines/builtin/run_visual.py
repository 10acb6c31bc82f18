"""Built-in actions that make pictures and clips: each handler turns a Request into files
in the job's scratch dir and says what to record about them (settings, start/end frames)."""

from pathlib import Path

from PIL import Image, ImageFilter

from ..protocol import InputFile, Output, Request, RunContext
from . import image_edits, motion, picture, portrait

MODEL = "builtin-procedural"


def _open(f: InputFile) -> Image.Image:
    with Image.open(f.path) as im:
        im.load()
        return im.copy()


def _save(img: Image.Image, ctx: RunContext, name: str) -> Path:
    path = ctx.scratch / f"{name}.png"
    img.save(path, optimize=False, compress_level=4)   # compress_level 4: fast, still small
    return path


def _frames(ctx: RunContext, video: Path, start: Image.Image | None = None) -> list[tuple[str, Path]]:
    """Start and end frames, shown in the viewer and recorded as the video's inputs."""
    first = start if start is not None else motion.frame_at(video, 0.0)
    return [("start_frame", _save(first, ctx, "start")),
            ("end_frame", _save(motion.frame_at(video, None), ctx, "end"))]


def _cb(ctx: RunContext, lo: float = 0.0, hi: float = 1.0):
    return dict(progress=lambda f, m="": ctx.progress(lo + (hi - lo) * f, m),
                cancelled=ctx.cancelled)


def _picture(req: Request, long_side: int) -> Image.Image:
    quality = req.params.get("quality", "standard")
    side = long_side // 2 if quality == "draft" else long_side
    img = picture.generate_image(req.prompt, aspect=req.params.get("aspect", "1:1"),
                                 long_side=side, style=req.params.get("style", "auto"),
                                 seed=req.seed)
    if quality == "draft":
        img = img.resize(picture.size_for(req.params.get("aspect", "1:1"), long_side),
                         Image.Resampling.LANCZOS)
    elif quality == "high":
        img = img.filter(ImageFilter.UnsharpMask(radius=1.2, percent=60, threshold=2))
    return img


def generate_image(req: Request, ctx: RunContext) -> list[Output]:
    ctx.progress(0.05, "Composing the picture")
    img = _picture(req, int(req.params.get("resolution", "1024")))
    ctx.progress(0.9, "Saving")
    return [Output(_save(img, ctx, "image"), "image", settings={"model": MODEL})]


def generate_video(req: Request, ctx: RunContext) -> list[Output]:
    ctx.progress(0.02, "Composing the first frame")
    still = picture.generate_image(req.prompt, aspect=req.params["aspect"], long_side=1280,
                                   style=req.params["style"], seed=req.seed)
    out = ctx.scratch / "video.mp4"
    _animate(still, out, req, ctx, lo=0.1)
    return [Output(out, "video", settings={"model": MODEL}, frames=_frames(ctx, out, still))]


def _animate(still: Image.Image, out: Path, req: Request, ctx: RunContext, lo: float = 0.0) -> None:
    motion.image_to_video(still, out, duration=req.params["duration"], fps=req.params["fps"],
                          direction=req.params["direction"], strength=req.params["strength"],
                          **_cb(ctx, lo, 0.97))


def _parse(req: Request, ctx: RunContext):
    """The edits understood; what was not understood is reported and recorded, not dropped
    silently (nothing understood at all is an error listing what is)."""
    edits = image_edits.parse_instruction(req.prompt)
    _, leftovers = image_edits.parse_with_leftovers(req.prompt)
    note = {"edits": image_edits.describe(edits)}
    if leftovers:
        note["not_understood"] = leftovers if isinstance(leftovers, str) else ", ".join(leftovers)
        ctx.progress(0.1, f"Ignoring what I did not understand: {note['not_understood']}")
    return edits, note


def edit_image(req: Request, ctx: RunContext) -> list[Output]:
    edits, note = _parse(req, ctx)
    ctx.progress(0.2, "Editing: " + image_edits.describe(edits))
    img = image_edits.apply_edits(_open(req.source), edits)
    return [Output(_save(img, ctx, "edited"), "image", name=_derived(req, "edited"),
                   settings={**note, "model": MODEL})]


def upscale_image(req: Request, ctx: RunContext) -> list[Output]:
    factor = int(req.params["factor"])
    ctx.progress(0.1, f"Upscaling {factor}×")
    img = portrait.upscale_image(_open(req.source), factor)
    ctx.progress(0.8, "Saving")
    return [Output(_save(img, ctx, "upscaled"), "image", name=_derived(req, f"{factor}×"),
                   settings={"model": MODEL})]


def image_to_video(req: Request, ctx: RunContext) -> list[Output]:
    still = _open(req.source)
    out = ctx.scratch / "video.mp4"
    _animate(still, out, req, ctx)
    return [Output(out, "video", name=_derived(req, "video"), settings={"model": MODEL},
                   frames=_frames(ctx, out))]


def avatar(req: Request, ctx: RunContext) -> list[Output]:
    ctx.progress(0.1, "Finding the face")
    source = _open(req.source) if req.kind == "image" else motion.frame_at(req.source.path, 0.0)
    img = portrait.avatar_image(source, style=req.params["style"], seed=req.seed)
    return [Output(_save(img, ctx, "avatar"), "image", name=_derived(req, "avatar"),
                   settings={"model": MODEL})]


def edit_video(req: Request, ctx: RunContext) -> list[Output]:
    edits, note = _parse(req, ctx)
    out = ctx.scratch / "edited.mp4"
    motion.edit_video(req.source.path, out, frame_fn=lambda im: image_edits.apply_edits(im, edits),
                      **_cb(ctx, 0, 0.97))
    return [Output(out, "video", name=_derived(req, "edited"), frames=_frames(ctx, out),
                   settings={**note, "model": MODEL, **_speech(req.source)})]


def upscale_video(req: Request, ctx: RunContext) -> list[Output]:
    factor = int(req.params["factor"])
    out = ctx.scratch / "upscaled.mp4"
    motion.upscale_video(req.source.path, out, factor=factor, **_cb(ctx, 0, 0.97))
    return [Output(out, "video", name=_derived(req, f"{factor}×"), frames=_frames(ctx, out),
                   settings={"model": MODEL, **_speech(req.source)})]


def restyle_video(req: Request, ctx: RunContext) -> list[Output]:
    out = ctx.scratch / "restyled.mp4"
    motion.restyle_video(req.source.path, out, style=req.params["style"], seed=req.seed,
                         **_cb(ctx, 0, 0.97))
    return [Output(out, "video", name=_derived(req, req.params["style"]), frames=_frames(ctx, out),
                   settings={"model": MODEL})]


def extend_video(req: Request, ctx: RunContext) -> list[Output]:
    out = ctx.scratch / "extended.mp4"
    motion.extend_video(req.source.path, out, seconds=req.params["seconds"], **_cb(ctx, 0, 0.97))
    return [Output(out, "video", name=_derived(req, "extended"), frames=_frames(ctx, out),
                   settings={"model": MODEL})]


def _speech(f: InputFile | None) -> dict:
    """What a clip says, carried along its lineage so Translate Video can re-voice it."""
    if f is None:
        return {}
    settings = f.recipe.get("settings") or {}
    if f.kind == "voiceover":
        return {"speech_text": f.prompt or settings.get("speech_text", ""),
                "speech_voice": {k: settings[k] for k in ("voice", "language", "accent", "emotion",
                                                          "speed", "effect") if k in settings}}
    return {k: settings[k] for k in ("speech_text", "speech_voice", "face_seed") if k in settings}


def _derived(req: Request, what: str) -> str:
    base = (req.source.name if req.source else "") or "Item"
    return f"{base} ({what})"[:120]


HANDLERS = {
    ("image", "generate"): generate_image,
    ("video", "generate"): generate_video,
    ("image", "edit"): edit_image,
    ("image", "upscale"): upscale_image,
    ("image", "image_to_video"): image_to_video,
    ("image", "avatar"): avatar,
    ("video", "edit"): edit_video,
    ("video", "upscale"): upscale_video,
    ("video", "video_to_video"): restyle_video,
    ("video", "extend"): extend_video,
    ("video", "avatar"): avatar,
}
