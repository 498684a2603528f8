"""A measure over time with a date axis (plotext), one line per value (two for blood pressure).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot

from ens_consent_tui.client.measures import MeasureSpec
from ens_consent_tui.client.records import MeasurePoint
from ens_consent_tui.formatting import local

_PLOT_DATE = "d/m/Y"
_DATE = "%d/%m/%Y"
_MARKERS = ("braille", "dot")


class MeasureChart(PlotextPlot):
    """The chart of one measure type; lines are told apart by marker and legend, not colour."""

    DEFAULT_CSS = """
    MeasureChart {
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spec: MeasureSpec | None = None
        self.point_count = 0

    def show(self, spec: MeasureSpec, points: Sequence[MeasurePoint]) -> None:
        t = self.app.i18n
        self.spec, self.point_count = spec, len(points)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.date_form(_PLOT_DATE)
        plt.title(t("measures.chart.title", measure=t(f"measure.{spec.key}"),
                    unit=t(f"unit.{spec.key}")))
        dates = [local(p.effective).strftime(_DATE) for p in points]
        for index, component in enumerate(spec.components):
            label = t(f"component.{component.key}") if spec.has_components else None
            plt.plot(dates, [p.values[index] for p in points],
                     marker=_MARKERS[index % len(_MARKERS)], label=label)
        self.refresh()
