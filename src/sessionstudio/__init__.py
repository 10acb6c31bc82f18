"""Session Studio: a local-first library for everything you generate."""

__version__ = "0.1.0"
