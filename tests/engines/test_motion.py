"""The built-in engine's video effects on real, tiny MP4 files (160x120, 12 fps, 1-2 s)."""

from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from sessionstudio.core.errors import Cancelled, StudioError
from sessionstudio.engines.builtin import motion
from sessionstudio.engines.builtin.motion_track import phase_shift
from tests.mediafactory import make_mp4, make_png, make_wav

W, H, FPS = 160, 120, 12
DISC = (230, 30, 30)


def scene(w: int = W, h: int = H) -> Image.Image:
    """Sky, hills, a red disc at the centre and a face: texture for tracking, a disc to measure."""
    rows = np.linspace(0, 1, h)[:, None, None]
    sky = np.array([80, 140, 225]) * (1 - rows) + np.array([240, 210, 170]) * rows
    image = Image.fromarray(np.broadcast_to(sky, (h, w, 3)).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, h * 0.75), (w * 0.3, h * 0.55), (w * 0.6, h * 0.8), (w, h * 0.6), (w, h), (0, h)],
                 fill=(60, 130, 60))
    for i in range(9):
        x = (i * 29) % w
        draw.rectangle((x, h * 0.85, x + 4, h * 0.95), fill=(110, 70, 40))
    draw.ellipse((w * 0.44, h * 0.42, w * 0.56, h * 0.58), fill=DISC)
    draw.ellipse((w * 0.06, h * 0.1, w * 0.26, h * 0.5), fill=(224, 172, 140))  # a face, top left
    draw.line((w * 0.12, h * 0.4, w * 0.2, h * 0.4), fill=(150, 60, 60), width=2)
    return image


def write_clip(path: Path, frames: list, fps: int = FPS, tone_seconds: float = 0.0) -> Path:
    """An H.264 MP4 of the given RGB frames, with a 440 Hz tone of tone_seconds if any."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264" if "libx264" in av.codecs_available else "mpeg4", rate=fps)
        video.height, video.width = np.asarray(frames[0]).shape[:2]
        video.pix_fmt = "yuv420p"
        audio = container.add_stream("aac", rate=22050) if tone_seconds else None
        if audio is not None:
            audio.layout = "mono"
        for frame in frames:
            container.mux(video.encode(av.VideoFrame.from_ndarray(np.asarray(frame, np.uint8), format="rgb24")))
        container.mux(video.encode())
        if audio is not None:
            t = np.arange(int(tone_seconds * 22050)) / 22050
            samples = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None]
            for start in range(0, samples.shape[1], 1024):
                chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[:, start:start + 1024]),
                                                   format="fltp", layout="mono")
                chunk.sample_rate, chunk.pts = 22050, start
                container.mux(audio.encode(chunk))
            container.mux(audio.encode())
    return path


def panning_frames(count: int, speed: float = 2.0) -> list:
    """Frames of a wider scene whose content slides right by speed pixels per frame."""
    wide = scene(W + 80, H)
    return [np.asarray(wide.transform((W, H), Image.Transform.AFFINE, (1, 0, 40 - speed * i, 0, 1, 0),
                                      Image.Resampling.BICUBIC)) for i in range(count)]


def clip_facts(path: Path) -> SimpleNamespace:
    """What PyAV reads back from a written clip: every frame, rate, size, durations, audio."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        facts = SimpleNamespace(
            fps=float(video.average_rate), size=(video.width, video.height),
            duration=container.duration / av.time_base, codec=video.codec_context.name,
            has_audio=audio is not None,
            audio_seconds=float(audio.duration * audio.time_base) if audio is not None else None)
        facts.frames = [f.to_ndarray(format="rgb24").astype(np.int16) for f in container.decode(video)]
    return facts


def disc(frame: np.ndarray) -> tuple[int, float, float]:
    """Area and centroid (x, y) of the red disc."""
    r, g, b = frame[..., 0], frame[..., 1], frame[..., 2]
    ys, xs = np.nonzero((r > 170) & (g < 90) & (b < 90))
    return len(xs), float(xs.mean()), float(ys.mean())


class Cancel:
    """A cancelled() that says yes from its nth call on, counting calls."""

    def __init__(self, after: int) -> None:
        self.after, self.calls = after, 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.calls > self.after


def assert_nothing_left(out: Path) -> None:
    assert not out.exists()
    assert not out.with_suffix(".part.mp4").exists()
    assert list(out.parent.glob("*.part*")) == []


# --- image_to_video -----------------------------------------------------------------


