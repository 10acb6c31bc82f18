"""Plain-language image edits: what each phrase parses to, and that each edit does to
the pixels what it says."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from sessionstudio.core.errors import StudioError
from sessionstudio.engines.builtin.image_edits import (
    UNDERSTOOD, Edit, apply_edits, describe, parse_instruction, parse_with_leftovers)


@pytest.fixture(scope="module")
def photo():
    """An asymmetric test picture: gradient sky, a red block on the left, a blue disc
    lower right, and some fine detail (so blur and sharpen have edges to act on)."""
    w, h = 320, 200
    y = np.linspace(0, 1, h)[:, None]
    x = np.linspace(0, 1, w)[None, :]
    a = np.stack([80 + 100 * x + 0 * y, 120 + 60 * y + 0 * x, 200 - 80 * y + 0 * x], axis=2)
    img = Image.fromarray(a.astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    d.rectangle((20, 30, 110, 120), fill=(210, 40, 30))
    d.ellipse((200, 100, 290, 190), fill=(30, 60, 200))
    for k in range(0, 90, 6):
        d.line((120 + k, 20, 120 + k, 90), fill=(250, 250, 250), width=2)
    return img


def run(img, text):
    return apply_edits(img, parse_instruction(text))


def lum(img):
    return np.asarray(img.convert("L"), dtype=float)


def rgb(img):
    return np.asarray(img.convert("RGB"), dtype=float)


def edge_energy(img):
    return lum(img.convert("L").filter(ImageFilter.FIND_EDGES)).mean()


def saturation(img):
    return np.asarray(img.convert("HSV"), dtype=float)[..., 1].mean()


def test_a_sentence_parses_into_ordered_edits():
    assert parse_instruction("make it a bit brighter and crop to 16:9") == [
        Edit("brightness", 0.125), Edit("crop", arg="16:9")]
    assert parse_instruction("Sepia, crop to square then rotate left") == [
        Edit("sepia"), Edit("crop", arg="1:1"), Edit("rotate", 270)]
    assert parse_instruction("darker by 20%") == [Edit("brightness", -0.2)]
    assert parse_instruction("much brighter")[0].amount == 0.5
    assert parse_instruction("black and white and flip vertically") == [
        Edit("grayscale"), Edit("flip", arg="vertical")]


def test_describe_says_back_what_was_understood():
    edits = parse_instruction("brighter, sepia, crop to 16:9")
    assert describe(edits) == "brighter, sepia, cropped to 16:9"
    assert describe(parse_instruction("a bit darker and rotate right")) == "slightly darker, rotated right"


def test_unknown_instruction_lists_what_is_understood():
    with pytest.raises(StudioError) as err:
        parse_instruction("add a hat to the cat")
    message = str(err.value)
    assert "add a hat to the cat" in message
    for phrase in ("brighter", "sepia", "crop to 16:9", "pixel art", "blue background"):
        assert phrase in message and phrase in UNDERSTOOD
    with pytest.raises(StudioError):
        parse_instruction("   ")


def test_partly_understood_sentences_report_the_rest():
    edits, left = parse_with_leftovers("brighter and add a hat")
    assert edits == [Edit("brightness", 0.25)] and left == ["add a hat"]


def test_brighter_and_darker(photo):
    assert lum(run(photo, "brighter")).mean() > lum(photo).mean() + 10
    assert lum(run(photo, "much darker")).mean() < lum(photo).mean() - 30
    a_bit = lum(run(photo, "a bit brighter")).mean()
    assert lum(photo).mean() < a_bit < lum(run(photo, "brighter")).mean()


def test_contrast_and_saturation(photo):
    assert lum(run(photo, "more contrast")).std() > lum(photo).std() + 3
    assert lum(run(photo, "less contrast")).std() < lum(photo).std() - 3
    assert saturation(run(photo, "more saturated")) > saturation(photo) + 5
    assert saturation(run(photo, "muted colours")) < saturation(photo) - 5


def test_warmer_and_cooler(photo):
    def warmth(img):
        a = rgb(img)
        return (a[..., 0] - a[..., 2]).mean()
    assert warmth(run(photo, "warmer")) > warmth(photo) + 5
    assert warmth(run(photo, "cooler")) < warmth(photo) - 5


def test_grayscale_and_sepia(photo):
    g = rgb(run(photo, "black and white"))
    assert (g[..., 0] == g[..., 1]).all() and (g[..., 1] == g[..., 2]).all()
    s = rgb(run(photo, "sepia")).reshape(-1, 3).mean(0)
    assert s[0] > s[1] > s[2]


def test_blur_lowers_and_sharpen_raises_edge_energy(photo):
    assert edge_energy(run(photo, "blur")) < edge_energy(photo) * 0.8
    assert edge_energy(run(photo, "sharpen")) > edge_energy(photo) * 1.1


def test_crop_to_aspect(photo):
    w, h = run(photo, "crop to 16:9").size
    assert abs(w / h - 16 / 9) < 0.02 and w == photo.width
    w, h = run(photo, "make it square").size
    assert w == h == photo.height
    w, h = run(photo, "crop to 9:16").size
    assert abs(w / h - 9 / 16) < 0.02


def test_rotate_and_flip_move_pixels_where_they_say(photo):
    w, h = photo.size
    right = run(photo, "rotate 90")
    assert right.size == (h, w)
    assert right.getpixel((h - 1, 0)) == photo.getpixel((0, 0))  # top-left goes to top-right
    left = run(photo, "rotate left")
    assert left.size == (h, w)
    assert left.getpixel((0, w - 1)) == photo.getpixel((0, 0))  # top-left goes to bottom-left
    assert run(photo, "upside down").getpixel((w - 1, h - 1)) == photo.getpixel((0, 0))
    mirrored = run(photo, "mirror it")
    assert mirrored.getpixel((w - 1 - 60, 70)) == photo.getpixel((60, 70)) == (210, 40, 30)
    flipped = run(photo, "flip vertically")
    assert flipped.getpixel((60, h - 1 - 70)) == photo.getpixel((60, 70))


def test_background_colour_replaces_the_border_region():
    img = Image.new("RGB", (300, 200), (40, 170, 70))
    ImageDraw.Draw(img).ellipse((100, 50, 200, 150), fill=(220, 30, 30))
    for text in ("make the background blue", "blue background"):
        out = rgb(run(img, text))
        border = np.concatenate([out[0], out[-1], out[:, 0], out[:, -1]])
        assert np.abs(border - (40, 90, 220)).max() < 3, text
        assert tuple(out[100, 150]) == (220, 30, 30)  # the subject is untouched


def test_background_of_a_cutout_is_filled_behind_it():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((30, 30, 70, 70), fill=(250, 200, 0, 255))
    out = run(img, "white background")
    assert out.getpixel((5, 5)) == (255, 255, 255, 255)
    assert out.getpixel((50, 50)) == (250, 200, 0, 255)


def test_looks_painting_sketch_pixel_art(photo):
    pixel = run(photo, "pixel art")
    assert pixel.size == photo.size and len(pixel.getcolors(1 << 16)) <= 16
    sketch = rgb(run(photo, "like a sketch"))
    assert np.abs(sketch[..., 0] - sketch[..., 2]).mean() < 12  # pencil on paper: nearly grey
    painting = run(photo, "like a painting")
    assert painting.size == photo.size
    assert np.abs(rgb(painting) - rgb(photo)).mean() > 2
    assert len(painting.getcolors(1 << 16)) < len(photo.getcolors(1 << 16))


def test_edits_never_change_the_input_and_keep_alpha(photo):
    before = photo.tobytes()
    run(photo, "sepia and blur and rotate 90 and make the background red")
    assert photo.tobytes() == before
    rgba = photo.convert("RGBA")
    rgba.putalpha(128)
    out = run(rgba, "brighter and sepia")
    assert out.mode == "RGBA" and out.getchannel("A").getextrema() == (128, 128)


def test_several_edits_apply_in_order(photo):
    out = run(photo, "crop to square, then rotate right and black and white")
    a = rgb(out)
    assert out.size == (photo.height, photo.height)
    assert (a[..., 0] == a[..., 2]).all()
