"""Headless Chromium for the browser tests."""

from __future__ import annotations

from pathlib import Path

# Debian's chromium, driven by Playwright without its own browser download.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
