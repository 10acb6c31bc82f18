"""The things a prompt can name, drawn as simple vector shapes with Pillow.

Every object is anchored at the middle of its base (where it stands) and scaled by `h`,
its height in canvas pixels, so the composer can place and size it by depth alone.
Drawing goes through a `Pen`, which in neon style turns fills into glowing outlines:
the shapes stay the same in every style, only the pen changes."""

import colorsys
import math
import random

from PIL import ImageDraw

Colour = tuple[int, ...]


def mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def shade(c: Colour, f: float) -> Colour:
    """f < 1 darkens toward black, f > 1 lightens toward white."""
    if f <= 1:
        return tuple(int(v * f) for v in c[:3])
    return mix(c[:3], (255, 255, 255), min(1.0, f - 1))


def neon_of(c: Colour) -> Colour:
    """The glowing tube colour for a fill: its hue at full saturation and brightness."""
    h, s, v = colorsys.rgb_to_hsv(*(x / 255 for x in c[:3]))
    if s < 0.15:  # whites and greys glow a cold white-blue
        return (225, 235, 255)
    r, g, b = colorsys.hsv_to_rgb(h, max(0.7, s), 1.0)
    return (int(r * 255), int(g * 255), int(b * 255))


class Pen:
    """Fills shapes normally; with neon=True draws a dark fill with a bright outline."""

    def __init__(self, img, *, neon: bool = False, line: float = 4.0):
        self.d = ImageDraw.Draw(img)
        self.neon = neon
        self.lw = max(2, int(line))

    def _style(self, c):
        if self.neon:
            return {"fill": shade(c, 0.08), "outline": neon_of(c), "width": self.lw}
        return {"fill": tuple(c)}

    def ellipse(self, box, c):
        self.d.ellipse(_box(box), **self._style(c))

    def circle(self, x, y, r, c):
        self.ellipse((x - r, y - r, x + r, y + r), c)

    def polygon(self, pts, c):
        self.d.polygon([(round(x), round(y)) for x, y in pts], **self._style(c))

    def rect(self, box, c, radius: float = 0):
        if radius > 1:
            self.d.rounded_rectangle(_box(box), radius=int(radius), **self._style(c))
        else:
            self.d.rectangle(_box(box), **self._style(c))

    def line(self, pts, c, width: float):
        col = neon_of(c) if self.neon else tuple(c)
        self.d.line([(round(x), round(y)) for x, y in pts], fill=col,
                    width=max(1, int(width)), joint="curve")

    def arc(self, box, start, end, c, width: float):
        col = neon_of(c) if self.neon else tuple(c)
        self.d.arc(_box(box), start, end, fill=col, width=max(1, int(width)))

    def dot(self, box, c):
        """A small detail (eye, window, light): solid in every style so it stays readable."""
        col = neon_of(c) if self.neon else tuple(c)
        self.d.ellipse(_box(box), fill=col)

    def block(self, box, c):
        col = neon_of(c) if self.neon else tuple(c)
        self.d.rectangle(_box(box), fill=col)


def _box(b):
    x0, y0, x1, y1 = b
    return (round(min(x0, x1)), round(min(y0, y1)), round(max(x0, x1)), round(max(y0, y1)))


# --- plants -------------------------------------------------------------------------

def tree(pen, x, y, h, leaf, rng: random.Random, bark=(96, 62, 38)):
    pen.polygon([(x - 0.06 * h, y), (x + 0.06 * h, y), (x + 0.035 * h, y - 0.5 * h),
                 (x - 0.035 * h, y - 0.5 * h)], bark)
    cx, cy, r = x, y - 0.64 * h, 0.3 * h
    blobs = [(rng.uniform(-0.55, 0.55) * r, rng.uniform(-0.45, 0.4) * r,
              rng.uniform(0.5, 0.72) * r) for _ in range(6)]
    for dx, dy, br in blobs:  # shadow side first, then the lit canopy, then highlights
        pen.circle(cx + dx + 0.08 * r, cy + dy + 0.1 * r, br, shade(leaf, 0.7))
    for dx, dy, br in blobs:
        pen.circle(cx + dx, cy + dy, br * 0.92, leaf)
    for dx, dy, br in blobs[:3]:
        lit = tuple(min(255, int(v * 1.22 + 6)) for v in leaf)
        pen.circle(cx + dx - 0.18 * br, cy + dy - 0.22 * br, br * 0.45, lit)


