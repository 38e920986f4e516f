"""Pre-code Dutch interview transcripts with the leadership factors of Het Nieuwe Werken."""

__version__ = "0.1.0"
