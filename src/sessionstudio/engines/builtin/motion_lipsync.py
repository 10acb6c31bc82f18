"""Lip sync: a picture's (or clip's) mouth opening and closing with the loudness of a voice.

No face model is involved. The mouth is a box (given, or guessed from where
skin-coloured pixels gather near the middle of the frame), and each frame
opens it in proportion to the voice's loudness: the box is stretched
vertically about its centre and a dark mouth-shaped ellipse grows in it.
Where the voice is silent the frame is left exactly as it was.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from sessionstudio.core.errors import InvalidInput, MediaError
from sessionstudio.engines.builtin.motion_io import (
    ClipFacts, ClipWriter, IsCancelled, Progress, Ticker, capped_size, check_fps, iter_frames, never_cancelled,
    no_progress, read_audio,
)
from sessionstudio.media.probe import probe

Box = tuple[int, int, int, int]

# Levels under this fraction of the voice's loud level (or under -50 dBFS) are silence.
_GATE = 0.08
_SILENCE = 10 ** (-50 / 20)
# Mouths snap open (attack) and close a little more slowly (release), in seconds.
_ATTACK, _RELEASE = 0.03, 0.08
# Smoothed levels below this are closed-mouth, exactly (the release never reaches 0 on its own).
_CLOSED = 0.04
# A video is looped from at most this many frames, each at most this big, held in memory.
_LOOP_FRAMES = 300
_LONG_SIDE = 1280
_MOUTH_COLOUR = np.array([48, 14, 20], np.float32)


def flatten(image: Image.Image) -> Image.Image:
    """The picture as RGB; transparency is laid over black, as video has no alpha."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        back = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        return Image.alpha_composite(back, rgba).convert("RGB")
    return image.convert("RGB")


def _levels(planes: np.ndarray, rate: int, fps: int) -> np.ndarray:
    mono = planes.mean(axis=0).astype(np.float64)
    frames = max(1, round(len(mono) / rate * fps))
    energy = np.concatenate(([0.0], np.cumsum(mono * mono)))
    edges = np.minimum((np.arange(frames + 1) * rate / fps).astype(np.int64), len(mono))
    counts = np.maximum(edges[1:] - edges[:-1], 1)
    rms = np.sqrt((energy[edges[1:]] - energy[edges[:-1]]) / counts)
    loud = float(np.percentile(rms, 95)) if len(rms) else 0.0
    if loud < _SILENCE:
        return np.zeros(frames, np.float32)
    level = np.clip(rms / loud, 0.0, 1.0) ** 0.7  # mid-loud syllables still open the mouth visibly
    level[rms < max(_SILENCE, _GATE * loud)] = 0.0
    attack, release = (1 - math.exp(-1 / (tau * fps)) for tau in (_ATTACK, _RELEASE))
    smooth = np.zeros(frames, np.float32)
    current = 0.0
    for i, target in enumerate(level):
        current += (target - current) * (attack if target > current else release)
        smooth[i] = current
    smooth[smooth < _CLOSED] = 0.0
    return smooth


def audio_envelope(audio: Path, fps: int) -> np.ndarray:
    """Loudness per video frame (0..1) of a sound file: RMS, gated, smoothed, normalised to the
    loud (95th percentile) level; 0 exactly where it is silent."""
    if not (float(fps).is_integer() and fps >= 1):
        raise InvalidInput(f"Frames per second must be a whole number from 1 up, not {fps}")
    decoded = read_audio(Path(audio))
    if decoded is None:
        raise MediaError(f"{Path(audio).name}: has no sound")
    return _levels(*decoded, int(fps))


def _components(mask: np.ndarray) -> np.ndarray:
    """Labels (1..n, 0 = background) of the 4-connected regions of a small boolean mask."""
    labels = np.zeros(mask.shape, np.int32)
    h, w = mask.shape
    count = 0
    for start in zip(*np.nonzero(mask)):
        if labels[start]:
            continue
        count += 1
        labels[start] = count
        todo = [start]
        while todo:
            y, x = todo.pop()
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not labels[ny, nx]:
                    labels[ny, nx] = count
                    todo.append((ny, nx))
    return labels


