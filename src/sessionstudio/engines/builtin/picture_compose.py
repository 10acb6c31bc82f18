"""Composing the procedural picture: where the horizon, the light, the scenery and the
named subjects go, drawn onto a 2x canvas.

Each stage draws from its own seeded random stream, so changing the style (which skips
some decoration) never moves the subjects: one seed is one layout in every style."""

import dataclasses
import random

from PIL import Image

from . import picture_scenery as sc
from . import picture_shapes as sh
from .picture_palette import Palette, glow, gradient, palette_for
from .picture_words import Reading, Subject

_LAND = ("tree", "palm", "house", "person", "cat", "dog", "flower", "car", "road", "forest", "field")
# A prompt that names nothing drawable still gets a scene: which one comes from the seed.
_DEFAULT_SCENES = (("hills", "tree"), ("mountains",), ("sea",), ("forest",), ("hills", "flower"), ("hills", "house"))
_BASE = {"tree": 0.42, "palm": 0.5, "house": 0.24, "person": 0.3, "cat": 0.2, "dog": 0.22,
         "flower": 0.12, "car": 0.09, "boat": 0.2}
_HERO = {"house": 1.35, "tree": 1.4, "palm": 1.4}  # how much bigger the first-named thing is (default 1.7)


_STREAMS = ("layout", "sky", "relief", "water", "city", "forest", "grass", "objects", "weather")