def test_image_to_video_takes_whole_number_rates_of_any_type(tmp_path):
    out = motion.image_to_video(scene(), tmp_path / "kb.mp4", duration=0.5, fps=np.int64(12))
    assert len(clip_facts(out).frames) == 6
    out = motion.image_to_video(scene(), tmp_path / "kb2.mp4", duration=0.5, fps=12.0)
    assert clip_facts(out).fps == 12


def test_image_to_video_length_rate_size_and_codec(tmp_path):
    out = motion.image_to_video(scene(), tmp_path / "kb.mp4", duration=1.5, fps=FPS)
    facts = clip_facts(out)
    assert out == tmp_path / "kb.mp4" and len(facts.frames) == 18
    assert facts.fps == FPS and facts.size == (W, H) and facts.duration == pytest.approx(1.5, abs=1 / FPS)
    assert facts.codec in ("libx264", "h264", "mpeg4") and not facts.has_audio


def test_image_to_video_caps_the_long_side_and_rounds_to_even(tmp_path):
    out = motion.image_to_video(scene(321, 181), tmp_path / "kb.mp4", duration=0.5, fps=FPS, long_side=100)
    assert clip_facts(out).size == (100, 56)
    out = motion.image_to_video(scene(161, 121).convert("RGBA"), tmp_path / "odd.mp4", duration=0.5, fps=FPS)
    assert clip_facts(out).size == (160, 120)


@pytest.mark.parametrize("direction, grows", [("in", True), ("out", False)])
def test_zoom_changes_the_centre_disc_size(tmp_path, direction, grows):
    frames = clip_facts(motion.image_to_video(scene(), tmp_path / "z.mp4", duration=1, fps=FPS,
                                              direction=direction, strength=0.3)).frames
    first, last = disc(frames[0]), disc(frames[-1])
    ratio = last[0] / first[0] if grows else first[0] / last[0]
    assert ratio == pytest.approx(1.3**2, rel=0.15)  # area scales with the square of the zoom
    assert abs(last[1] - first[1]) < 1.5 and abs(last[2] - first[2]) < 1.5  # about the centre