def find_mouth(image: Image.Image) -> Box:
    """A guess at the mouth: the lower-middle of the skin-coloured region nearest the centre.

    Skin is Kovac's RGB rule (R > 95, G > 40, B > 20, R above G and B by more
    than 15); of its connected regions, the face is the one carrying the most
    weight towards the middle of the frame. The mouth sits at 75% of the
    face's height, 36% of its width wide, moved onto the darkest row nearby
    when one stands out (the line between the lips). Without enough skin, the
    middle of the frame is taken as the face. Crude by design: mouth_box
    overrides it.
    """
    w, h = image.size
    scale = min(1.0, 120 / max(w, h))
    small = np.asarray(image.convert("RGB").resize((max(1, round(w * scale)), max(1, round(h * scale)))), np.int16)
    r, g, b = small[:, :, 0], small[:, :, 1], small[:, :, 2]
    skin = (r > 95) & (g > 40) & (b > 20) & (r - g > 15) & (r - b > 15)
    sh, sw = skin.shape
    rows, cols = np.mgrid[0:sh, 0:sw].astype(np.float32)
    central = np.exp(-(((cols / sw - 0.5) / 0.3) ** 2 + ((rows / sh - 0.45) / 0.35) ** 2))
    labels = _components(skin)
    weights = np.bincount(labels.ravel(), weights=central.ravel())
    weights[0] = 0.0
    face = labels == int(np.argmax(weights))
    if weights.max() > 0 and face.sum() >= 0.01 * sw * sh:
        ys, xs = np.nonzero(face)
        fx0, fx1 = np.percentile(xs, 2) / sw * w, (np.percentile(xs, 98) + 1) / sw * w
        fy0, fy1 = np.percentile(ys, 2) / sh * h, (np.percentile(ys, 98) + 1) / sh * h
    else:
        fx0, fx1, fy0, fy1 = 0.3 * w, 0.7 * w, 0.2 * h, 0.8 * h
    cx, cy = (fx0 + fx1) / 2, fy0 + 0.75 * (fy1 - fy0)
    half_w, half_h = max(3.0, 0.18 * (fx1 - fx0)), max(2.0, 0.06 * (fy1 - fy0))
    cy = _seam(image, cx, cy, half_w, half_h)
    return (max(0, round(cx - half_w)), max(0, round(cy - half_h)),
            min(w, round(cx + half_w)), min(h, round(cy + half_h)))


def _seam(image: Image.Image, cx: float, cy: float, half_w: float, half_h: float) -> float:
    """cy moved onto the clearly darkest row near it (the line between the lips), if there is one."""
    top = max(0, round(cy - 2 * half_h))
    bottom = min(image.height, round(cy + 2 * half_h) + 1)
    strip = image.convert("L").crop((max(0, round(cx - half_w)), top, min(image.width, round(cx + half_w)), bottom))
    rows = np.asarray(strip, dtype=np.float32).mean(axis=1)
    if len(rows) < 3 or np.median(rows) - rows.min() < 12:
        return cy  # no distinct seam: keep the proportional guess
    return top + float(np.argmin(rows)) + 0.5


def open_mouth(image: Image.Image, box: Box, level: float) -> Image.Image:
    """The frame with the mouth in box opened by level (0 closed .. 1 wide open)."""
    if level <= 0:
        return image
    w, h = image.size
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bw, bh = max(2.0, x1 - x0), max(2.0, y1 - y0)
    # The warp fades out over a region twice the mouth's width and three times its
    # height, so lips part and the chin drops without a seam at the region's edge.
    # Rows only sample rows nearer the centre, so the region's own pixels suffice.
    rx, ry = bw, 1.5 * bh
    left, right = max(0, int(cx - rx)), min(w, int(math.ceil(cx + rx)) + 1)
    top, bottom = max(0, int(cy - ry)), min(h, int(math.ceil(cy + ry)) + 1)
    pixels = np.asarray(image.crop((left, top, right, bottom)), dtype=np.float32)
    yy, xx = np.mgrid[top:bottom, left:right].astype(np.float32)
    u, v = (xx - cx) / rx, (yy - cy) / ry
    falloff = np.clip(1 - (u * u + v * v), 0, 1) ** 2
    gap = 0.9 * bh * level
    # Stretch about the centre line: rows above it sample from lower down and rows
    # below from higher up, by up to half the gap, fading out with the falloff, so
    # the lips part (nothing folds over while the gap stays under the region's height).
    # Rows that would cross the centre line take it, and the dark mouth covers them.
    shift = 0.5 * gap * falloff
    sy = np.where(yy < cy, np.minimum(yy + shift, cy), np.maximum(yy - shift, cy)) - top
    sy = np.clip(sy, 0, bottom - top - 1)
    r0 = np.floor(sy).astype(np.int64)
    r1 = np.minimum(r0 + 1, bottom - top - 1)
    t = (sy - r0)[:, :, None]
    cols = (xx - left).astype(np.int64)
    region = pixels[r0, cols] * (1 - t) + pixels[r1, cols] * t
    # The open mouth: a dark ellipse filling the gap, about as wide as the lips.
    ex, ey = 0.42 * bw * (0.7 + 0.3 * level), max(0.6, 0.5 * gap + 0.5)
    d = ((xx - cx) / ex) ** 2 + ((yy - cy) / ey) ** 2
    alpha = (np.clip((1.0 - d) / 0.35, 0, 1) ** 0.8 * min(1.0, 3.0 * level) * 0.94)[:, :, None]
    region = region * (1 - alpha) + _MOUTH_COLOUR * alpha
    out = image.copy()
    out.paste(Image.fromarray(np.clip(region + 0.5, 0, 255).astype(np.uint8), "RGB"), (left, top))
    return out


