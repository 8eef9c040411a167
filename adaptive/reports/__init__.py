"""Reports and pictures: the class heatmap and the student report card, rendered from plain records.

The reports service gathers the records (:mod:`adaptive.domain.reports`); everything here only draws them. The
renderers (and matplotlib) are imported on first use, so importing this package stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptive.lazy import lazy_exports

_EXPORTS = {
    "heatmap_figure": "adaptive.reports.heatmap",
    "heatmap_png": "adaptive.reports.heatmap",
    "heatmap_pngs": "adaptive.reports.heatmap",
    "progress_figure": "adaptive.reports.report_card",
    "progress_png": "adaptive.reports.report_card",
    "report_card_html": "adaptive.reports.report_card",
}
__all__ = ["heatmap_figure", "heatmap_png", "heatmap_pngs", "progress_figure", "progress_png", "report_card_html"]

if TYPE_CHECKING:
    from adaptive.reports.heatmap import heatmap_figure, heatmap_png, heatmap_pngs
    from adaptive.reports.report_card import progress_figure, progress_png, report_card_html


__getattr__ = lazy_exports(__name__, _EXPORTS)
