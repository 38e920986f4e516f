"""What ships with the package: the default model, the codebook, and (in a checkout) the corpus.

Installed from a wheel, the model and codebook are package data inside `classifier/`; in a
checkout of the repository they live in its top-level models/ and corpus/ folders. Either
way a command finds them from any working directory.
"""

from __future__ import annotations

from pathlib import Path

from classifier.errors import ModelError

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_MODEL = "default"


def shipped(*parts: str) -> Path:
    """The shipped file or folder at `parts` (e.g. "models", "default"): inside the installed
    package, else at the top of the repository this package was imported from."""
    packaged = PACKAGE_DIR.joinpath(*parts)
    return packaged if packaged.exists() else PACKAGE_DIR.parent.joinpath(*parts)


def repository_corpus() -> Path:
    """The labelled corpus of a checkout. It is not package data: a wheel ships none."""
    return PACKAGE_DIR.parent / "corpus"


def shipped_models() -> list[str]:
    folder = shipped("models")
    return sorted(p.name for p in folder.iterdir() if (p / "card.json").is_file()) if folder.is_dir() else []


def model_dir(name_or_path: str | Path) -> Path:
    """A model directory from a path, or from the name of a shipped model ("default")."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    name = str(name_or_path)
    if "/" not in name and "\\" not in name and name in shipped_models():
        return shipped("models", name)
    known = ", ".join(shipped_models()) or "none"
    raise ModelError(f"{name_or_path}: model directory not found, and no shipped model has that name "
                     f"(shipped: {known})")
