"""Writes the parts of a MusicPlan: drums, bass lines, chord comping and the melody.

Each style is a small function placing one bar of notes through the plan's writer
(which applies swing and humanising). The melody is written per 2-bar phrase from a
motif seeded by the section name, so every chorus sings the same tune.
"""

from __future__ import annotations

import zlib

import numpy as np

from sessionstudio.engines.builtin.music_styles import GENRE_SPECS, MOOD_SPECS

SECTION_ENERGY = {"intro": 0.45, "verse": 0.7, "chorus": 1.0, "bridge": 0.6, "outro": 0.45,
                  "end": 0.6}
_HIT = {"X": 1.0, "x": 0.75, "o": 0.4}
_POP_KIT = GENRE_SPECS["pop"].drums


class Ctx:
    """What every part writer needs: the plan, its writer, the key and the chord per bar."""

    def __init__(self, plan, w, tonic, scale, rng):
        self.plan, self.w, self.tonic, self.scale, self.rng = plan, w, tonic, scale, rng
        self.meter = plan.meter
        self.motif_seed = int(rng.integers(2**31))
        self.seen: dict[str, int] = {}  # how often each section name has been written
        bar = plan.bar_seconds
        self.chord_at = [next(c for c in plan.chords
                              if c.start <= b * bar + 1e-6 < c.start + c.length or c.section == "end")
                         for b in range(plan.n_bars + 1)]


def _vel(ctx, v: float) -> float:
    return v * (1 + ctx.rng.normal(0, 0.05))


# --- harmony ----------------------------------------------------------------------

def comp(ctx, inst, style, bar, level, first_of_chord):
    chord, m, add = ctx.chord_at[bar], ctx.meter, ctx.w.add
    notes = chord.notes
    if style == "pad":
        if first_of_chord:
            for n in notes:
                add(inst, bar, 0, chord.length / ctx.w.beat, n, 0.7 * level)
    elif style in ("block", "rhodes", "comp", "stabs", "power"):
        hits = {"block": ((0, 1.5), (2, 1.5)) if m == 4 else ((0, 2.5),),
                "rhodes": ((0, 2.5), (2.75, 1.2)), "comp": ((0, 0.6), (1.5, 0.5)),
                "stabs": ((0.5, 0.3), (1.5, 0.3), (2.5, 0.3), (3.5, 0.3)),
                "power": tuple((i * 0.5, 0.45) for i in range(2 * m))}[style]
        for beat, beats in hits:
            if beat >= m:
                continue
            if style == "power":
                add(inst, bar, beat, beats, _low(chord.root) + 12, _vel(ctx, 0.8 * level))
            else:
                for n in notes:
                    add(inst, bar, beat, beats, n, _vel(ctx, 0.65 * level))
    elif style in ("arp", "arp16", "alberti"):
        step = 0.25 if style == "arp16" else (1.0 if ctx.plan.genre == "ambient" else 0.5)
        up = sorted(notes) + [min(notes) + 12]
        order = {"alberti": [0, 2, 1, 2], "arp16": up + up[-2:0:-1] + [n + 12 for n in up]}.get(
            style, up + up[-2:0:-1])
        octave = 12 if inst in ("bell", "chip", "synth") else 0
        for i in range(int(m / step)):
            if ctx.plan.genre == "ambient" and ctx.rng.random() < 0.4:
                continue  # sparse bells breathe
            add(inst, bar, i * step, step * (2.5 if inst == "bell" else 0.95),
                order[i % len(order)] + octave, _vel(ctx, (0.55 if i % 2 else 0.7) * level))
    elif style == "strum":
        # Down-up strum; each string ~12 ms after the last, low to high on downstrokes.
        low = _low(chord.root) + 12
        shape = sorted({low, low + 7, *notes, min(notes) + 12})
        for beat, down in ((0, 1), (1, 1), (1.5, 0), (2.5, 0), (3, 1), (3.5, 0))[: 2 * m]:
            if beat >= m:
                continue
            strings = shape if down else shape[::-1][:4]  # upstrokes catch the top strings
            vel = (0.7 if down else 0.45) * level
            for j, n in enumerate(strings):
                add(inst, bar, beat + j * 0.012 / ctx.w.beat, 1.0, n, _vel(ctx, vel))


