"""The video half of the built-in offline engine: pure functions over files (no Qt).

image_to_video (pan/zoom), restyle_video, extend_video, edit_video,
upscale_video and lipsync write MP4 files; frame_at, video_stats and
audio_envelope read. Long functions take progress(fraction, message) and
cancelled() callbacks: cancelled() is checked on every frame and raises
Cancelled, and nothing is ever left at `out` unless the clip is complete.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from sessionstudio.core.errors import InvalidInput, MediaError
from sessionstudio.engines.builtin.motion_io import (
    ClipFacts,
    ClipWriter,
    IsCancelled,
    Progress,
    Ticker,
    capped_size,
    check_fps,
    fit_audio,
    iter_decoded,
    iter_frames,
    never_cancelled,
    no_progress,
    read_audio,
    upright,
)
from sessionstudio.engines.builtin.motion_lipsync import audio_envelope, flatten, lipsync
from sessionstudio.engines.builtin.motion_styles import VIDEO_STYLES, make_styler
from sessionstudio.engines.builtin.motion_track import carry_on, estimate_motion
from sessionstudio.media.audio import AV_FAILURES, duration_seconds, open_container
from sessionstudio.media.video import picture_stream

__all__ = [
    "DIRECTIONS", "VIDEO_STYLES", "audio_envelope", "edit_video", "extend_video", "frame_at",
    "image_to_video", "lipsync", "restyle_video", "upscale_video", "video_stats",
]

DIRECTIONS = ("in", "out", "left", "right", "up", "down")
MAX_SECONDS = 60.0
DEFAULT_LONG_SIDE = 1280
MAX_UPSCALED_SIDE = 3840


def _ease(u: float) -> float:
    """Cosine ease-in-out: the move starts and stops gently."""
    return 0.5 - 0.5 * math.cos(math.pi * min(1.0, max(0.0, u)))


def image_to_video(image: Image.Image, out: Path, *, duration: float = 4.0, fps: int = 24, direction: str = "in",
                   strength: float = 0.15, long_side: int | None = None,
                   progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled) -> Path:
    """A pan/zoom (Ken Burns) clip of a still picture.

    "in"/"out" zoom by (1 + strength) about the centre; "left"/"right"/"up"/
    "down" move the camera that way over a picture held at (1 + strength)
    zoom, so the content slides the opposite way (camera "left": content
    moves right). Each frame is an affine resample of the source, so the
    motion is subpixel-smooth. The size is the picture's, with its long side
    capped at long_side (default 1280), rounded to even.
    """
    fps = check_fps(fps)
    if not 0 < duration <= MAX_SECONDS:
        raise InvalidInput(f"Duration must be more than 0 and at most {MAX_SECONDS:g} seconds, not {duration}")
    if direction not in DIRECTIONS:
        raise InvalidInput(f"Unknown direction {direction!r}; choose one of: {', '.join(DIRECTIONS)}")
    if not 0 < strength <= 1:
        raise InvalidInput(f"Strength must be more than 0 and at most 1, not {strength}")
    if long_side is not None and long_side < 16:
        raise InvalidInput(f"The long side must be at least 16 pixels, not {long_side}")
    source = flatten(image)
    size = capped_size(*source.size, long_side or DEFAULT_LONG_SIDE)
    # Resample from a copy just big enough for the closest zoom: transform() does not
    # antialias when shrinking, and a smaller source makes every frame cheaper.
    work = min(1.0, max(size) * (1 + strength) / max(source.size))
    if work < 1.0:
        source = source.resize((round(source.width * work), round(source.height * work)), Image.Resampling.LANCZOS)
    w, h = source.size
    near = 1 + strength
    frames = max(1, round(duration * fps))
    ticker = Ticker(progress, cancelled, frames, "Animating the picture")
    with ClipWriter(out, fps) as writer:
        for index in range(frames):
            ticker.step(index)
            e = _ease(index / (frames - 1)) if frames > 1 else 0.0
            cx, cy, zoom = w / 2, h / 2, near
            if direction in ("in", "out"):
                zoom = near**e if direction == "in" else near ** (1 - e)  # geometric: steady apparent speed
            else:
                slack_x, slack_y = w * (1 - 1 / near) / 2, h * (1 - 1 / near) / 2
                sign = 1 - 2 * e  # +1 at the start, -1 at the end
                cx += {"left": sign, "right": -sign}.get(direction, 0.0) * slack_x
                cy += {"up": sign, "down": -sign}.get(direction, 0.0) * slack_y
            kx, ky = w / (zoom * size[0]), h / (zoom * size[1])
            data = (kx, 0, cx - kx * size[0] / 2, 0, ky, cy - ky * size[1] / 2)
            writer.write(source.transform(size, Image.Transform.AFFINE, data, Image.Resampling.BICUBIC))
    progress(1.0, "Done")
    return Path(out)


def _map_frames(src: Path, out: Path, fn: Callable[[Image.Image], Image.Image], message: str,
                progress: Progress, cancelled: IsCancelled) -> Path:
    """Every frame of src through fn into out, at src's frame rate, with src's audio."""
    src = Path(src)
    facts = ClipFacts(src)
    audio = read_audio(src) if facts.has_audio else None
    ticker = Ticker(progress, cancelled, facts.frames, message)
    with ClipWriter(out, facts.fps, audio) as writer:
        for index, frame in enumerate(iter_frames(src)):
            ticker.step(index)
            writer.write(fn(frame))
    progress(1.0, "Done")
    return Path(out)


def restyle_video(src: Path, out: Path, *, style: str, seed: int,
                  progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled) -> Path:
    """The clip in one of VIDEO_STYLES, frame by frame, keeping its timing and sound."""
    styler = make_styler(style, seed)
    return _map_frames(src, out, styler, f"Restyling as {style}", progress, cancelled)


def edit_video(src: Path, out: Path, *, frame_fn: Callable[[Image.Image], Image.Image],
               progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled) -> Path:
    """frame_fn applied to every frame; the size follows the first edited frame; sound kept."""
    return _map_frames(src, out, frame_fn, "Editing the frames", progress, cancelled)


def upscale_video(src: Path, out: Path, *, factor: int,
                  progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled) -> Path:
    """The clip factor (2 or 4) times larger, Lanczos-resampled; refused past 3840 px."""
    if factor not in (2, 4):
        raise InvalidInput(f"Upscaling is by 2 or by 4, not {factor}")
    factor = int(factor)
    frame = frame_at(src, 0.0)
    if max(frame.size) * factor > MAX_UPSCALED_SIDE:
        raise InvalidInput(f"{Path(src).name}: {frame.width}x{frame.height} times {factor} would exceed "
                           f"{MAX_UPSCALED_SIDE} pixels; upscale by less or shrink it first")

    def bigger(image: Image.Image) -> Image.Image:
        return image.resize((image.width * factor, image.height * factor), Image.Resampling.LANCZOS)

    return _map_frames(src, out, bigger, f"Upscaling {factor}x", progress, cancelled)


def extend_video(src: Path, out: Path, *, seconds: float,
                 progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled) -> Path:
    """The clip, then `seconds` more that carry its last camera move on, easing to a stop.

    The move (shift and zoom per frame) is measured between the last frames by
    phase correlation and applied to the last frame with a linearly decaying
    speed. The sound is kept, then silence (with a short fade at the seam).
    A zoom-out cannot be carried on without bare edges, so it is held still.
    """
    if not 0 < seconds <= MAX_SECONDS:
        raise InvalidInput(f"Extend by more than 0 and at most {MAX_SECONDS:g} seconds, not {seconds}")
    src = Path(src)
    facts = ClipFacts(src)
    extra = max(1, round(seconds * float(facts.fps)))
    audio = read_audio(src) if facts.has_audio else None
    if audio is not None:
        audio = fit_audio(audio, (facts.frames + extra) / float(facts.fps))
    ticker = Ticker(progress, cancelled, facts.frames + extra, "Extending the clip")
    tail: deque[Image.Image] = deque(maxlen=3)
    with ClipWriter(out, facts.fps, audio) as writer:
        for index, frame in enumerate(iter_frames(src)):
            ticker.step(index)
            writer.write(frame)
            tail.append(frame)
        written = writer.count
        # Two frame pairs averaged: one noisy pair does not decide the whole extension.
        moves = [estimate_motion(a, b) for a, b in zip(list(tail), list(tail)[1:])] or [(0.0, 0.0, 1.0)]
        motion = tuple(float(np.mean([m[i] for m in moves])) for i in range(3))
        travelled = 0.0
        for step in range(1, extra + 1):
            ticker.step(written + step)
            travelled += 1 - step / (extra + 1)  # speed decays linearly: an ease-out
            writer.write(carry_on(tail[-1], motion, travelled))
    progress(1.0, "Done")
    return Path(out)


def frame_at(src: Path, t: float | None = None) -> Image.Image:
    """The upright RGB frame shown at t seconds (clamped to the clip); None gives the last frame."""
    src = Path(src)
    with open_container(src, "video") as container:
        stream = picture_stream(container)
        if stream is None:
            raise MediaError(f"{src.name}: has no video stream")
        length = duration_seconds(container, stream) or 0.0
        target = length if t is None else min(max(0.0, t), length)
        start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
        # Seek a little early: the keyframe before, then decode forward to the moment.
        try:
            container.seek(int(max(0.0, start + target - 1.0) / stream.time_base), stream=stream, backward=True)
        except AV_FAILURES:
            container.seek(0)
        chosen = None  # the latest frame that starts at or before the moment
        for frame in iter_decoded(container, stream):
            if t is not None and chosen is not None and frame.time is not None and frame.time - start > target + 1e-3:
                break
            chosen = frame
    if chosen is None:  # the seek landed past the data: read from the start instead
        return next(iter_frames(src))
    return upright(chosen)


# Frames are measured at this width: colour and motion do not need detail.
_STATS_WIDTH = 64
# At most this many frames are measured, spread over the clip.
_STATS_SAMPLES = 240


def video_stats(src: Path) -> dict:
    """Mean colour (r, g, b 0..255), brightness and saturation (0..1), motion (mean absolute
    difference of consecutive frames, 0..1), duration (s), fps, width and height of a clip."""
    src = Path(src)
    facts = ClipFacts(src)
    stride = max(1, facts.frames // _STATS_SAMPLES)
    colours, sats, moves = [], [], []
    previous = previous_small = None
    size = None
    with open_container(src, "video") as container:
        stream = picture_stream(container)
        for index, frame in enumerate(iter_decoded(container, stream)):
            size = size or (frame.width, frame.height)
            if index % stride == 0 or (index - 1) % stride == 0:  # a sample, or the frame after it
                height = max(2, round(frame.height * _STATS_WIDTH / frame.width))
                small = frame.reformat(width=_STATS_WIDTH, height=height, format="rgb24").to_ndarray()
                small = small.astype(np.float32) / 255.0
                if index % stride == 0:
                    colours.append(small.reshape(-1, 3).mean(axis=0))
                    top, low = small.max(axis=2), small.min(axis=2)
                    sats.append(float(np.mean((top - low) / np.maximum(top, 1e-6))))
                if previous is not None and previous == index - 1 and previous_small.shape == small.shape:
                    moves.append(float(np.mean(np.abs(small - previous_small))))
                previous, previous_small = index, small
    if not colours:
        raise MediaError(f"{src.name}: no frame of the video could be decoded")
    mean = np.mean(colours, axis=0)
    return {
        "mean_color": tuple(int(round(v * 255)) for v in mean),
        "brightness": float(mean @ np.array([0.299, 0.587, 0.114])),
        "saturation": float(np.mean(sats)),
        "motion": float(np.mean(moves)) if moves else 0.0,
        "duration": facts.duration,
        "fps": float(facts.fps),
        "width": size[0],
        "height": size[1],
    }

