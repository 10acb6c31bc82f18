"""The scenery around the subjects: sun, moon, stars, clouds, mountains, hills, water,
a city skyline, forest rows, roads and weather.

Each function draws straight onto the 2x canvas (through a `Pen` where the neon style
should outline it) and takes its randomness from the caller's seeded `random.Random`,
so a seed always gives the same skyline and the same mountains."""

import math
import random

from PIL import Image, ImageDraw

from .picture_shapes import Pen, mix, pine, shade


def sun(pen: Pen, x, y, r, colour, *, rays: bool = False):
    if rays:  # the flat style's sun gets short rays: the glow it cannot have
        for k in range(12):
            a = k * math.pi / 6
            pen.line([(x + math.cos(a) * r * 1.25, y + math.sin(a) * r * 1.25),
                      (x + math.cos(a) * r * 1.6, y + math.sin(a) * r * 1.6)], colour, r * 0.12)
    pen.circle(x, y, r * 1.12, mix(colour, (255, 255, 255), 0.35) if not pen.neon else colour)
    pen.circle(x, y, r, colour)


def synth_sun(img: Image.Image, x, y, r):
    """The neon sun: a yellow-to-magenta disc cut by horizontal bars in its lower half."""
    d = ImageDraw.Draw(img)
    top, steps = y - r, int(2 * r)
    for i in range(0, steps, 2):
        yy = top + i
        t = i / steps
        if t > 0.5 and int((t - 0.5) * 14) % 2 == 1:
            continue
        half = math.sqrt(max(0.0, r * r - (yy - y) ** 2))
        d.rectangle((x - half, yy, x + half, yy + 2), fill=mix((255, 230, 70), (255, 40, 170), t))


def moon(img: Image.Image, x, y, r, colour, *, full: bool, rng: random.Random):
    size = int(2 * r) + 2
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    d.ellipse((1, 1, size - 2, size - 2), fill=255)
    if not full:  # crescent: bite a shifted disc out of the full one
        off = r * 0.55
        d.ellipse((1 + off, 1 - off * 0.4, size - 2 + off, size - 2 - off * 0.4), fill=0)
    disc = Image.new("RGB", (size, size), tuple(colour))
    if full:
        dd = ImageDraw.Draw(disc)
        for _ in range(5):
            cx, cy, cr = rng.uniform(0.3, 0.7) * size, rng.uniform(0.3, 0.7) * size, size * rng.uniform(0.05, 0.1)
            dd.ellipse((cx - cr, cy - cr, cx + cr, cy + cr), fill=shade(colour, 0.9))
    img.paste(disc, (int(x - r), int(y - r)), mask)