def pine(pen, x, y, h, leaf, snow: bool = False):
    pen.rect((x - 0.04 * h, y - 0.16 * h, x + 0.04 * h, y), (80, 52, 34))
    for i in range(4):  # four stacked tiers, narrowing toward the top
        top, base = y - h + i * 0.2 * h, y - 0.12 * h - (3 - i) * 0.17 * h
        half = 0.14 * h + 0.07 * h * i
        pen.polygon([(x, top), (x + half, base), (x - half, base)], shade(leaf, 0.85))
        pen.polygon([(x, top), (x, base), (x - half, base)], leaf)
        if snow:
            pen.polygon([(x, top), (x + half * 0.35, top + (base - top) * 0.35),
                         (x - half * 0.35, top + (base - top) * 0.35)], (245, 248, 255))


def palm(pen, x, y, h, leaf, rng: random.Random):
    lean = rng.choice((-1, 1)) * rng.uniform(0.1, 0.25) * h
    pts = [(x + lean * (t * t), y - h * 0.85 * t) for t in (i / 10 for i in range(11))]
    for i in range(10):  # ringed trunk: short segments of shrinking width
        pen.line([pts[i], pts[i + 1]], shade((150, 110, 70), 0.9 + 0.04 * (i % 2)),
                 0.07 * h * (1 - i / 16))
    tx, ty = pts[-1]
    for k in range(7):
        a = math.radians(-180 + k * 30 + rng.uniform(-8, 8))
        length = h * rng.uniform(0.36, 0.46)
        frond = [(tx + math.cos(a) * length * t, ty + math.sin(a) * length * t
                  + (t * t) * 0.35 * length) for t in (i / 6 for i in range(7))]
        for i in range(6):
            pen.line([frond[i], frond[i + 1]], shade(leaf, 0.85 + 0.05 * (k % 3)),
                     0.06 * h * (1 - i / 7))
    pen.circle(tx, ty + 0.02 * h, 0.035 * h, (110, 70, 40))


def flower(pen, x, y, h, petal, rng: random.Random):
    bend = rng.uniform(-0.12, 0.12) * h
    head = (x + bend, y - 0.85 * h)
    pen.line([(x, y), (x + bend * 0.4, y - 0.45 * h), head], (60, 130, 50), 0.04 * h)
    side = rng.choice((-1, 1))
    lx, ly = x + bend * 0.3, y - 0.35 * h
    pen.polygon([(lx, ly), (lx + side * 0.2 * h, ly - 0.12 * h), (lx + side * 0.26 * h, ly - 0.02 * h),
                 (lx + side * 0.06 * h, ly + 0.03 * h)], (80, 160, 60))
    n, r = rng.choice((5, 6, 8)), 0.12 * h
    for k in range(n):
        a = 2 * math.pi * k / n + rng.random()
        px, py = head[0] + math.cos(a) * r, head[1] + math.sin(a) * r
        pen.circle(px, py, 0.09 * h, petal if k % 2 else shade(petal, 0.88))
    pen.circle(*head, 0.075 * h, (245, 190, 40) if sum(petal) > 300 else (90, 60, 30))


# --- buildings, vehicles -------------------------------------------------------------

def house(pen, x, y, h, wall, roof, night: bool):
    w = 0.95 * h
    top = y - 0.55 * h
    pen.rect((x + 0.18 * w, y - 0.95 * h, x + 0.3 * w, top - 0.1 * h), shade(roof, 0.75))
    pen.rect((x - w / 2, top, x + w / 2, y), wall)
    pen.polygon([(x - w / 2 - 0.08 * h, top + 0.02 * h), (x, y - h),
                 (x + w / 2 + 0.08 * h, top + 0.02 * h)], roof)
    pen.rect((x - 0.09 * h, y - 0.3 * h, x + 0.09 * h, y), shade(roof, 0.55))
    glass = (255, 214, 110) if night else (170, 205, 235)
    for wx in (x - 0.3 * w, x + 0.3 * w):
        pen.block((wx - 0.1 * h, top + 0.1 * h, wx + 0.1 * h, top + 0.3 * h), glass)
        pen.line([(wx, top + 0.1 * h), (wx, top + 0.3 * h)], shade(wall, 0.6), 0.02 * h)
        pen.line([(wx - 0.1 * h, top + 0.2 * h), (wx + 0.1 * h, top + 0.2 * h)],
                 shade(wall, 0.6), 0.02 * h)


