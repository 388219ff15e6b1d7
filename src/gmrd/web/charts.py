"""Chart specifications (plotly.js data and layout as plain dicts) drawn by static/charts.js.

Charts carry no numbers of their own: each page also shows the table the chart is drawn from.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

COLOURS = ("#1f5f8b", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d", "#16a085")


Line = tuple[str, list[int], list[float | None], list[float | None], list[float | None]]


def _num(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)  # type: ignore[arg-type]


def line_from_rows(name: str, rows: list[Any]) -> Line:
    """A line from rows with fields year, value, lower, upper."""
    return (name, [int(r.year) for r in rows], [_num(r.value) for r in rows], [_num(r.lower) for r in rows],
            [_num(r.upper) for r in rows])


def line_from_frame(name: str, frame: pd.DataFrame) -> Line:
    return line_from_rows(name, list(frame.itertuples(index=False)))


def series_with_band(lines: list[Line], title: str, y_title: str) -> dict[str, Any]:
    """Lines over years with a shaded [lower, upper] band per line where the interval is known."""
    data: list[dict[str, Any]] = []
    for i, (name, years, values, lower, upper) in enumerate(lines):
        colour = COLOURS[i % len(COLOURS)]
        if all(v is not None for v in lower + upper) and lower:
            data.append({"x": years + years[::-1], "y": upper + lower[::-1],
                         "type": "scatter", "mode": "lines", "fill": "toself", "fillcolor": colour + "33",
                         "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
                         "name": f"{name} interval"})
        data.append({"x": years, "y": values, "type": "scatter", "mode": "lines+markers",
                     "name": name, "line": {"color": colour}})
    return {"data": data, "layout": _layout(title, "Year", y_title)}


def pyramid(ages: list[str], male: list[float], female: list[float], title: str) -> dict[str, Any]:
    """An age-sex pyramid: males to the left (drawn negative, labelled positive), females to the right."""
    top = max([abs(v) for v in male + female if not math.isnan(v)] or [1.0])
    ticks = [-top, -top / 2, 0, top / 2, top]
    layout = _layout(title, "Migrants", "Age")
    layout.update(barmode="overlay", bargap=0.05)
    layout["xaxis"].update(tickvals=ticks, ticktext=[f"{abs(t):,.0f}" for t in ticks])
    return {"data": [
        {"y": ages, "x": [-v for v in male], "type": "bar", "orientation": "h", "name": "Male",
         "marker": {"color": COLOURS[0]}, "customdata": male, "hovertemplate": "%{y}: %{customdata:,.0f}"},
        {"y": ages, "x": female, "type": "bar", "orientation": "h", "name": "Female",
         "marker": {"color": COLOURS[1]}, "hovertemplate": "%{y}: %{x:,.0f}"},
    ], "layout": layout}


def bars(names: list[str], groups: list[tuple[str, list[float]]], title: str, y_title: str) -> dict[str, Any]:
    """Grouped bars: one trace per (name, values) over ``names``."""
    return {"data": [{"x": names, "y": values, "type": "bar", "name": name,
                      "marker": {"color": COLOURS[i % len(COLOURS)]}}
                     for i, (name, values) in enumerate(groups)],
            "layout": {**_layout(title, "", y_title), "barmode": "group"}}


def _layout(title: str, x_title: str, y_title: str) -> dict[str, Any]:
    return {"title": {"text": title, "font": {"size": 15}}, "margin": {"l": 70, "r": 20, "t": 40, "b": 50},
            "xaxis": {"title": {"text": x_title}, "automargin": True},
            "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "automargin": True},
            "legend": {"orientation": "h", "y": -0.2}, "height": 360}
