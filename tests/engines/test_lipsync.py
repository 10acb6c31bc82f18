"""Lip sync and the loudness envelope, on real tiny files."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from sessionstudio.core.errors import StudioError
from sessionstudio.engines.builtin import motion
from sessionstudio.engines.builtin.motion_lipsync import find_mouth
from tests.engines.test_motion import FPS, H, W, assert_nothing_left, clip_facts
from tests.mediafactory import make_mp4, make_png, write_wav

RATE = 22050


def portrait(w: int = W, h: int = H) -> Image.Image:
    """A face in the middle of a blue-grey backdrop, with eyes and a closed mouth."""
    image = Image.new("RGB", (w, h), (70, 90, 120))
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.32, h * 0.1, w * 0.68, h * 0.9), fill=(225, 175, 140))
    for x in (0.42, 0.58):
        draw.ellipse((w * x - 3, h * 0.38 - 2, w * x + 3, h * 0.38 + 2), fill=(40, 30, 30))
    draw.line((w * 0.45, h * 0.7, w * 0.55, h * 0.7), fill=(150, 60, 60), width=2)
    return image


def voice(path, loud_until: float = 0.6, seconds: float = 1.5):
    """A tone (loud) up to loud_until seconds, then silence, to seconds."""
    t = np.arange(int(seconds * RATE)) / RATE
    samples = 0.5 * np.sin(2 * np.pi * 300 * t) * (t < loud_until)
    return write_wav(path, samples[None].astype(np.float32), RATE)


def region(frame, box):
    x0, y0, x1, y1 = box
    return np.asarray(frame, dtype=np.int16)[y0:y1, x0:x1]


def test_envelope_is_loud_then_exactly_zero(tmp_path):
    levels = motion.audio_envelope(voice(tmp_path / "v.wav"), FPS)
    assert levels.shape == (18,) and levels.dtype == np.float32
    assert (levels[:7] > 0.8).all() and levels.max() <= 1.0
    assert (levels[-8:] == 0).all()  # closes soon after the voice stops
    assert (np.diff(levels[7:]) <= 0).all()  # and closes smoothly


def test_envelope_of_silence_and_of_a_video_with_sound(tmp_path):
    silent = write_wav(tmp_path / "s.wav", np.zeros((1, RATE), np.float32), RATE)
    assert (motion.audio_envelope(silent, 24) == 0).all() and len(motion.audio_envelope(silent, 24)) == 24
    clip = make_mp4(tmp_path / "c.mp4", seconds=1.0, fps=FPS, with_audio=True)
    assert motion.audio_envelope(clip, FPS).mean() > 0.7
    with pytest.raises(StudioError):
        motion.audio_envelope(make_mp4(tmp_path / "mute.mp4", seconds=0.5), FPS)
    with pytest.raises(StudioError):
        motion.audio_envelope(silent, 0)


def test_find_mouth_lands_on_the_mouth():
    x0, y0, x1, y1 = find_mouth(portrait())
    assert x0 < W * 0.5 < x1 and y0 <= H * 0.7 + 2 and y1 >= H * 0.7 - 2
    assert x1 - x0 < W * 0.3 and y1 - y0 < H * 0.2


def test_lipsync_a_picture_opens_the_mouth_only_while_loud(tmp_path):
    face = portrait()
    face.save(tmp_path / "face.png")
    out = motion.lipsync(tmp_path / "face.png", voice(tmp_path / "v.wav"), tmp_path / "talk.mp4", fps=FPS)
    facts = clip_facts(out)
    assert len(facts.frames) == 18 and facts.fps == FPS and facts.size == (W, H)
    assert facts.duration == pytest.approx(1.5, abs=1 / FPS)
    assert facts.has_audio and facts.audio_seconds == pytest.approx(1.5, abs=1 / FPS)
    box = find_mouth(face)
    source = region(face, box)
    loud, silent = region(facts.frames[3], box), region(facts.frames[16], box)
    assert np.abs(loud - source).mean() > 20
    assert np.abs(silent - source).mean() < 3
    assert loud.mean() < source.mean() - 15  # a dark open mouth
    far = (0, 0, W, 30)  # the forehead and backdrop never move
    assert np.abs(region(facts.frames[3], far) - region(face, far)).mean() < 3


def test_lipsync_uses_a_given_mouth_box(tmp_path):
    face = make_png(tmp_path / "grad.png", w=W, h=H)  # no skin in it: the box decides
    out = motion.lipsync(face, voice(tmp_path / "v.wav"), tmp_path / "talk.mp4", fps=FPS, mouth_box=(20, 20, 60, 40))
    frames = clip_facts(out).frames
    source = np.asarray(Image.open(face).convert("RGB"), np.int16)
    assert np.abs(region(frames[3], (20, 20, 60, 40)) - region(source, (20, 20, 60, 40))).mean() > 20
    assert np.abs(region(frames[3], (90, 60, 160, 120)) - region(source, (90, 60, 160, 120))).mean() < 3
    with pytest.raises(StudioError, match="mouth box"):
        motion.lipsync(face, voice(tmp_path / "v.wav"), tmp_path / "bad.mp4", mouth_box=(100, 100, 200, 130))
    assert_nothing_left(tmp_path / "bad.mp4")


def test_lipsync_loops_a_clip_back_and_forth_to_the_audio_length(tmp_path):
    clip = make_mp4(tmp_path / "c.mp4", seconds=0.5, fps=FPS, w=W, h=H)  # 6 frames, grey 10 + 20 i
    silent = write_wav(tmp_path / "s.wav", np.zeros((1, int(1.5 * RATE)), np.float32), RATE)
    facts = clip_facts(motion.lipsync(clip, silent, tmp_path / "loop.mp4", fps=FPS))
    levels = [round((f[H // 2:, W // 2:].mean() - 10) / 20) for f in facts.frames]
    assert levels == [0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 4, 3]
    assert facts.has_audio


def test_lipsync_with_a_frame_source_uses_its_frames_undistorted(tmp_path):
    def frame_source(t: float) -> Image.Image:
        return Image.new("RGB", (W, H), (int(150 * t), 80, 120))

    facts = clip_facts(motion.lipsync(None, voice(tmp_path / "v.wav"), tmp_path / "gen.mp4", fps=FPS,
                                      frame_source=frame_source))
    assert len(facts.frames) == 18 and facts.has_audio
    for index, frame in enumerate(facts.frames):
        expected = np.array([int(150 * index / FPS), 80, 120])
        assert np.abs(frame.reshape(-1, 3).mean(axis=0) - expected).max() < 3
        assert frame.std(axis=(0, 1)).max() < 2  # flat: nothing drawn on it


@pytest.mark.parametrize("call", [
    lambda p: motion.lipsync(p / "face.png", p / "v.wav", p / "o.mp4", fps=0),
    lambda p: motion.lipsync(None, p / "v.wav", p / "o.mp4"),
    lambda p: motion.lipsync(p / "face.png", p / "face.png", p / "o.mp4"),
    lambda p: motion.lipsync(p / "missing.png", p / "v.wav", p / "o.mp4"),
])
def test_lipsync_rejects_bad_input(tmp_path, call):
    portrait().save(tmp_path / "face.png")
    voice(tmp_path / "v.wav")
    with pytest.raises(StudioError):
        call(tmp_path)
    assert_nothing_left(tmp_path / "o.mp4")