def car(pen, x, y, h, body, night: bool, rng: random.Random):
    d = rng.choice((-1, 1))  # which way it faces
    L = 2.6 * h
    pen.polygon([(x - 0.3 * L * d, y - 0.58 * h), (x - 0.17 * L * d, y - h),
                 (x + 0.14 * L * d, y - h), (x + 0.3 * L * d, y - 0.58 * h)], shade(body, 0.85))
    glass = (60, 70, 90) if night else (175, 210, 235)
    pen.polygon([(x - 0.26 * L * d, y - 0.6 * h), (x - 0.155 * L * d, y - 0.92 * h),
                 (x - 0.02 * L * d, y - 0.92 * h), (x - 0.02 * L * d, y - 0.6 * h)], glass)
    pen.polygon([(x + 0.01 * L * d, y - 0.6 * h), (x + 0.01 * L * d, y - 0.92 * h),
                 (x + 0.12 * L * d, y - 0.92 * h), (x + 0.25 * L * d, y - 0.6 * h)], glass)
    pen.rect((x - L / 2, y - 0.64 * h, x + L / 2, y - 0.16 * h), body, radius=0.16 * h)
    pen.line([(x - 0.45 * L, y - 0.4 * h), (x + 0.45 * L, y - 0.4 * h)], shade(body, 0.7), 0.03 * h)
    fx = x + 0.47 * L * d
    pen.dot((fx - 0.05 * h, y - 0.55 * h, fx + 0.05 * h, y - 0.43 * h), (255, 236, 150))
    bx = x - 0.48 * L * d
    pen.dot((bx - 0.03 * h, y - 0.55 * h, bx + 0.03 * h, y - 0.43 * h), (220, 40, 40))
    for wx in (x - 0.3 * L, x + 0.3 * L):
        pen.circle(wx, y - 0.18 * h, 0.2 * h, (30, 30, 34))
        pen.circle(wx, y - 0.18 * h, 0.09 * h, (170, 170, 178))


def boat(pen, x, y, h, hull, sail=(250, 250, 245)):
    pen.line([(x, y - 0.1 * h), (x, y - h)], (90, 70, 50), 0.025 * h)
    pen.polygon([(x + 0.03 * h, y - 0.95 * h), (x + 0.03 * h, y - 0.2 * h),
                 (x + 0.42 * h, y - 0.2 * h)], sail)
    pen.polygon([(x - 0.03 * h, y - 0.82 * h), (x - 0.03 * h, y - 0.22 * h),
                 (x - 0.32 * h, y - 0.22 * h)], shade(sail, 0.9))
    pen.polygon([(x + 0.03 * h, y - h), (x + 0.03 * h, y - 0.92 * h), (x + 0.14 * h, y - 0.96 * h)],
                (220, 50, 50))
    pen.polygon([(x - 0.55 * h, y - 0.16 * h), (x + 0.55 * h, y - 0.16 * h),
                 (x + 0.38 * h, y + 0.04 * h), (x - 0.4 * h, y + 0.04 * h)], hull)
    pen.line([(x - 0.5 * h, y - 0.1 * h), (x + 0.5 * h, y - 0.1 * h)], shade(hull, 1.4), 0.02 * h)


# --- people and animals ---------------------------------------------------------------