def _low(root: int) -> int:
    """The root folded into G1-F#2, the register where bass lines sit."""
    return 31 + (root - 31) % 12


def bassline(ctx, inst, style, bar, level, first_of_chord):
    chord, m, add = ctx.chord_at[bar], ctx.meter, ctx.w.add
    root = _low(chord.root)
    fifth = root + 7
    if style == "whole":
        if first_of_chord:
            add(inst, bar, 0, chord.length / ctx.w.beat, root, 0.8 * level)
        return
    pattern = {
        "drive": [(i * 0.5, 0.45, root) for i in range(2 * m)],
        "pop": [(0, 1.4, root), (1.5, 0.5, root), (2, 1, fifth), (3.5, 0.5, root + 12)],
        "offbeat": [(i + 0.5, 0.4, root) for i in range(m)],
        "boom": [(0, 1.5, root), (2.5, 1.0, root), (3.5, 0.4, fifth)],
        "half": [(0, 1.9, root), (2, 1.9, fifth)] if m == 4 else [(0, 2.9, root)],
        "folk": [(0, 0.9, root), (2, 0.9, fifth - 12)] if m == 4 else [(0, 0.9, root)],
    }.get(style)
    if style == "walking":
        nxt = _low(ctx.chord_at[min(bar + 1, len(ctx.chord_at) - 1)].root)
        target = root + (nxt - root) % 12 - (12 if (nxt - root) % 12 > 6 else 0)
        third = root + (sorted((n - chord.root) % 12 for n in chord.notes)[1])
        tones = [root, third, fifth,
                 target + ctx.rng.choice((-1, 1))]
        pattern = [(i, 0.95, tones[i % 4]) for i in range(m)]
    for beat, beats, note in pattern:
        if beat < m:
            add(inst, bar, beat, beats, note, _vel(ctx, 0.85 * level))


# --- drums ------------------------------------------------------------------------

def drums(ctx, kit, section, bar, level, last_of_section, next_section):
    add = ctx.w.add
    steps = 4 * ctx.meter
    energy = ctx.plan.energy
    for drum, pattern in kit.items():
        if section == "bridge" and drum in ("kick", "snare", "clap", "timpani", "tom"):
            continue
        if section == "verse" and (drum in ("ohat", "tom") or (drum == "hat" and energy < 0.4)):
            continue
        for i, ch in enumerate(pattern[:steps]):
            if ch in _HIT and not (last_of_section and next_section == "chorus" and i >= steps - 4):
                pitch = {"tom": 45, "timpani": ctx.tonic - 12}.get(drum, 36)
                add(drum, bar, i * 0.25, 0.25, pitch,
                    _vel(ctx, _HIT[ch] * level))
    if last_of_section and next_section == "chorus":
        roll = "snare" if "snare" in kit else ("tom" if "tom" in kit else "clap")
        for i in range(4):  # a rising fill into the chorus
            add(roll, bar, ctx.meter - 1 + i * 0.25, 0.25, 45, 0.5 + 0.12 * i)


# --- melody -----------------------------------------------------------------------

