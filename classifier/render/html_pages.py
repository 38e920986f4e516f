"""What every HTML page of the tool shares: Jinja templates with autoescaping, inlined
CSS and JavaScript, a Content-Security-Policy that allows no network, and code colours.

Pages are single self-contained files because transcripts are confidential: nothing
is fetched from anywhere, and the policy makes the browser refuse it if something tried.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from markupsafe import Markup

from classifier.data.codebook import Codebook

if TYPE_CHECKING:
    from jinja2 import Environment

# Used for codes whose codebook entry has no colour (matplotlib's tab10, in order).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


@lru_cache(maxsize=1)
def environment() -> "Environment":
    # autoescape=True for every template: transcript text is data, never markup.
    from jinja2 import Environment, PackageLoader, StrictUndefined  # only pages need it

    return Environment(loader=PackageLoader("classifier.render", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=8)
def asset(name: str) -> str:
    """A CSS or JavaScript file shipped beside the templates, to be inlined in a page."""
    return resources.files("classifier.render").joinpath("templates", name).read_text(encoding="utf-8")


QUOTED_NONE = "'none'"


def content_security_policy(scripts: list[str]) -> str:
    """No network at all; inline styles; only the given inline scripts, pinned by hash, so
    a script that slipped into the page from a transcript would not run either."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in scripts)
    return ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            f"script-src {hashes or QUOTED_NONE}; base-uri 'none'; form-action 'none'")


def render(template: str, *, css: list[str], scripts: list[str] = (), **data) -> str:
    """Render a page template with the named CSS and JavaScript assets inlined."""
    script_text = [asset(name) for name in scripts]
    return environment().get_template(template).render(
        csp=content_security_policy(script_text),
        css=Markup("\n".join(asset(name) for name in css)),
        scripts=[Markup(text) for text in script_text],
        **data)


def ink(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (WCAG relative luminance)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def code_styles(codebook: Codebook, thresholds: dict[str, float]) -> list[dict]:
    """Per code, in codebook order: what a page shows of it, and the number key that toggles it."""
    styles = []
    for n, code in enumerate(codebook.codes):
        colour = code.colour or PALETTE[n % len(PALETTE)]
        styles.append({"id": code.id, "name": code.name, "description": code.description,
                       "colour": colour, "ink": ink(colour), "threshold": thresholds.get(code.id, 0.5),
                       "key": str(n + 1) if n < 9 else None})
    return styles
