"""Plain data: one paragraph of a transcript, labelled or not."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Paragraph:
    """A unit of coding. `labels` is None when the paragraph has not been coded."""

    text: str
    transcript: str
    index: int
    speaker: str | None = None
    start: str | None = None
    id: str | None = None
    labels: list[str] | None = None
    register: str | None = None
    source: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable identity: the record id if it has one, else transcript and position."""
        return self.id or f"{self.transcript}#{self.index}"

    def to_record(self) -> dict:
        """The JSON Lines form, without empty optional fields."""
        data = {k: v for k, v in asdict(self).items() if k != "extra"}
        data.update(self.extra)
        return {k: v for k, v in data.items() if v is not None or k in ("speaker", "start")}