@pytest.mark.parametrize("direction, axis, sign", [("left", 1, 1), ("right", 1, -1), ("up", 2, 1), ("down", 2, -1)])
def test_pans_move_the_content_against_the_camera(tmp_path, direction, axis, sign):
    frames = clip_facts(motion.image_to_video(scene(), tmp_path / "p.mp4", duration=1, fps=FPS,
                                              direction=direction, strength=0.2)).frames
    centres = [disc(f)[axis] for f in frames]
    assert sign * (centres[-1] - centres[0]) > 5
    steps = sign * np.diff(centres)
    assert (steps > -0.6).all()  # steady: no frame jumps back
    assert steps[len(steps) // 2] > steps[0]  # eased: slow start, faster middle
    grey = [f.mean(axis=2) for f in (frames[0], frames[-1])]
    shift = phase_shift(grey[0].astype(np.float32), grey[1].astype(np.float32))
    assert sign * shift[axis - 1] > 5  # the global estimate agrees with the disc


@pytest.mark.parametrize("kwargs", [{"direction": "sideways"}, {"duration": 0}, {"duration": 61},
                                    {"fps": 0}, {"fps": 61}, {"fps": 12.5}, {"fps": "12"}, {"strength": 0}, {"strength": 2}])
def test_image_to_video_rejects_bad_parameters(tmp_path, kwargs):
    with pytest.raises(StudioError):
        motion.image_to_video(scene(), tmp_path / "bad.mp4", **kwargs)
    assert_nothing_left(tmp_path / "bad.mp4")


def test_progress_is_reported_often_and_ends_at_one(tmp_path):
    reports = []
    motion.image_to_video(scene(), tmp_path / "kb.mp4", duration=4, fps=FPS,
                          progress=lambda fraction, message: reports.append((fraction, message)))
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert max(np.diff(fractions)) <= 0.05 + 1 / 48
    assert all(isinstance(m, str) and m for _, m in reports)


# --- cancellation and failure ---------------------------------------------------------


def _runs(tmp_path):
    clip = write_clip(tmp_path / "src.mp4", panning_frames(12), tone_seconds=1.0)
    wav = make_wav(tmp_path / "voice.wav", seconds=1.0)
    return {
        "image_to_video": lambda out, **kw: motion.image_to_video(scene(), out, duration=1, fps=FPS, **kw),
        "restyle": lambda out, **kw: motion.restyle_video(clip, out, style="neon", seed=1, **kw),
        "extend": lambda out, **kw: motion.extend_video(clip, out, seconds=1, **kw),
        "edit": lambda out, **kw: motion.edit_video(clip, out, frame_fn=lambda im: im, **kw),
        "upscale": lambda out, **kw: motion.upscale_video(clip, out, factor=2, **kw),
        "lipsync": lambda out, **kw: motion.lipsync(clip, wav, out, fps=FPS, **kw),
    }


def test_cancelling_raises_and_leaves_no_file(tmp_path):
    for name, run in _runs(tmp_path).items():
        out = tmp_path / f"{name}.mp4"
        cancel = Cancel(after=4)
        with pytest.raises(Cancelled, match="Cancelled"):
            run(out, cancelled=cancel)
        assert cancel.calls == 5, name  # checked on every frame, stopped at once
        assert_nothing_left(out)


def test_a_failing_frame_function_leaves_no_file(tmp_path):
    clip = write_clip(tmp_path / "src.mp4", panning_frames(6))

    def explode(image):
        raise ValueError("boom")

    with pytest.raises(ValueError):
        motion.edit_video(clip, tmp_path / "out.mp4", frame_fn=explode)
    assert_nothing_left(tmp_path / "out.mp4")


def test_an_existing_out_is_only_replaced_by_a_complete_clip(tmp_path):
    out = tmp_path / "kb.mp4"
    out.write_bytes(b"old")
    with pytest.raises(Cancelled):
        motion.image_to_video(scene(), out, duration=1, fps=FPS, cancelled=Cancel(after=2))
    assert out.read_bytes() == b"old"
    motion.image_to_video(scene(), out, duration=1, fps=FPS)
    assert len(clip_facts(out).frames) == FPS


# --- restyle, edit, upscale -------------------------------------------------------------


@pytest.mark.parametrize("style", motion.VIDEO_STYLES)
def test_restyle_keeps_timing_and_sound_and_is_steady(tmp_path, style):
    still = np.asarray(scene())
    clip = write_clip(tmp_path / "still.mp4", [still] * 12, tone_seconds=1.0)
    out = motion.restyle_video(clip, tmp_path / "styled.mp4", style=style, seed=5)
    facts = clip_facts(out)
    assert len(facts.frames) == 12 and facts.fps == FPS and facts.size == (W, H)
    assert facts.has_audio and facts.audio_seconds == pytest.approx(1.0, abs=0.01)
    assert np.abs(facts.frames[0] - still).mean() > 8  # it does change the look
    # A still source stays still: no per-frame noise or per-frame normalising.
    assert np.abs(facts.frames[-1] - facts.frames[1]).mean() < 1.5


def test_restyle_is_deterministic_for_a_seed_and_rejects_unknown_styles(tmp_path):
    clip = write_clip(tmp_path / "src.mp4", panning_frames(4))
    a = clip_facts(motion.restyle_video(clip, tmp_path / "a.mp4", style="painting", seed=7)).frames
    b = clip_facts(motion.restyle_video(clip, tmp_path / "b.mp4", style="painting", seed=7)).frames
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    with pytest.raises(StudioError, match="style"):
        motion.restyle_video(clip, tmp_path / "c.mp4", style="watercolour", seed=1)


def test_edit_video_applies_the_edit_and_keeps_sound(tmp_path):
    clip = write_clip(tmp_path / "src.mp4", panning_frames(12), tone_seconds=1.0)
    out = motion.edit_video(clip, tmp_path / "grey.mp4", frame_fn=lambda im: im.convert("L").convert("RGB"))
    facts = clip_facts(out)
    assert len(facts.frames) == 12 and facts.has_audio
    for frame in facts.frames:
        assert np.abs(frame[..., 0] - frame[..., 1]).max() <= 3 and np.abs(frame[..., 1] - frame[..., 2]).max() <= 3


def test_edit_video_size_follows_the_first_edited_frame(tmp_path):
    clip = make_mp4(tmp_path / "src.mp4", seconds=0.5, fps=FPS, w=W, h=H)
    out = motion.edit_video(clip, tmp_path / "crop.mp4", frame_fn=lambda im: im.crop((0, 0, 81, 61)))
    facts = clip_facts(out)
    assert facts.size == (80, 60) and len(facts.frames) == 6
    assert facts.frames[0][:20, :30].mean() > 240  # make_mp4's white corner marker survived the crop


def test_upscale_doubles_and_refuses_too_big(tmp_path):
    clip = write_clip(tmp_path / "src.mp4", panning_frames(6), tone_seconds=0.5)
    facts = clip_facts(motion.upscale_video(clip, tmp_path / "up.mp4", factor=2))
    assert facts.size == (2 * W, 2 * H) and len(facts.frames) == 6 and facts.has_audio
    with pytest.raises(StudioError):
        motion.upscale_video(clip, tmp_path / "x3.mp4", factor=3)
    wide = write_clip(tmp_path / "wide.mp4", [np.zeros((64, 1000, 3), np.uint8)] * 2)
    with pytest.raises(StudioError, match="3840"):
        motion.upscale_video(wide, tmp_path / "big.mp4", factor=4)
    assert_nothing_left(tmp_path / "big.mp4")


# --- extend -----------------------------------------------------------------------------


def test_extend_adds_seconds_keeps_the_start_and_carries_the_move_on(tmp_path):
    source = panning_frames(12)
    clip = write_clip(tmp_path / "src.mp4", source, tone_seconds=1.0)
    facts = clip_facts(motion.extend_video(clip, tmp_path / "ext.mp4", seconds=1.0))
    assert len(facts.frames) == 24 and facts.duration == pytest.approx(2.0, abs=1 / FPS)
    assert facts.has_audio and facts.audio_seconds == pytest.approx(2.0, abs=0.05)
    for made, original in zip(facts.frames[:12], clip_facts(clip).frames):
        assert np.abs(made - original).mean() < 2  # the same frames, re-encoded once
    xs = [disc(f)[1] for f in facts.frames[11:]]
    steps = np.diff(xs)
    assert steps[0] > 1.0  # keeps moving right as the clip did (2 px a frame)...
    assert (steps > -0.3).all() and xs[-1] - xs[-4] < 0.4 * (xs[3] - xs[0])  # ...and eases to a stop
    assert xs[-1] - xs[0] > 6


def test_extend_a_still_clip_holds_the_last_frame(tmp_path):
    clip = make_mp4(tmp_path / "src.mp4", seconds=0.5, fps=FPS, w=W, h=H, with_audio=True)
    facts = clip_facts(motion.extend_video(clip, tmp_path / "ext.mp4", seconds=0.5))
    assert len(facts.frames) == 12 and facts.has_audio
    assert np.abs(facts.frames[-1] - facts.frames[5]).mean() < 2
    with pytest.raises(StudioError):
        motion.extend_video(clip, tmp_path / "none.mp4", seconds=0)


def test_phase_shift_reports_where_the_content_went():
    rng = np.random.default_rng(1)
    base = rng.uniform(0, 255, (64, 80)).astype(np.float32)
    moved = np.roll(base, (3, -5), axis=(0, 1))  # content down 3, left 5
    dx, dy, peak = phase_shift(base, moved)
    assert (round(dx), round(dy)) == (-5, 3) and peak > 0.3


# --- frame_at, video_stats ------------------------------------------------------------------


def test_frame_at_first_middle_and_last(tmp_path):
    clip = make_mp4(tmp_path / "src.mp4", seconds=1.0, fps=FPS, w=W, h=H)  # frame i is grey 10 + 20 i
    level = lambda image: np.asarray(image)[H // 2:, W // 2:].mean()  # noqa: E731 - away from the marker
    assert level(motion.frame_at(clip, 0.0)) == pytest.approx(10, abs=4)
    assert level(motion.frame_at(clip, 5 / FPS)) == pytest.approx(110, abs=4)
    assert level(motion.frame_at(clip, 5.7 / FPS)) == pytest.approx(110, abs=4)  # still showing frame 5
    assert level(motion.frame_at(clip)) == pytest.approx(230, abs=4)
    assert level(motion.frame_at(clip, 99.0)) == pytest.approx(230, abs=4)
    assert motion.frame_at(clip).size == (W, H)


def test_video_stats(tmp_path):
    grey = motion.video_stats(make_mp4(tmp_path / "grey.mp4", seconds=1.0, fps=FPS, w=W, h=H))
    assert grey["duration"] == pytest.approx(1.0, abs=0.05) and grey["fps"] == FPS
    assert grey["saturation"] < 0.05 and grey["motion"] > 0.05  # brightening by 20 levels a frame
    assert (grey["width"], grey["height"]) == (W, H)
    still = motion.video_stats(write_clip(tmp_path / "still.mp4", [np.asarray(scene())] * 6))
    assert still["motion"] < 0.01 and still["saturation"] > 0.2
    r, g, b = still["mean_color"]
    assert b > r  # mostly sky
    assert 0 < still["brightness"] < 1


def test_not_a_video_is_a_studio_error(tmp_path):
    png = make_png(tmp_path / "a.png")
    with pytest.raises(StudioError):
        motion.restyle_video(png, tmp_path / "out.mp4", style="sketch", seed=1)
    with pytest.raises(StudioError):
        motion.frame_at(tmp_path / "missing.mp4")
    assert_nothing_left(tmp_path / "out.mp4")
