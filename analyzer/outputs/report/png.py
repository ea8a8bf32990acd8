"""PNG export of plotly figures through kaleido 1.x and a locally installed Chromium.

kaleido 1.x drives a Chrome or Chromium it finds on the machine (it never downloads one here:
there is no network).  Where kaleido or a browser is missing, PNGs are skipped and the caller
gets a warning to record in the report manifest, never an exception: a report without PNGs
is still a report.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Browsers kaleido can drive, in the order we try them (Debian's package is "chromium").
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PNG_WIDTH = 900  # px; the figure builders set heights, widths follow the report's column


def find_browser() -> str | None:
    """The browser kaleido will use: ``$BROWSER_PATH`` if it names a file, else the first on PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and Path(configured).is_file():
        return configured
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def png_support() -> tuple[bool, str]:
    """``(True, browser path)`` when PNGs can be made, else ``(False, reason)``."""
    if importlib.util.find_spec("kaleido") is None:
        return False, "kaleido is not installed (pip install 'kaleido>=1'): PNGs skipped"
    browser = find_browser()
    if browser is None:
        return False, ("no Chrome/Chromium found (apt-get install chromium, or set BROWSER_PATH): "
                       "PNGs skipped")
    return True, browser


def write_pngs(figures: Sequence[go.Figure], paths: Sequence[Path], *, width: int = PNG_WIDTH) -> str | None:
    """Render ``figures`` to ``paths`` in one browser session; returns a warning or None.

    MathJax is switched off for the call (it would be fetched from a CDN and stall offline).
    """
    if not figures:
        return None
    ok, detail = png_support()
    if not ok:
        return detail
    import plotly.io as pio

    # choreographer (kaleido's browser driver) reads BROWSER_PATH; set it only for this call.
    previous_env = os.environ.get("BROWSER_PATH")
    previous_mathjax = pio.defaults.mathjax
    os.environ["BROWSER_PATH"] = detail
    pio.defaults.mathjax = None
    try:
        heights = [int(fig.layout.height or 400) for fig in figures]
        pio.write_images(list(figures), [str(p) for p in paths], format="png", width=width, height=heights)
    except Exception as exc:  # noqa: BLE001 - any browser failure means "no PNGs", reported
        for path in paths:
            Path(path).unlink(missing_ok=True)
        return f"PNG export failed ({type(exc).__name__}: {exc}): PNGs skipped"
    finally:
        pio.defaults.mathjax = previous_mathjax
        if previous_env is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = previous_env
    return None
