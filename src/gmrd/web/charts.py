"""Chart specifications (plotly.js data and layout as plain dicts) drawn by static/charts.js.

Charts carry no numbers of their own: each page also shows the table the chart is drawn from.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

COLOURS = ("#1f5f8b", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d", "#16a085")


def _clean(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in values]


def series_with_band(series: list[tuple[str, pd.DataFrame]], title: str, y_title: str) -> dict[str, Any]:
    """Lines over ``year`` with a shaded [lower, upper] band per line (frames have year, value, lower, upper)."""
    data: list[dict[str, Any]] = []
    for i, (name, frame) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        years = [int(y) for y in frame["year"]]
        if frame["lower"].notna().any() and frame["upper"].notna().any():
            data.append({"x": years + years[::-1], "y": _clean(frame["upper"]) + _clean(frame["lower"])[::-1],
                         "type": "scatter", "mode": "lines", "fill": "toself", "fillcolor": colour + "33",
                         "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
                         "name": f"{name} interval"})
        data.append({"x": years, "y": _clean(frame["value"]), "type": "scatter", "mode": "lines+markers",
                     "name": name, "line": {"color": colour}})
    return {"data": data, "layout": _layout(title, "Year", y_title)}


def pyramid(ages: list[str], male: list[float], female: list[float], title: str) -> dict[str, Any]:
    """An age-sex pyramid: males to the left (drawn negative, labelled positive), females to the right."""
    top = max([abs(v) for v in male + female if v == v] or [1.0])
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
            "xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": -0.2}, "height": 360}