def stars(img: Image.Image, w, h_sky, n, rng: random.Random, colour=(255, 255, 245)):
    d = ImageDraw.Draw(img)
    unit = max(1.0, w / 900)
    for _ in range(n):
        x, y = rng.uniform(0, w), rng.uniform(0, h_sky)
        r = unit * rng.choice((0.6, 0.8, 1.0, 1.3, 1.8))
        c = mix(colour, (150, 170, 255), rng.random() * 0.5)
        d.ellipse((x - r, y - r, x + r, y + r), fill=c)
    for _ in range(max(2, n // 25)):  # a few bright four-point sparkles
        x, y, s = rng.uniform(0, w), rng.uniform(0, h_sky * 0.7), unit * rng.uniform(5, 9)
        d.line((x - s, y, x + s, y), fill=colour, width=max(1, int(unit * 0.8)))
        d.line((x, y - s, x, y + s), fill=colour, width=max(1, int(unit * 0.8)))
        d.ellipse((x - unit * 1.6, y - unit * 1.6, x + unit * 1.6, y + unit * 1.6), fill=colour)


def cloud(pen: Pen, x, y, w, colour, rng: random.Random):
    """A cumulus: a flat-bottomed base with round puffs on top, shaded underneath."""
    puffs = []
    for i in range(5):  # bigger puffs in the middle make the familiar dome
        mid = 1 - abs(i / 4 - 0.5) * 2
        r = w * (0.1 + 0.12 * mid) * rng.uniform(0.85, 1.15)
        puffs.append((x + (i / 4 - 0.5) * w * 0.78 + rng.uniform(-0.04, 0.04) * w, y - r * 0.55, r))
    under = shade(colour, 0.82)
    pen.rect((x - 0.5 * w, y - 0.1 * w, x + 0.5 * w, y + 0.05 * w), under, radius=0.075 * w)
    for px, py, r in puffs:
        pen.circle(px, py + 0.04 * w, r, under)
    for px, py, r in puffs:
        pen.circle(px - 0.01 * w, py, r * 0.93, colour)
    pen.rect((x - 0.47 * w, y - 0.1 * w, x + 0.47 * w, y - 0.01 * w), colour, radius=0.04 * w)


def ridge(w, base_y, height, rng: random.Random, peaks: int):
    """A jagged mountain skyline: evenly spread peaks and valleys joined by midpoint-displaced
    slopes. Returns the points and the indices of the main peaks (subdivision keeps them)."""
    pts = [(-0.05 * w, base_y - height * rng.uniform(0.15, 0.35))]
    for k in range(peaks):
        x = (k + 0.5 + rng.uniform(-0.25, 0.25)) / peaks * w
        pts.append((x, base_y - height * rng.uniform(0.6, 1.0)))
        if k < peaks - 1:
            pts.append(((k + 1 + rng.uniform(-0.1, 0.1)) / peaks * w, base_y - height * rng.uniform(0.2, 0.45)))
    pts.append((1.05 * w, base_y - height * rng.uniform(0.15, 0.35)))
    rough, passes = height * 0.12, 4
    for _ in range(passes):  # midpoint displacement: each pass halves the roughness
        nxt = [pts[0]]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            nxt += [((x0 + x1) / 2, min(base_y, (y0 + y1) / 2 + rng.uniform(-1, 1) * rough)), (x1, y1)]
        pts, rough = nxt, rough * 0.5
    return pts, [(2 * k + 1) * 2 ** passes for k in range(peaks)]


def mountains(pen: Pen, w, base_y, height, colour, rng: random.Random, *, snow, peaks=4,
              snow_colour=(246, 248, 252)):
    pts, tops = ridge(w, base_y, height, rng, peaks)
    pen.polygon(pts + [(1.05 * w, base_y + 2), (-0.05 * w, base_y + 2)], colour)
    if pen.neon:
        return
    for i in tops:  # light from the left: each summit's right-hand face is in shade
        v = i + 16  # the valley (or the far edge) after this summit
        px, py = pts[i]
        drop = base_y - py
        fx = px + (pts[v][0] - px) * 0.3
        split = lambda y: px + (fx - px) * (y - py) / max(1.0, base_y - py)  # noqa: E731
        if snow and drop > height * 0.5:
            line = py + drop * 0.32
            a = b = i
            while a > 0 and pts[a - 1][1] < line and px - pts[a - 1][0] < drop * 0.7:
                a -= 1
            while b + 1 < len(pts) and pts[b + 1][1] < line and pts[b + 1][0] - px < drop * 0.7:
                b += 1
            if b - a >= 2:
                x0, x1 = pts[a][0], pts[b][0]
                jag = [(x1 - k * (x1 - x0) / 6, line + (k % 2) * drop * 0.07) for k in range(7)]
                pen.polygon(pts[a:b + 1] + jag, snow_colour)
        pen.polygon(pts[i:v + 1] + [(pts[v][0], base_y + 2), (fx, base_y + 2)], shade(colour, 0.8))
        if snow and drop > height * 0.5 and b - a >= 2:
            pen.polygon(pts[i:b + 1] + [(pts[b][0], line), (split(line), line)],
                        mix(snow_colour, (150, 165, 200), 0.3))


def hills(pen: Pen, w, base_y, amp, colour, rng: random.Random, bottom):
    ph, f = rng.uniform(0, 6.3), rng.uniform(1.2, 2.4)
    pts = [(x, base_y - amp * (0.55 + 0.45 * math.sin(ph + f * math.pi * x / w)
                                * math.cos(ph * 0.7 + 0.6 * math.pi * x / w)))
           for x in range(-10, int(w) + 20, max(4, int(w / 60)))]
    pen.polygon(pts + [(w + 20, bottom), (-10, bottom)], colour)


def water_details(pen: Pen, w, y0, y1, colour, rng: random.Random, glow=None, glow_x=None):
    """Wave dashes that grow toward the viewer, and the sun's (or moon's) broken reflection."""
    span = max(1.0, y1 - y0)
    for _ in range(int(w / 10)):
        t = rng.random() ** 1.6
        y = y0 + 4 + t * (span - 8)
        length = w * (0.01 + 0.05 * t)
        x = rng.uniform(-0.05, 1.0) * w
        pen.line([(x, y), (x + length, y)], colour, max(2, w * 0.0025 * (0.4 + t)))
    if glow is not None:
        for k in range(26):
            t = k / 25
            y = y0 + 3 + t ** 1.4 * (span - 6)
            half = w * (0.012 + 0.07 * t) * rng.uniform(0.5, 1.0)
            cx = glow_x + rng.uniform(-0.01, 0.01) * w
            pen.line([(cx - half, y), (cx + half, y)], glow, max(2, w * 0.003 * (0.5 + t)))


def city(pen: Pen, x0, x1, base_y, max_h, rng: random.Random, colour, *, night, haze):
    """Two rows of buildings: a hazy far row, then a near row with lit windows."""
    lit, dark_glass = (255, 214, 120), (40, 50, 70)
    for row, (tint, scale) in enumerate(((haze, 0.75), (None, 1.0))):
        x = x0 - rng.uniform(0, 0.1) * max_h
        while x < x1:
            bw = max_h * rng.uniform(0.16, 0.3) * scale
            bh = max_h * rng.uniform(0.35, 1.0) * scale
            c = shade(colour, rng.uniform(0.8, 1.15))
            c = mix(c, tint, 0.45) if tint else c
            top = base_y - bh
            kind = rng.random()
            if kind < 0.2:
                pen.polygon([(x + bw * 0.2, top), (x + bw / 2, top - bh * 0.15), (x + bw * 0.8, top)], c)
            elif kind < 0.4:
                pen.rect((x + bw * 0.2, top - bh * 0.12, x + bw * 0.8, top + 2), c)
                pen.line([(x + bw / 2, top - bh * 0.12), (x + bw / 2, top - bh * 0.22)], c, max(2, bw * 0.04))
            pen.rect((x, top, x + bw, base_y + 2), c)
            if row == 1:
                step = max(6.0, bw / 5)
                for wy in range(int(top + step), int(base_y - step / 2), int(step * 1.3)):
                    for k in range(int(bw // step) - 1):
                        wx = x + step * (k + 0.7)
                        on = rng.random() < (0.45 if night else 0.0)
                        glass = lit if on else (dark_glass if night else shade(c, 1.35))
                        pen.block((wx, wy, wx + step * 0.5, wy + step * 0.6), glass)
            x += bw + max_h * rng.uniform(0.0, 0.05)


def forest(pen: Pen, w, y_far, y_near, leaf, haze, rng: random.Random, *, snow):
    """Rows of pines from the horizon forward, each row bigger and less hazy."""
    rows = 4
    for r in range(rows):
        t = r / (rows - 1)
        base = y_far + (y_near - y_far) * t
        h = (y_near - y_far) * (0.55 + 0.9 * t) + w * 0.04
        c = mix(leaf, haze, 0.55 * (1 - t))
        x = -rng.uniform(0, h * 0.3)
        while x < w + h * 0.3:
            pine(pen, x, base + rng.uniform(-0.05, 0.05) * h, h * rng.uniform(0.75, 1.1), c, snow=snow)
            x += h * rng.uniform(0.22, 0.4)


def road(pen: Pen, w, y, thick, night):
    pen.rect((-10, y - thick / 2, w + 10, y + thick / 2), (52, 52, 58) if not night else (30, 30, 38))
    dash = thick * 1.2
    x = 0.0
    while x < w:
        pen.block((x, y - thick * 0.03, x + dash, y + thick * 0.03), (235, 220, 120))
        x += dash * 2


def neon_grid(img: Image.Image, horizon, bottom, colour):
    """The synthwave floor: lines converging on a vanishing point, rows bunching at the horizon."""
    w = img.width
    d = ImageDraw.Draw(img)
    lw = max(2, w // 500)
    cx = w / 2
    for k in range(-14, 15):
        d.line((cx + k * w * 0.02, horizon, cx + k * w * 0.16, bottom), fill=colour, width=lw)
    for k in range(1, 14):
        y = horizon + (bottom - horizon) * (k / 13) ** 2.2
        d.line((0, y, w, y), fill=colour, width=lw)


def rain(img: Image.Image, rng: random.Random, colour=(200, 210, 230)):
    d = ImageDraw.Draw(img)
    w, h = img.size
    lw = max(1, w // 900)
    for _ in range(int(w * h / 9000)):
        x, y, ln = rng.uniform(-0.1, 1) * w, rng.uniform(0, 1) * h, h * rng.uniform(0.02, 0.05)
        d.line((x, y, x + ln * 0.25, y + ln), fill=colour, width=lw)


def snowfall(img: Image.Image, rng: random.Random):
    d = ImageDraw.Draw(img)
    w, h = img.size
    for _ in range(int(w * h / 16000)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), w * rng.uniform(0.001, 0.003)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(250, 250, 255))


def grass(pen: Pen, w, y0, y1, colour, rng: random.Random):
    for _ in range(int(w / 12)):
        t = rng.random()
        y = y0 + (y1 - y0) * t ** 0.7
        x, hh = rng.uniform(0, w), w * (0.004 + 0.012 * t)
        c = shade(colour, rng.uniform(0.75, 1.2))
        for dx in (-0.6, 0, 0.6):
            pen.line([(x, y), (x + dx * hh, y - hh)], c, max(1, w * 0.0012))