def render(r: Reading, w: int, h: int, key: str, *, neon: bool, flat: bool) -> Image.Image:
    """The scene at (w, h): `key` seeds every random stream (one per stage)."""
    R = {name: random.Random(f"{key}\x1f{name}") for name in _STREAMS}
    r = dataclasses.replace(r, subjects=list(r.subjects))  # defaults below must not leak to the caller
    rng = R["layout"]
    if not any(s.kind not in ("sun", "moon", "stars", "cloud", "field") for s in r.subjects):
        r.subjects += [Subject(k, 3 if k == "flower" else 1) for k in rng.choice(_DEFAULT_SCENES)]
    pal = palette_for(r)
    u = min(w, h)
    kinds = [s.kind for s in r.subjects]
    land = any(k in _LAND for k in kinds)
    hero = next((k for k in kinds if k in _BASE or k in ("bird", "face")), None)
    sky_only = not land and not any(k in kinds for k in ("sea", "mountains", "hills", "city", "boat"))
    horizon = h * (rng.uniform(0.74, 0.82) if sky_only else rng.uniform(0.56, 0.66))
    bottom = h * 0.91  # the caption band covers the rest
    sky = ((8, 0, 26), (42, 6, 78), (130, 24, 130)) if neon else pal.sky
    overcast = ("rain" in r.modifiers or "sad" in r.moods) and not neon
    if overcast:  # rain and gloom grey the sky over and hide the sun
        sky = tuple(sh.mix(c, (112, 118, 130), 0.6) for c in sky)
        pal.sea = tuple(sh.mix(c, (70, 80, 92), 0.55) for c in pal.sea)
    img = Image.new("RGB", (w, h), sky[2])
    img.paste(gradient(w, int(horizon) + 2, sky, bands=7 if flat else 0), (0, 0))
    pen = sh.Pen(img, neon=neon, line=u * 0.006)

    # sky: light source, stars, clouds
    has_sun = r.has("sun") or (not overcast and (r.time in ("sunset", "dawn") or (
        r.time in (None, "day") and not pal.night and rng.random() < 0.5)))
    has_moon = r.has("moon") or (pal.night and not has_sun)
    low = r.time in ("sunset", "dawn", "dusk")
    bx, br = w * rng.uniform(0.2, 0.8), u * (0.11 if low or hero == "sun" else 0.075)
    if hero in ("face", "bird"):  # keep the sun or moon clear of a big central subject
        bx = w * rng.choice((rng.uniform(0.1, 0.25), rng.uniform(0.75, 0.9)))
    by = horizon - br * rng.uniform(0.1, 0.8) if low and has_sun else h * rng.uniform(0.13, 0.3)
    if low and has_sun and r.has("mountains"):  # set it just behind the peaks, not hidden by them
        by = horizon * (1 - 0.62) - br * rng.uniform(-0.3, 0.5)
    if has_sun or has_moon:
        if not flat and not neon:
            glow(img, bx, by, br * (5 if low else 3.5), pal.light if has_sun else sh.mix(pal.light, pal.sky[1], 0.5),
                  0.9 if low else (0.7 if has_sun else 0.45))
    if pal.night or r.has("stars") or neon:
        sc.stars(img, w, horizon * 0.95, (int(220 * w / 2048) if r.has("stars") else int(60 * w / 2048)) + 10, R["sky"])
    if has_sun:
        if neon:
            sc.synth_sun(img, w / 2, horizon - br * 1.1, br * 1.8)
        else:
            sc.sun(pen, bx, by, br, sh.mix(pal.light, (255, 252, 235), 0.6), rays=flat and not low)
    elif has_moon:
        sc.moon(img, bx, by, br * 0.9, (236, 232, 210) if not neon else (255, 120, 220),
                full="fullmoon" in r.modifiers or R["sky"].random() < 0.3, rng=R["sky"])
    n_clouds = (r.subject("cloud").count + 2) if r.has("cloud") else (
        0 if pal.night or neon else R["sky"].randint(0, 3))
    n_clouds = max(n_clouds, 6) if overcast else n_clouds
    cloud_c = (116, 122, 140) if "dramatic" in r.moods or overcast else (
        (250, 250, 255) if r.time in (None, "day") else sh.mix(pal.sky[2], (255, 255, 255), 0.45))
    if pal.night:
        cloud_c = (52, 60, 92)
    for _ in range(n_clouds):
        cx, cy = R["sky"].uniform(0.05, 0.95) * w, R["sky"].uniform(0.25, 0.6) * horizon
        sc.cloud(pen, cx, cy, u * R["sky"].uniform(0.16, 0.28), cloud_c, R["sky"])

    # land: distant relief, then ground or water
    haze = pal.sky[2]
    water = r.has("sea") or r.has("boat")
    if r.has("mountains"):
        snow = sh.mix((246, 248, 252), pal.light, 0.0 if r.time in (None, "day") else 0.3)
        sc.mountains(pen, w, horizon, horizon * 0.62, sh.mix(pal.mountain, haze, 0.5), R["relief"],
                     snow=not pal.night, peaks=5, snow_colour=snow)
        sc.mountains(pen, w, horizon, horizon * 0.42, pal.mountain, R["relief"],
                     snow=not pal.night and r.season != "desert", peaks=3, snow_colour=snow)
    elif not r.has("city") and not neon and not (water and not land):
        sc.hills(pen, w, horizon, h * (0.1 if r.has("hills") else 0.04), sh.mix(pal.ground[0], haze, 0.45),
                 R["relief"], horizon + 4)
    shore = horizon + (bottom - horizon) * rng.uniform(0.35, 0.55) if water and land else (h if water else horizon)
    if neon:
        pen.rect((-5, horizon, w + 5, h + 5), (10, 0, 26))
        sc.neon_grid(img, horizon, h, (255, 60, 200) if not water else (0, 230, 255))
    else:
        if water:
            sea = gradient(w, int(h - horizon) + 1, (sh.mix(pal.sea[0], haze, 0.35),) + pal.sea)
            img.paste(sea, (0, int(horizon)))
        if shore < h:
            ground = gradient(w, int(h - shore) + 1, pal.ground, bands=4 if flat else 0)
            img.paste(ground, (0, int(shore)))
            if r.has("hills"):
                sc.hills(pen, w, shore + (bottom - shore) * 0.3, h * 0.12, pal.ground[0], R["relief"], h)
    if water:
        shine = pal.light if (has_sun or has_moon) and not neon else None
        sc.water_details(pen, w, horizon, min(shore, h), sh.mix(pal.sea[0], (255, 255, 255), 0.35), R["water"],
                         shine, bx)
    if r.has("city"):
        big = hero == "city" or kinds[0] == "city"
        part = sorted((R["city"].uniform(0, 0.5) * w, R["city"].uniform(0.6, 1.1) * w))
        x0, x1 = (0, w) if big or R["city"].random() < 0.5 else part
        sc.city(pen, x0, x1, horizon + 2, h * (0.42 if big else 0.26), R["city"],
                (40, 44, 70) if pal.night else (96, 110, 140), night=pal.night or neon, haze=haze)
    if r.has("forest"):
        near = horizon + (bottom - horizon) * (0.45 if kinds[0] == "forest" else 0.3)
        if water:  # a forest by water stands on the far shore, behind the water
            near = horizon + 2
        sc.forest(pen, w, horizon - (h * 0.03 if water else -2), near, pal.leaf, haze, R["forest"],
                  snow=r.season == "winter")
    road_y = None
    if r.has("road") or r.has("car"):
        road_y = shore + (bottom - shore) * rng.uniform(0.55, 0.7) if shore < h else None
        if road_y:
            sc.road(pen, w, road_y, h * 0.07, pal.night)
    if not flat and not neon and shore < h and not r.has("road"):
        sc.grass(pen, w, shore + (bottom - shore) * 0.3, bottom, pal.ground[1], R["grass"])

    _place_objects(pen, img, r, pal, R["objects"], w, h, horizon, shore, bottom, road_y, hero)
    if "rain" in r.modifiers:
        sc.rain(img, R["weather"])
    if "snow" in r.modifiers or r.season == "winter":
        sc.snowfall(img, R["weather"])
    return img


