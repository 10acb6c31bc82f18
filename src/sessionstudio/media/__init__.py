"""Reading media files: probing, thumbnails, waveforms, poster frames, PNG metadata.

No Qt here: only the standard library, Pillow, PyAV and numpy, so workers and
the command line can use it without a GUI.
"""

from sessionstudio.media.a1111 import format_parameters, parse_parameters
from sessionstudio.media.audio import probe_audio, waveform_peaks
from sessionstudio.media.images import MAX_PIXELS, open_image, probe_image
from sessionstudio.media.info import MediaInfo, mime_for
from sessionstudio.media.png_text import add_png_text, read_png_text
from sessionstudio.media.probe import probe
from sessionstudio.media.thumbnails import make_thumbnail, waveform_json, write_atomically
from sessionstudio.media.video import poster_frame, probe_video

__all__ = [
    "MAX_PIXELS",
    "MediaInfo",
    "add_png_text",
    "format_parameters",
    "make_thumbnail",
    "mime_for",
    "open_image",
    "parse_parameters",
    "poster_frame",
    "probe",
    "probe_audio",
    "probe_image",
    "probe_video",
    "read_png_text",
    "waveform_json",
    "waveform_peaks",
    "write_atomically",
]
