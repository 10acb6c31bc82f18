"""Names people read: session names from prompts or dates, file names safe on every OS."""

import re
import time
import unicodedata

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def dated_session_name(ms: int) -> str:
    """"Session 22 Nov 14:05" in local time."""
    t = time.localtime(ms / 1000)
    return f"Session {t.tm_mday} {time.strftime('%b %H:%M', t)}"


def name_from_prompt(prompt: str, max_words: int = 10, max_chars: int = 60) -> str:
    words = re.sub(r"\s+", " ", prompt).strip().split(" ")
    name = " ".join(words[:max_words]).strip(" ,.;:-")
    if len(name) > max_chars:
        name = name[:max_chars].rsplit(" ", 1)[0] or name[:max_chars]
    return name[:1].upper() + name[1:] if name else ""


def safe_filename(name: str, ext: str, max_len: int = 120) -> str:
    """A file name valid on Windows, macOS and Linux: no reserved characters or names,
    no trailing dots or spaces, normalised Unicode, bounded length."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name.encode("utf-8")) > max_len:
        name = name.encode("utf-8")[:max_len].decode("utf-8", "ignore").rstrip(" .")
    if not name:
        name = "untitled"
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return f"{name}.{ext}" if ext else name


def unique_path(directory, filename: str):
    """directory/filename, or "name (2).ext" and so on if taken: never overwrite."""
    from pathlib import Path
    directory = Path(directory)
    candidate = directory / filename
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    n = 2
    while candidate.exists():
        candidate = directory / (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})")
        n += 1
    return candidate