def melody(ctx, inst, section, first, count, level):
    g, mood = GENRE_SPECS[ctx.plan.genre], MOOD_SPECS[ctx.plan.mood]
    # Seeded by the section name, so a chorus comes back with its tune; long pieces get a
    # fresh tune after every two appearances so ten minutes do not loop one idea.
    turn = ctx.seen.get(section, 0)
    ctx.seen[section] = turn + 1
    rng = np.random.default_rng([ctx.motif_seed, zlib.crc32(section.encode()), turn // 2])
    center = 70 + 4 * mood.octave - (5 if inst in ("brass", "strings") else 0)
    pool = [ctx.tonic + s + 12 * o for o in range(6) for s in ctx.scale]
    pool = [p for p in pool if center - 9 <= p <= center + 12]
    m = ctx.meter
    density = g.density * {"verse": 0.75, "bridge": 0.85}.get(section, 1.0)
    slots = np.arange(0, 2 * m, 0.5)
    strong = (slots % 1 == 0)
    onsets = slots[(rng.random(len(slots)) < np.where(strong, density + 0.25, density - 0.1))
                   | (slots == 0)]
    steps = rng.choice((-2, -1, -1, 0, 1, 1, 2, 3, -3), len(onsets))
    for p, bar in enumerate(range(first, first + count, 2)):
        chord = ctx.chord_at[bar]
        idx = int(np.argmin([abs(n - center) + 12 * (n % 12 not in {c % 12 for c in chord.notes})
                             for n in pool]))
        for j, beat in enumerate(onsets):
            b = bar + int(beat // m)
            if b >= first + count:
                break
            end = onsets[j + 1] if j + 1 < len(onsets) else 2 * m
            idx = int(np.clip(idx + steps[j], 0, len(pool) - 1))
            if beat % 1 == 0:  # strong beats land on a chord tone
                tones = {c % 12 for c in ctx.chord_at[b].notes}
                near = [k for k in range(len(pool)) if pool[k] % 12 in tones]
                idx = min(near, key=lambda k: abs(k - idx)) if near else idx
            last = b == first + count - 1 and j == len(onsets) - 1
            ctx.w.add(inst, b, beat % m, min(2.0, end - beat) * (0.9 if not last else 1.5),
                      pool[idx], _vel(ctx, (0.85 if beat % 1 == 0 else 0.7) * level))


# --- the whole piece --------------------------------------------------------------

def write_parts(plan, w, tonic, scale, rng):
    ctx = Ctx(plan, w, tonic, scale, rng)
    g = GENRE_SPECS[plan.genre]
    mix = 0.55 + 0.45 * plan.energy
    names = [s[0] for s in plan.sections]
    for si, (name, first, count) in enumerate(plan.sections):
        level = SECTION_ENERGY[name] * mix
        nxt = names[si + 1] if si + 1 < len(names) else "end"
        for inst, style, role in plan.layers:
            if role == "lead" and name in ("verse", "chorus", "bridge"):
                melody(ctx, inst, name, first, count, level)
            elif role == "drums" and name in ("verse", "chorus", "bridge"):
                kit = g.drums or _POP_KIT
                for b in range(first, first + count):
                    drums(ctx, kit, name, b, level, b == first + count - 1, nxt)
                if name == "chorus" and any(d in kit for d in ("snare", "timpani")):
                    w.add("crash", first, 0, 1, 49, 0.8 * level)
            elif role == "accent" and name == "chorus":
                w.add(inst, first, 0, 1, 49, 0.8 * level)
            elif role == "noise" and si == 0:
                w.add(inst, 0, 0, plan.seconds / w.beat, 0, 0.7)
            elif role in ("chords", "extra", "bass"):
                if role == "bass" and name == "intro":
                    continue
                if role == "extra" and style != "pad" and name in ("intro", "outro"):
                    continue
                if role == "extra" and style == "pad" and name == "verse":
                    continue
                for b in range(first, first + count):
                    first_of_chord = (b - first) % g.bars_per_chord == 0
                    (bassline if role == "bass" else comp)(ctx, inst, style, b, level,
                                                           first_of_chord)
    # The ending: the tonic chord rings out over whatever time is left.
    end = plan.chords[-1]
    beats = end.length / w.beat
    for inst, style, role in plan.layers:
        if role in ("chords", "extra") and style in ("pad", "block", "rhodes", "strum", "comp", "arp"):
            for n in end.notes:
                w.add(inst, plan.n_bars, 0, beats, n, 0.5)
        elif role == "bass":
            w.add(inst, plan.n_bars, 0, beats, _low(end.root), 0.6)
        elif role == "drums" and (g.drums or _POP_KIT).get("kick"):
            w.add("kick", plan.n_bars, 0, 1, 36, 0.7)
            w.add("crash", plan.n_bars, 0, 1, 49, 0.6)
