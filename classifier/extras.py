"""Optional dependencies: side commands import their extra only when they run, and a
missing extra is one line saying what to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from classifier.errors import MissingExtra

EXTRAS = {"cluster": "Dask clusters (--scheduler)", "audit": "audit", "plots": "plots"}


def require(module: str, extra: str) -> ModuleType:
    """Import `module`, which the package's `extra` brings."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{EXTRAS[extra]} needs the optional package {module.split('.')[0]!r}: "
                           f"pip install 'hnw-classifier[{extra}]'") from None
