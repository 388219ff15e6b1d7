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
    ticks = nice_ticks(top)
    layout = _layout(title, "Migrants", "Age")
    layout.update(barmode="overlay", bargap=0.05)
    layout["xaxis"].update(tickvals=ticks, ticktext=[compact(abs(t)) for t in ticks],
                           range=[-top * 1.05, top * 1.05])
    return {"data": [
        {"y": ages, "x": [-v for v in male], "type": "bar", "orientation": "h", "name": "Male",
         "marker": {"color": COLOURS[0]}, "customdata": male, "hovertemplate": "%{y}: %{customdata:,.0f}"},
        {"y": ages, "x": female, "type": "bar", "orientation": "h", "name": "Female",
         "marker": {"color": COLOURS[1]}, "hovertemplate": "%{y}: %{x:,.0f}"},
    ], "layout": layout}


def nice_ticks(top: float) -> list[float]:
    """Symmetric ticks at a round step (1, 2 or 5 times a power of ten) up to ``top`` on both sides.

    Examples
    --------
    >>> nice_ticks(19_319)
    [-15000.0, -10000.0, -5000.0, 0.0, 5000.0, 10000.0, 15000.0]
    """
    raw = max(top, 1e-9) / 3
    power = 10 ** math.floor(math.log10(raw))
    step = max(m * power for m in (1, 2, 5) if m * power <= raw)
    n = int(top // step)
    return [float(k * step) for k in range(-n, n + 1)]


def compact(value: float) -> str:
    """A readable axis label: ``950``, ``73.3k``, ``1.5M``, ``2.1B`` (3 significant digits).

    Examples
    --------
    >>> [compact(v) for v in (950, 73_299, 1_500_000, 15_000)]
    ['950', '73.3k', '1.5M', '15k']
    """
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


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
