"""The project's exceptions and warnings. The CLI turns each into a one-line message (and, for an
exception, an exit code)."""

from __future__ import annotations


class HnwError(Exception):
    """Base class for every error a user can cause and fix."""


class InputError(HnwError):
    """A transcript or data file cannot be read: wrong format, encoding, or content."""


class CorpusError(HnwError):
    """A JSON Lines record set breaks the schema (missing field, bad JSON, unknown code)."""


class CodebookError(HnwError):
    """The codebook file is missing, malformed, or inconsistent."""


class ModelError(HnwError):
    """A model directory is missing, altered, or incompatible with this version."""


class PipelineError(HnwError):
    """The requested spaCy pipeline cannot be loaded."""


class MissingExtra(HnwError):
    """A command needs an optional dependency that is not installed."""


class PipelineNotice(UserWarning):
    """The tool falls back to spaCy's blank Dutch pipeline."""


class PipelineMismatch(UserWarning):
    """The spaCy pipeline differs from the one the model was trained with."""
