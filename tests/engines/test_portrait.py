"""Upscaling, avatar badges and the generated talking face."""

import time

import numpy as np
import pytest
from PIL import Image, ImageDraw

from sessionstudio.core.errors import StudioError
from sessionstudio.engines.builtin.portrait import (
    AVATAR_STYLES, FaceRig, _salient_square, avatar_image, face_image, mouth_box, upscale_image)


@pytest.fixture(scope="module")
def picture():
    img = Image.new("RGB", (400, 300), (150, 190, 230))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 200, 400, 300), fill=(70, 140, 60))
    d.ellipse((240, 80, 360, 220), fill=(230, 180, 140))
    d.ellipse((270, 120, 290, 140), fill=(20, 20, 20))
    d.ellipse((310, 120, 330, 140), fill=(20, 20, 20))
    d.arc((270, 150, 330, 200), 20, 160, fill=(120, 30, 40), width=5)
    return img


def test_upscale_by_2_and_4(picture):
    assert upscale_image(picture, 2).size == (800, 600)
    four = upscale_image(picture, 4)
    assert four.size == (1600, 1200) and four.mode == "RGB"
    rgba = upscale_image(picture.convert("RGBA"), 2)
    assert rgba.mode == "RGBA"


def test_upscale_refuses_other_factors_and_huge_results():
    small = Image.new("RGB", (10, 10))
    with pytest.raises(StudioError, match="2× or 4×"):
        upscale_image(small, 3)
    wide = Image.new("RGB", (4200, 4))
    assert upscale_image(wide, 2).size == (8400, 8)
    with pytest.raises(StudioError, match="16384"):
        upscale_image(wide, 4)


def test_salient_square_finds_the_detailed_part(picture):
    x0, y0, x1, y1 = _salient_square(picture, __import__("random").Random(1))
    assert x1 - x0 == y1 - y0
    assert x0 <= 270 and x1 >= 330  # the face on the right is inside the crop


@pytest.mark.parametrize("style", AVATAR_STYLES)
def test_avatar_is_a_round_512_badge(picture, style):
    a = avatar_image(picture, style=style, seed=1)
    assert a.size == (512, 512) and a.mode == "RGBA"
    alpha = np.asarray(a.getchannel("A"))
    assert alpha[0, 0] == alpha[0, -1] == alpha[-1, 0] == alpha[-1, -1] == 0
    assert alpha[256, 256] == 255 and alpha[256, 5] == 255
    assert a.tobytes() == avatar_image(picture, style=style, seed=1).tobytes()


def test_avatar_styles_differ_and_unknown_style_is_refused(picture):
    arrays = [np.asarray(avatar_image(picture, style=s, seed=1), dtype=float) for s in AVATAR_STYLES]
    for i in range(len(arrays)):
        for j in range(i + 1, len(arrays)):
            assert np.abs(arrays[i] - arrays[j]).mean() > 5
    outline = arrays[AVATAR_STYLES.index("outline")][64:448, 64:448, :3]
    assert (outline.mean(axis=2) > 200).mean() > 0.6  # mostly white paper with dark lines
    with pytest.raises(StudioError, match="cartoon"):
        avatar_image(picture, style="anime", seed=1)


def test_face_features_vary_by_seed():
    a = np.asarray(face_image(seed=1), dtype=float)
    b = np.asarray(face_image(seed=2), dtype=float)
    assert a.shape == (512, 512, 3)
    assert np.abs(a - b).mean() > 10
    assert face_image(seed=1).tobytes() == face_image(seed=1).tobytes()


def test_mouth_open_changes_only_the_mouth_box():
    rig = FaceRig(5, 512)
    closed = np.asarray(rig.frame(0.0), dtype=int)
    opened = np.asarray(rig.frame(1.0), dtype=int)
    changed = np.argwhere(np.abs(closed - opened).sum(axis=2) > 0)
    assert len(changed) > 500
    x0, y0, x1, y1 = mouth_box(512)
    assert changed[:, 0].min() >= y0 and changed[:, 0].max() < y1
    assert changed[:, 1].min() >= x0 and changed[:, 1].max() < x1
    half = np.asarray(rig.frame(0.5), dtype=int)
    assert 0 < np.abs(half - closed).sum() and 0 < np.abs(half - opened).sum()
    assert np.asarray(face_image(seed=5, mouth_open=1.0), dtype=int).tolist() == opened.tolist()


def test_face_rig_frames_are_fast():
    rig = FaceRig(3, 512)
    start = time.perf_counter()
    for k in range(30):
        rig.frame(k / 29)
    assert (time.perf_counter() - start) / 30 < 0.03