def person(pen, x, y, h, clothes, skin, hair, rng: random.Random, *, dress: bool = False):
    """A standing figure facing us; `dress` gives a flared dress and long hair."""
    legs = shade(clothes, 0.45) if not dress else skin
    for dx in (-0.055, 0.055):
        pen.rect((x + (dx - 0.035) * h, y - 0.47 * h, x + (dx + 0.035) * h, y - 0.03 * h), legs)
        pen.ellipse((x + (dx - 0.055) * h, y - 0.05 * h, x + (dx + 0.045) * h, y), (40, 32, 30))
    r, hy = 0.1 * h, y - 0.92 * h
    if dress:  # long hair falls behind the shoulders, either side of the neck
        pen.circle(x, hy - r * 0.05, r * 1.2, hair)
        for s in (-1, 1):
            pen.rect((x + s * r * 0.5, hy, x + s * r * 1.2, y - 0.62 * h), hair, radius=r * 0.3)
        pen.polygon([(x - 0.12 * h, y - 0.74 * h), (x + 0.12 * h, y - 0.74 * h),
                     (x + 0.22 * h, y - 0.3 * h), (x - 0.22 * h, y - 0.3 * h)], clothes)
    else:
        pen.polygon([(x - 0.15 * h, y - 0.74 * h), (x + 0.15 * h, y - 0.74 * h),
                     (x + 0.12 * h, y - 0.42 * h), (x - 0.12 * h, y - 0.42 * h)], clothes)
    pen.ellipse((x - 0.16 * h, y - 0.8 * h, x + 0.16 * h, y - 0.68 * h), clothes)
    swing = rng.uniform(-0.06, 0.06) * h
    for side in (-1, 1):  # arms over the body's edge, so they read as arms
        hand = (x + side * 0.2 * h + swing * side, y - 0.44 * h)
        pen.line([(x + side * 0.14 * h, y - 0.75 * h), hand], shade(clothes, 0.8), 0.065 * h)
        pen.circle(*hand, 0.032 * h, skin)
    pen.rect((x - 0.03 * h, y - 0.84 * h, x + 0.03 * h, y - 0.77 * h), shade(skin, 0.9))
    pen.circle(x, hy, r, skin)
    pen.polygon([(x - r * 1.05, hy - r * 0.05), (x - r * 0.9, hy - r * 0.8), (x, hy - r * 1.12),
                 (x + r * 0.9, hy - r * 0.8), (x + r * 1.05, hy - r * 0.05), (x + r * 0.5, hy - r * 0.55),
                 (x - r * 0.4, hy - r * 0.5)], hair)
    for s in (-1, 1):  # two dots and a smile read as a face even when small
        pen.dot((x + s * r * 0.38 - r * 0.1, hy + r * 0.05, x + s * r * 0.38 + r * 0.1, hy + r * 0.27), (35, 28, 26))
    pen.arc((x - r * 0.4, hy + r * 0.15, x + r * 0.4, hy + r * 0.65), 30, 150, shade(skin, 0.55), max(1, r * 0.12))


def cat(pen, x, y, h, fur, rng: random.Random):
    d = rng.choice((-1, 1))
    tail = [(x + d * h * (0.2 + 0.3 * math.sin(t * 2.2)), y - 0.04 * h - 0.42 * h * t * t)
            for t in (i / 9 for i in range(10))]  # a smooth S curling up beside the body
    pen.line(tail, shade(fur, 0.85), 0.07 * h)
    pen.ellipse((x - 0.27 * h, y - 0.58 * h, x + 0.27 * h, y), fur)
    pen.ellipse((x - 0.12 * h, y - 0.5 * h, x + 0.12 * h, y - 0.06 * h), shade(fur, 1.25))
    hx, hy, hr = x, y - 0.68 * h, 0.21 * h
    inner = (240, 160, 170)
    for s in (-1, 1):
        pen.polygon([(hx + s * 0.2 * h, hy - 0.02 * h), (hx + s * 0.17 * h, hy - 0.3 * h),
                     (hx + s * 0.04 * h, hy - 0.18 * h)], fur)
        pen.polygon([(hx + s * 0.16 * h, hy - 0.06 * h), (hx + s * 0.155 * h, hy - 0.23 * h),
                     (hx + s * 0.08 * h, hy - 0.16 * h)], inner)
    pen.ellipse((hx - hr, hy - hr * 0.92, hx + hr, hy + hr * 0.88), fur)
    eye = rng.choice(((120, 200, 80), (240, 200, 60), (90, 170, 220)))
    for s in (-1, 1):
        ex = hx + s * 0.085 * h
        pen.dot((ex - 0.045 * h, hy - 0.06 * h, ex + 0.045 * h, hy + 0.02 * h), eye)
        pen.dot((ex - 0.012 * h, hy - 0.055 * h, ex + 0.012 * h, hy + 0.015 * h), (15, 15, 15))
        for k in (-1, 0, 1):
            pen.line([(hx + s * 0.07 * h, hy + 0.08 * h),
                      (hx + s * 0.3 * h, hy + 0.06 * h + k * 0.04 * h)], (235, 235, 235), 0.008 * h)
    pen.polygon([(hx - 0.03 * h, hy + 0.05 * h), (hx + 0.03 * h, hy + 0.05 * h),
                 (hx, hy + 0.085 * h)], inner)
    for s in (-1, 1):
        pen.ellipse((x + s * 0.1 * h - 0.07 * h, y - 0.07 * h, x + s * 0.1 * h + 0.07 * h, y),
                    shade(fur, 1.3))


