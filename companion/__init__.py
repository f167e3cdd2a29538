"""companion: a terminal app that walks one person through one interview session."""

__version__ = "0.1.0"
