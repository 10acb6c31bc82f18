"""The built-in engine's actions and their parameters, in the words of the Use menus.

Choices come from the modules that implement them, so a form never offers a value the
engine would refuse."""

from functools import lru_cache

from ..protocol import ActionSpec, Param

P = Param
VISUAL_ITEMS = ("image", "video")
AUDIO_ITEMS = ("music", "voiceover")


@lru_cache(maxsize=1)
def builtin_actions() -> tuple[ActionSpec, ...]:
    from . import audio_fx, motion, motion_styles, picture, portrait, speech
    from . import music as music_mod

    aspect = lambda default: P("aspect", "choice", default, picture.ASPECTS,  # noqa: E731
                               "aspect ratio", label="Aspect ratio")
    resolution = P("resolution", "choice", "1024", ("512", "1024", "2048"),
                   "longest side in pixels")
    quality = P("quality", "choice", "standard", ("draft", "standard", "high"),
                "draft renders at half size and scales up; high adds detail")
    style = P("style", "choice", "auto", picture.STYLES, "look of the picture")
    duration = P("duration", "float", 4.0, help="seconds", minimum=1, maximum=60)
    fps = P("fps", "int", 24, help="frames per second", minimum=1, maximum=60)
    direction = P("direction", "choice", "in", motion.DIRECTIONS, "camera motion")
    strength = P("strength", "float", 0.15, help="how far the camera travels (0.02–0.5)",
                 minimum=0.02, maximum=0.5)
    voice = P("voice", "choice", speech.VOICES[0], speech.VOICES, "speaking voice")
    langs = tuple(speech.LANGUAGES)
    language = P("language", "choice", "en", langs, "language of the text: "
                 + ", ".join(f"{c} ({n})" for c, n in speech.LANGUAGES.items()))
    accents = sorted({a for table in speech.ACCENTS.values() for a in table})
    accent = P("accent", "choice", "", ("", *accents), "accent (English voices)")
    emotion = P("emotion", "choice", "neutral", speech.EMOTIONS, "tone of voice")
    speed = P("speed", "float", 1.0, help="0.5 = half speed, 2 = double", minimum=0.5, maximum=2.0)
    effect = P("effect", "choice", "none", audio_fx.EFFECTS, "sound effect on the voice")
    genre = P("genre", "choice", "ambient", music_mod.GENRES, "style of music")
    mood = P("mood", "choice", "calm", music_mod.MOODS, "feeling of the track")
    length = P("length", "float", 30.0, help="track length in seconds", minimum=5, maximum=600)
    tempo = P("tempo", "int", 0, help="beats per minute (0 = from the genre)", minimum=0,
              maximum=220)
    theme = P("theme", "choice", "", ("", *music_mod.THEMES), "video theme the track is for",
              label="Video theme")
    lyrics = P("lyrics", "text", "", help="words sung over the music (optional)")
    factor = P("factor", "choice", "2", ("2", "4"), "how many times bigger")
    auto = lambda name, values, what: P(name, "choice", "auto", ("auto", *values),  # noqa: E731
                                        f"{what} (auto: from the picture's colours and motion)")
    return (
        # generate from a prompt
        ActionSpec("image", "generate", "Generate Image", "image",
                   (aspect("1:1"), resolution, quality, style), prompt="a description of the picture"),
        ActionSpec("video", "generate", "Generate Video", "video",
                   (aspect("16:9"), style, duration, fps, direction, strength),
                   prompt="a description of the scene"),
        ActionSpec("music", "generate", "Generate Music", "music",
                   (genre, mood, length, tempo, theme, lyrics, voice),
                   prompt="a description of the track", prompt_required=False),
        ActionSpec("voiceover", "generate", "Generate Voiceover", "voiceover",
                   (voice, language, accent, emotion, speed, effect), prompt="the text to speak"),
        # images
        ActionSpec("image", "edit", "Edit Image", "image", (),
                   prompt="an instruction, e.g. “warmer and crop to 16:9”"),
        ActionSpec("image", "upscale", "Upscale", "image", (factor,)),
        ActionSpec("image", "image_to_video", "Generate Video", "video",
                   (duration, fps, direction, strength)),
        ActionSpec("image", "avatar", "Create Avatar", "image",
                   (P("style", "choice", "cartoon", portrait.AVATAR_STYLES, "avatar look"),)),
        ActionSpec("image", "music_from_media", "Generate Music", "music",
                   (auto("genre", music_mod.GENRES, "style"), auto("mood", music_mod.MOODS, "feeling"),
                    length, lyrics, voice)),
        # videos
        ActionSpec("video", "edit", "Edit Video", "video", (),
                   prompt="an instruction applied to every frame, e.g. “black and white”"),
        ActionSpec("video", "upscale", "Upscale", "video", (factor,)),
        ActionSpec("video", "video_to_video", "Generate Video", "video",
                   (P("style", "choice", "painting", motion_styles.VIDEO_STYLES, "new look"),)),
        ActionSpec("video", "lipsync", "Create Lip-Sync", "video",
                   (P("audio", "item", None, kinds=AUDIO_ITEMS, required=True,
                      help="the voiceover or track to lip-sync to"),)),
        ActionSpec("video", "translate", "Translate Video", "video",
                   (P("language", "choice", "es", langs, "language to re-voice it in"),
                    P("text", "text", "", help="your translation (optional: a built-in "
                      "phrasebook is used when empty)"))),
        ActionSpec("video", "extend", "Extend Video", "video",
                   (P("seconds", "float", 4.0, help="seconds to add", minimum=1, maximum=30),)),
        ActionSpec("video", "avatar", "Create Avatar", "image",
                   (P("style", "choice", "cartoon", portrait.AVATAR_STYLES, "avatar look"),)),
        ActionSpec("video", "music_from_media", "Generate Music", "music",
                   (auto("genre", music_mod.GENRES, "style"), auto("mood", music_mod.MOODS, "feeling"),
                    length, lyrics, voice)),
        # voiceovers
        ActionSpec("voiceover", "voice_to_video", "Generate Video", "video",
                   (aspect("16:9"), style)),
        ActionSpec("voiceover", "lipsync", "Create Lip-Sync", "video",
                   (P("visual", "item", None, kinds=VISUAL_ITEMS, required=True,
                      help="the picture or video whose mouth moves"),)),
        ActionSpec("voiceover", "avatar", "Create Avatar", "video", (),
                   help="a generated face speaking this voiceover"),
    )