def _place_objects(pen, img, r, pal, rng, w, h, horizon, shore, bottom, road_y, hero):
    """Seeded placement: the hero (first thing named) big and central, the rest spread by depth."""
    u = min(w, h)
    todo = []
    for s in r.subjects:
        if s.kind == "person" and r.has("face"):
            continue  # the portrait is the person
        if s.kind in _BASE:
            n = s.count * (4 if s.kind == "flower" and s.count > 1 else 1)
            todo += [(s.kind, s.colour, s.kind == hero and i == 0, s.genders[i] if i < len(s.genders) else None)
                     for i in range(min(n, 14))]
    taken: list[tuple[float, float]] = []
    items = []
    for kind, colour, is_hero, gender in todo:
        if kind == "boat":
            if shore <= horizon:
                continue
            d = rng.uniform(0.75, 0.9) if is_hero else rng.uniform(0.2, 0.8)
            y = horizon + (min(shore, bottom) - horizon) * d
        elif kind == "car" and road_y:
            d, y = 0.9, road_y + h * 0.02
        else:
            if shore >= h:
                continue
            d = rng.uniform(0.78, 0.95) if is_hero else rng.uniform(0.3, 0.95)
            if kind == "flower" and not is_hero:
                d = rng.uniform(0.75, 1.0)
            y = shore + (bottom - shore) * d
        size = _BASE[kind] * h * (0.45 + 0.6 * d) * (_HERO.get(kind, 1.7) if is_hero else 1.0)
        size = min(size, max(8.0, y - h * 0.04))
        half = size * (1.4 if kind == "car" else 0.45)
        best, score = w / 2, 1e9
        lo, hi = min(0.5, half / w + 0.02), max(0.5, 1 - half / w - 0.02)  # stay inside the frame
        for _ in range(30):  # pick the x that overlaps least with what is already placed
            x = rng.uniform(max(lo, 0.32), min(hi, 0.68)) * w if is_hero else rng.uniform(lo, hi) * w
            over = sum(max(0.0, min(x + half, b) - max(x - half, a)) for a, b in taken)
            if over < score:
                best, score = x, over
        taken.append((best - half, best + half))
        items.append((y, kind, best, size, colour, gender))
    for y, kind, x, size, colour, gender in sorted(items, key=lambda it: it[0]):
        _draw_object(pen, kind, x, y, size, colour, pal, rng, gender)
    birds = r.subject("bird")
    if birds:
        if hero == "bird":
            sh.bird(pen, w * rng.uniform(0.4, 0.6), horizon * rng.uniform(0.4, 0.6), u * 0.42,
                    birds.colour or (250, 250, 250), rng)
        for _ in range(birds.count + 2 if birds.count > 1 or hero != "bird" else 2):
            aside = rng.choice((rng.uniform(0.05, 0.3), rng.uniform(0.7, 0.95)))  # clear of the big bird
            x = aside if hero == "bird" else rng.uniform(0.08, 0.92)
            sh.gull(pen, x * w, rng.uniform(0.12, 0.6) * horizon, u * rng.uniform(0.02, 0.04),
                    birds.colour or ((230, 230, 235) if pal.night else (40, 40, 50)))
    if r.has("face"):
        from .portrait import face_layer  # the same face the avatar tools draw
        size = int(min(w * 0.95, h * 0.82))
        hair = "long" if "feminine" in r.modifiers else ("short" if "masculine" in r.modifiers else None)
        face = face_layer(rng.randrange(1 << 30), size, hair=hair)
        img.paste(face, (int(w / 2 - size / 2), int(h - size * 0.98)), face)