def dog(pen, x, y, h, fur, rng: random.Random):
    d = rng.choice((-1, 1))
    X = lambda v: x + d * v * h  # noqa: E731 - mirror every x by the facing direction
    pen.line([(X(-0.4), y - 0.58 * h), (X(-0.52), y - 0.78 * h), (X(-0.56), y - 0.9 * h)],
             shade(fur, 0.9), 0.06 * h)
    for lx in (-0.2, 0.22, -0.34, 0.1):  # far legs first, in shade
        c = shade(fur, 0.82 if lx in (-0.2, 0.22) else 1.0)
        pen.rect((X(lx) - 0.05 * h, y - 0.45 * h, X(lx) + 0.05 * h, y - 0.02 * h), c, radius=0.04 * h)
        pen.ellipse((X(lx) - 0.06 * h + d * 0.02 * h, y - 0.06 * h, X(lx) + 0.06 * h + d * 0.02 * h, y), c)
    pen.ellipse((X(-0.45), y - 0.72 * h, X(0.32), y - 0.32 * h), fur)
    pen.polygon([(X(0.12), y - 0.66 * h), (X(0.3), y - 0.95 * h), (X(0.42), y - 0.82 * h),
                 (X(0.3), y - 0.52 * h)], fur)
    pen.circle(X(0.36), y - 0.88 * h, 0.15 * h, fur)
    pen.ellipse((X(0.4), y - 0.88 * h, X(0.62), y - 0.74 * h), shade(fur, 1.15))
    pen.dot((X(0.58), y - 0.9 * h, X(0.65), y - 0.83 * h), (25, 20, 20))
    pen.dot((X(0.38), y - 0.95 * h, X(0.43), y - 0.9 * h), (25, 20, 20))
    pen.ellipse((X(0.22), y - 0.98 * h, X(0.32), y - 0.7 * h), shade(fur, 0.65))
    pen.line([(X(0.24), y - 0.74 * h), (X(0.36), y - 0.66 * h)], (210, 40, 40), 0.04 * h)


def bird(pen, x, y, h, colour, rng: random.Random):
    """A bird in flight seen from below-side: swept wings, teardrop body, tail, beak; `h` is
    the wingspan."""
    d = rng.choice((-1, 1))
    up = rng.uniform(0.18, 0.32) * h
    tip = shade(colour, 0.35)
    for s in (-1, 1):  # each wing: a curved leading edge out to a dark tip
        wing = [(x + d * 0.04 * h, y - 0.02 * h), (x + s * 0.2 * h, y - up * 0.9),
                (x + s * 0.5 * h, y - up * 1.1), (x + s * 0.38 * h, y - up * 0.55),
                (x + s * 0.16 * h, y - up * 0.1), (x - d * 0.06 * h, y + 0.03 * h)]
        pen.polygon(wing, shade(colour, 0.9 if s == d else 1.0))
        pen.polygon([(x + s * 0.5 * h, y - up * 1.1), (x + s * 0.4 * h, y - up * 0.62),
                     (x + s * 0.33 * h, y - up * 0.9)], tip)
    pen.polygon([(x - d * 0.2 * h, y + 0.02 * h), (x - d * 0.32 * h, y - 0.03 * h),
                 (x - d * 0.32 * h, y + 0.07 * h)], shade(colour, 0.85))
    pen.ellipse((x - 0.22 * h, y - 0.035 * h, x + 0.18 * h, y + 0.06 * h), colour)
    pen.circle(x + d * 0.2 * h, y - 0.005 * h, 0.05 * h, colour)
    bx = x + d * 0.245 * h
    pen.polygon([(bx, y - 0.025 * h), (bx + d * 0.08 * h, y + 0.005 * h), (bx, y + 0.02 * h)],
                (240, 170, 40))
    pen.dot((x + d * 0.21 * h - 0.01 * h, y - 0.02 * h, x + d * 0.21 * h + 0.01 * h, y), (20, 20, 20))


def gull(pen, x, y, w, colour):
    """A far-away bird: the two-arc 'm' every child draws."""
    pen.arc((x - w, y - w * 0.4, x, y + w * 0.4), 200, 330, colour, max(2, w * 0.14))
    pen.arc((x, y - w * 0.4, x + w, y + w * 0.4), 210, 340, colour, max(2, w * 0.14))
