"""What both reports share: the colours of the mastery levels and turning a figure into PNG bytes.

Figures are made with :class:`matplotlib.figure.Figure` and drawn on their own Agg canvas: no pyplot, no
global backend, so reports rendered at the same time in several threads do not interfere.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from adaptive.domain.evidence import LEVEL_NAMES

# One colour per level, light to dark (a single hue, readable by colour-blind readers and in greyscale);
# "not started" is a neutral grey. Flags are marked in a contrasting orange.
LEVEL_COLOURS = dict(zip(LEVEL_NAMES, ("#e6e6e6", "#c6dbef", "#6baed6", "#2171b5", "#08306b"), strict=True))
FLAG_COLOUR = "#e6550d"


def plain(text: str) -> str:
    """``text`` as matplotlib draws it letter for letter: a name such as ``Zoe $\\notacommand$ Quinn`` is a name,
    never mathtext to parse (an unknown command would stop the report). Every dollar sign is escaped, so no pair
    of them opens math; matplotlib shows an escaped one as ``$``."""
    return text.replace("$", r"\$")


def png_bytes(figure: Figure, dpi: int = 100) -> bytes:
    """The figure as a PNG (drawn on an Agg canvas of its own)."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