def _draw_object(pen, kind, x, y, size, colour, pal: Palette, rng, gender=None):
    accent = colour or rng.choice([(214, 60, 50), (50, 110, 200), (240, 190, 40), (120, 70, 170), (40, 150, 120)])
    if kind == "tree":
        if pal.ground[0][2] > 200 and pal.ground[0][0] > 200:  # a snowy ground grows snowy pines
            sh.pine(pen, x, y, size, sh.shade(pal.leaf, 0.9), snow=True)
        else:
            sh.tree(pen, x, y, size, colour or pal.leaf, rng)
    elif kind == "palm":
        sh.palm(pen, x, y, size, colour or (60, 150, 60), rng)
    elif kind == "house":
        sh.house(pen, x, y, size, rng.choice([(238, 226, 200), (230, 210, 180), (210, 220, 228)]),
                 colour or rng.choice([(170, 60, 50), (90, 70, 60), (60, 80, 120)]), pal.night)
    elif kind == "person":
        skin = rng.choice([(240, 200, 170), (200, 150, 110), (140, 95, 65), (95, 65, 45)])
        hair = rng.choice([(40, 30, 25), (110, 70, 40), (200, 160, 90), (20, 20, 20)])
        dress = rng.random() < 0.5 if gender is None else gender == "feminine"
        sh.person(pen, x, y, size, accent, skin, hair, rng, dress=dress)
    elif kind == "cat":
        fur = rng.choice([(120, 120, 126), (230, 140, 60), (50, 48, 52), (200, 190, 180)])
        sh.cat(pen, x, y, size, colour or fur, rng)
    elif kind == "dog":
        fur = rng.choice([(170, 120, 70), (220, 180, 110), (90, 60, 40), (240, 236, 228)])
        sh.dog(pen, x, y, size, colour or fur, rng)
    elif kind == "flower":
        petal = rng.choice([(230, 60, 80), (250, 200, 50), (240, 120, 180), (150, 90, 220), (250, 250, 250)])
        sh.flower(pen, x, y, size, colour or petal, rng)
    elif kind == "car":
        sh.car(pen, x, y, size, accent, pal.night, rng)
    elif kind == "boat":
        sh.boat(pen, x, y, size, colour or rng.choice([(150, 60, 40), (245, 245, 240), (40, 70, 130)]))
