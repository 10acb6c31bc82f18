"""The words the built-in interpreter knows: media nouns, ordinals, languages, voices.

Parameter *values* are checked against the engine's declared choices when an action
runs (actions.py), so a word here can never make an engine receive a value it refuses."""

KIND_NOUNS: dict[str, str] = {
    "image": "image", "images": "image", "picture": "image", "pictures": "image",
    "photo": "image", "photos": "image", "pic": "image", "pics": "image",
    "illustration": "image", "illustrations": "image", "drawing": "image", "drawings": "image",
    "painting": "image", "paintings": "image", "still": "image", "stills": "image",
    "artwork": "image", "poster": "image", "logo": "image", "watercolor": "image",
    "watercolour": "image", "sketch": "image", "sketches": "image", "render": "image",
    "video": "video", "videos": "video", "clip": "video", "clips": "video",
    "animation": "video", "animations": "video", "movie": "video", "movies": "video",
    "film": "video", "films": "video", "shot": "video", "shots": "video", "footage": "video",
    "music": "music", "song": "music", "songs": "music", "track": "music", "tracks": "music",
    "tune": "music", "tunes": "music", "soundtrack": "music", "soundtracks": "music",
    "melody": "music", "beat": "music", "beats": "music", "jingle": "music",
    "voiceover": "voiceover", "voiceovers": "voiceover", "voice-over": "voiceover",
    "voice-overs": "voiceover", "voice over": "voiceover", "voice overs": "voiceover",
    "narration": "voiceover", "narrations": "voiceover", "voice": "voiceover", "vo": "voiceover",
}
# Longest first, so "voice over" wins over "voice".
KIND_NOUN_PATTERN = "|".join(sorted((k.replace(" ", r"\s+") for k in KIND_NOUNS),
                                    key=len, reverse=True))
KIND_WORD = {"image": "image", "video": "video", "music": "music track",
             "voiceover": "voiceover"}
KIND_PLURAL = {"image": "images", "video": "videos", "music": "music tracks",
               "voiceover": "voiceovers"}
# "show only audio" and the like, for the canvas filter.
FILTER_GROUPS = {"audio": ["music", "voiceover"], "sound": ["music", "voiceover"],
                 "visual": ["image", "video"], "visuals": ["image", "video"],
                 "media": [], "everything": [], "all": [], "items": []}

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10,
    "last": -1, "latest": -1, "newest": -1, "most recent": -1, "previous": -1,
    "second to last": -2, "second-to-last": -2, "penultimate": -2, "next to last": -2,
    "third to last": -3,
}
ORDINAL_PATTERN = "|".join(sorted((k.replace(" ", r"\s+") for k in ORDINALS), key=len,
                                  reverse=True))

LANGUAGES: dict[str, str] = {
    "english": "en", "spanish": "es", "french": "fr", "german": "de", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "swedish": "sv", "danish": "da", "norwegian": "nb",
    "finnish": "fi", "polish": "pl", "czech": "cs", "romanian": "ro", "hungarian": "hu",
    "greek": "el", "turkish": "tr", "russian": "ru", "ukrainian": "uk", "japanese": "ja",
    "chinese": "zh", "mandarin": "zh", "korean": "ko", "vietnamese": "vi",
    "indonesian": "id", "hindi": "hi", "arabic": "ar", "hebrew": "he", "swahili": "sw",
}
ACCENTS: dict[str, str] = {
    "american": "American", "us": "American", "belgian": "Belgian", "brazilian": "Brazilian",
    "british": "British", "english": "British", "uk": "British", "cantonese": "Cantonese",
    "caribbean": "Caribbean", "lancashire": "Lancashire", "latin american": "Latin American",
    "new york": "New York", "northern": "Northern", "received pronunciation": "Received Pronunciation",
    "rp": "Received Pronunciation", "scottish": "Scottish", "southern": "Southern",
    "swiss": "Swiss", "west midlands": "West Midlands", "mandarin": "Mandarin",
}
VOICES: dict[str, str] = {
    "female": "female", "woman": "female", "woman's": "female", "women": "female",
    "girl": "female", "male": "male", "man": "male", "man's": "male", "men": "male",
    "guy": "male", "child": "child", "kid": "child", "child's": "child", "children": "child",
    "elder": "elder", "elderly": "elder", "old": "elder", "older": "elder",
}
EMOTIONS: dict[str, str] = {
    "happy": "happy", "cheerful": "happy", "joyful": "happy", "sad": "sad", "angry": "angry",
    "excited": "excited", "enthusiastic": "excited", "calm": "calm", "soothing": "calm",
    "whisper": "whisper", "whispered": "whisper", "whispering": "whisper", "neutral": "neutral",
}
MOODS: dict[str, str] = {
    "calm": "calm", "relaxing": "calm", "peaceful": "calm", "chill": "calm", "happy": "happy",
    "cheerful": "happy", "sad": "sad", "melancholic": "sad", "energetic": "energetic",
    "upbeat": "energetic", "dark": "dark", "romantic": "romantic", "epic": "epic",
    "mysterious": "mysterious", "uplifting": "uplifting", "tense": "tense", "suspenseful": "tense",
}
GENRES: dict[str, str] = {
    "ambient": "ambient", "pop": "pop", "rock": "rock", "electronic": "electronic",
    "edm": "electronic", "techno": "electronic", "hip hop": "hip hop", "hip-hop": "hip hop",
    "rap": "hip hop", "jazz": "jazz", "jazzy": "jazz", "classical": "classical",
    "orchestral": "classical", "lo-fi": "lo-fi", "lofi": "lo-fi", "lo fi": "lo-fi",
    "cinematic": "cinematic", "folk": "folk", "acoustic": "folk",
}
# Comparative words in "make it happier" for music moods and voiceover emotions.
COMPARATIVES: dict[str, str] = {
    "happier": "happy", "sadder": "sad", "calmer": "calm", "more relaxed": "calm",
    "more energetic": "energetic", "more upbeat": "energetic", "darker": "dark",
    "more romantic": "romantic", "more epic": "epic", "more mysterious": "mysterious",
    "more uplifting": "uplifting", "more tense": "tense", "angrier": "angry",
    "more excited": "excited", "more cheerful": "happy", "quieter": "whisper",
}
EFFECTS = ("echo", "radio", "robot", "hall")
STYLES = ("photo", "painting", "sketch", "pixel art", "neon", "watercolor", "flat", "vintage",
          "cartoon", "posterised", "outline")
DIRECTIONS: dict[str, str] = {
    "zoom in": "in", "zooming in": "in", "push in": "in", "zoom out": "out",
    "zooming out": "out", "pull out": "out", "pan left": "left", "panning left": "left",
    "pan right": "right", "panning right": "right", "tilt up": "up", "pan up": "up",
    "tilt down": "down", "pan down": "down",
}
