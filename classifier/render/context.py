"""What an output format may need beside the records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from classifier.data.codebook import Codebook

if TYPE_CHECKING:
    from classifier.inference.persistence import LoadedModel


@dataclass(frozen=True)
class OutputContext:
    """What a format may need beside the records: the codebook (names, colours, definitions),
    each code's decision threshold, and which model made the records. Line formats ignore it."""

    codebook: Codebook | None = None
    thresholds: dict[str, float] = field(default_factory=dict)
    model_id: str | None = None

    @classmethod
    def from_model(cls, model: "LoadedModel") -> "OutputContext":
        codes = model.codes
        return cls(codebook=model.codebook, model_id=model.model_id,
                   thresholds={c: float(t) for c, t in zip(codes, model.thresholds)})
