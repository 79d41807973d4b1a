"""translator: computer-assisted translation of Arabic news articles into English."""

__version__ = "0.1.0"