def _fit(picture: Image.Image) -> Image.Image:
    # Only shrink: an odd pixel over an even size is cropped by the writer, not resampled.
    if max(picture.size) <= _LONG_SIDE:
        return picture
    return picture.resize(capped_size(*picture.size, _LONG_SIDE), Image.Resampling.LANCZOS)


class _Visual:
    """The picture or clip to animate, and where its mouth is on each of its frames.

    A clip is held in memory (its first 300 frames, at most 1280 px) and looped
    ping-pong. Without a mouth_box the mouth is found on every frame and the
    boxes are averaged over 7 frames, so it follows a moving face without jitter.
    """

    def __init__(self, path: Path, fps: int, mouth_box: Box | None, ticker: Ticker) -> None:
        self.fps, self.rate = fps, float(fps)
        found: list[Box] = []  # the mouth on each frame, when not given
        if probe(path).kind == "image":
            with Image.open(path) as opened:
                picture = flatten(ImageOps.exif_transpose(opened))
            self.original, self.frames = picture.size, [_fit(picture)]
            found = [find_mouth(self.frames[0])] if mouth_box is None else []
        else:
            facts = ClipFacts(path)
            self.rate, self.frames = float(facts.fps), []
            ticker.total = min(facts.frames, _LOOP_FRAMES)
            for index, frame in enumerate(iter_frames(path)):
                ticker.step(index)
                if index == 0:
                    self.original = frame.size
                self.frames.append(_fit(frame))
                if mouth_box is None:
                    found.append(find_mouth(self.frames[-1]))
                if len(self.frames) >= _LOOP_FRAMES:
                    break
        if mouth_box is not None:
            x0, y0, x1, y1 = mouth_box
            if not (0 <= x0 < x1 <= self.original[0] and 0 <= y0 < y1 <= self.original[1]):
                raise InvalidInput(f"The mouth box {mouth_box} is not inside the {self.original} picture")
            sx, sy = self.frames[0].width / self.original[0], self.frames[0].height / self.original[1]
            self.boxes = [(round(x0 * sx), round(y0 * sy), round(x1 * sx), round(y1 * sy))] * len(self.frames)
        else:
            found = np.array(found, np.float64)
            window = min(7, len(found))
            padded = np.pad(found, ((window // 2, window - 1 - window // 2), (0, 0)), mode="edge")
            kernel = np.ones(window) / window
            smooth = np.stack([np.convolve(padded[:, i], kernel, mode="valid") for i in range(4)], axis=1)
            self.boxes = [tuple(int(round(v)) for v in row) for row in smooth]

    def frame(self, index: int) -> tuple[Image.Image, Box]:
        """The source frame and mouth box shown at output frame index."""
        count = len(self.frames)
        if count == 1:
            return self.frames[0], self.boxes[0]
        step = int(index / self.fps * self.rate)
        period = 2 * (count - 1)  # forwards then backwards: the loop has no jump
        phase = step % period
        pick = phase if phase < count else period - phase
        return self.frames[pick], self.boxes[pick]


def lipsync(visual: Path | None, audio: Path, out: Path, *, fps: int = 24, mouth_box: Box | None = None,
            frame_source: Callable[[float], Image.Image] | None = None,
            progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled) -> Path:
    """visual (a picture or a clip) with its mouth moving to audio's loudness, with that audio.

    The clip lasts as long as the audio. A clip is looped back and forth to
    that length. With frame_source (time in seconds -> frame), its frames are
    used as they are instead, and visual may be None.
    """
    fps = check_fps(fps)
    if frame_source is None and visual is None:
        raise InvalidInput("Lip sync needs a picture or a clip to animate")
    decoded = read_audio(Path(audio))
    if decoded is None:
        raise MediaError(f"{Path(audio).name}: has no sound")
    levels = _levels(*decoded, fps)
    source = None
    if frame_source is None:
        reading = Ticker(progress, cancelled, 1, "Reading the picture", 0.0, 0.2)
        source = _Visual(Path(visual), fps, mouth_box, reading)
    ticker = Ticker(progress, cancelled, len(levels), "Syncing the lips", 0.2 if source else 0.0, 1.0)
    with ClipWriter(out, fps, decoded) as writer:
        for index, level in enumerate(levels):
            ticker.step(index)
            if source is None:
                writer.write(frame_source(index / fps))
            else:
                writer.write(open_mouth(*source.frame(index), float(level)))
    progress(1.0, "Done")
    return Path(out)
