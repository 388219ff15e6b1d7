"""gmrd: the Global Migration Research Database."""

__version__ = "0.1.0"
