"""The HTML (and PDF) report of a left-behind survey analysis, and its estimates as one JSON document.

Charts are plotly figures (bars with confidence-interval whiskers, distributions) in the shared
colours of :mod:`gmrd.web.charts`; plotly.js is embedded once from the installed plotly package
(no CDN), so the report is one self-contained file. The PDF is printed by headless Chromium, which
runs the charts' JavaScript before printing.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gmrd.errors import GmrdError
from gmrd.survey.analyze import OUTCOMES, AnalysisResult
from gmrd.survey.estimators import DF_RULE_TEXT
from gmrd.web.charts import COLOURS

TEMPLATES = Path(__file__).resolve().parent / "templates"


MINUS = "\u2212"


def _signed(text: str) -> str:
    """A formatted number with a true minus sign (U+2212) instead of the hyphen."""
    return MINUS + text[1:] if text.startswith("-") else text


def format_number(value: Any, digits: int = 3) -> str:
    """A number as the report shows it: ``digits`` decimals, or thousands separators from 1,000; a true
    minus for negative numbers; empty for NaN.

    >>> format_number(-0.9651), format_number(12963.6), format_number(float("nan"))
    ('−0.965', '12,964', '')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, int | float):
        if abs(value) >= 1000:
            return _signed(f"{value:,.0f}")
        return _signed(f"{value:.{digits}f}")
    return str(value)


def format_percent(value: float) -> str:
    """A share (0-1) in percent with one decimal; empty for NaN."""
    return "" if not math.isfinite(value) else _signed(f"{100 * value:.1f}")


def format_range(low: float, high: float, digits: int = 3) -> str:
    """An interval as "low to high" (readable with negative ends: "−1.199 to −0.731"); empty for NaN.

    >>> format_range(-1.1994, -0.7312)
    '−1.199 to −0.731'
    """
    a, b = format_number(low, digits), format_number(high, digits)
    return f"{a} to {b}" if a and b else ""


def format_percent_range(low: float, high: float) -> str:
    """A share's interval in percent: "15.5 to 21.5"."""
    a, b = format_percent(low), format_percent(high)
    return f"{a} to {b}" if a and b else ""


def format_p(value: float) -> str:
    """A p-value: "< 0.001" below 0.001, else three decimals; empty for NaN.

    >>> format_p(3e-9), format_p(0.04567)
    ('< 0.001', '0.046')
    """
    if value is None or not math.isfinite(value):
        return ""
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def bar_with_ci(labels: list[str], series: list[tuple[str, list[float], list[float], list[float]]], title: str,
                y_title: str) -> dict[str, Any]:
    """Grouped bars with asymmetric CI whiskers: series of (name, values, lower, upper)."""
    data = []
    for i, (name, values, low, high) in enumerate(series):
        data.append({"type": "bar", "name": name, "x": labels, "y": values,
                     "marker": {"color": COLOURS[i % len(COLOURS)]},
                     "error_y": {"type": "data", "symmetric": False, "color": "#333",
                                 "array": [h - v for v, h in zip(values, high, strict=True)],
                                 "arrayminus": [v - lo for v, lo in zip(values, low, strict=True)]}})
    return {"data": data, "layout": _layout(title, y_title, barmode="group")}


def horizontal_bar_with_ci(labels: list[str], name: str, values: list[float], low: list[float],
                           high: list[float], title: str, x_title: str) -> dict[str, Any]:
    """Horizontal bars with CI whiskers, for categories with long labels (remittance channels, uses)."""
    bar = {"type": "bar", "orientation": "h", "name": name, "x": values, "y": labels,
           "marker": {"color": COLOURS[0]},
           "error_x": {"type": "data", "symmetric": False, "color": "#333",
                       "array": [h - v for v, h in zip(values, high, strict=True)],
                       "arrayminus": [v - lo for v, lo in zip(values, low, strict=True)]}}
    layout = _layout(title, "", height=max(220, 60 + 24 * len(labels)), showlegend=False)
    layout.update(xaxis={"title": {"text": x_title}, "rangemode": "tozero"},
                  yaxis={"automargin": True, "autorange": "reversed"},
                  margin={"l": 10, "r": 20, "t": 40, "b": 50})
    return {"data": [bar], "layout": layout}


def _layout(title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title, "font": {"size": 15}}, "height": 340,
            "margin": {"l": 60, "r": 20, "t": 40, "b": 60}, "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": -0.25}, "paper_bgcolor": "white", "plot_bgcolor": "white", **extra}


def _figure_html(spec: dict[str, Any], div_id: str) -> str:
    import plotly.io as pio

    return str(pio.to_html(spec, include_plotlyjs=False, full_html=False, div_id=div_id,
                           config={"displayModeBar": False, "responsive": True}))


def _left_behind_charts(table: pd.DataFrame) -> list[dict[str, Any]]:
    charts = []
    shares = table[(table["statistic"] == "share") & (table["indicator"] == "lb_any")]
    for domain in [d for d in shares["domain"].unique() if d != "All"]:
        rows = shares[shares["domain"] == domain]
        charts.append(bar_with_ci(rows["group"].tolist(), [(
            "Any parent abroad", (100 * rows["estimate"]).tolist(), (100 * rows["ci_low"]).tolist(),
            (100 * rows["ci_high"]).tolist())], f"Children left behind by {domain.lower()}", "% of children 0-17"))
    overall = table[(table["statistic"] == "share") & (table["domain"] == "All")]
    charts.insert(0, bar_with_ci(overall["label"].tolist(), [(
        "All children 0-17", (100 * overall["estimate"]).tolist(), (100 * overall["ci_low"]).tolist(),
        (100 * overall["ci_high"]).tolist())], "Children left behind, by parent abroad", "% of children 0-17"))
    return charts


def _wellbeing_charts(result: AnalysisResult) -> list[dict[str, Any]]:
    charts = []
    means = result.group_means
    for outcome in ("ladder", "eq5d_lss", "eq5d_vas", "eq5d_index"):
        rows = means[means["outcome"] == outcome] if not means.empty else means
        if rows.empty:
            continue
        charts.append(bar_with_ci([str(rows["label"].iloc[0])], [
            (str(r.group), [r.estimate], [r.ci_low], [r.ci_high]) for r in rows.itertuples()],
            str(rows["label"].iloc[0]), "Mean"))
    for outcome, dist in result.distributions.items():
        groups = [c for c in dist.columns if c != "value"]
        charts.append({"data": [{"type": "bar", "name": g, "x": dist["value"].tolist(), "y": dist[g].tolist(),
                                 "marker": {"color": COLOURS[i % len(COLOURS)]}} for i, g in enumerate(groups)],
                       "layout": _layout(f"Distribution: {OUTCOMES.get(outcome, outcome)}", "% of children",
                                         barmode="group")})
    return charts


def _remittance_charts(table: pd.DataFrame) -> list[dict[str, Any]]:
    charts = []
    for section in [s for s in table["section"].unique() if s.startswith(("Channel", "Use", "Frequency"))]:
        rows = table[table["section"] == section]
        value, low, high = ((100 * rows[c]).tolist() for c in ("estimate", "ci_low", "ci_high"))
        charts.append(horizontal_bar_with_ci(rows["item"].tolist(), section, value, low, high, section,
                                             "% of receiving households"))
    return charts


def chart_specs(result: AnalysisResult) -> dict[str, list[dict[str, Any]]]:
    """The report's plotly figures (data and layout as plain dicts) by section: left_behind,
    wellbeing, remittances (the web page draws the same figures)."""
    return {
        "left_behind": _left_behind_charts(result.left_behind) if not result.left_behind.empty else [],
        "wellbeing": _wellbeing_charts(result) if not result.group_means.empty else [],
        "remittances": _remittance_charts(result.remittances) if not result.remittances.empty else [],
    }


def render_html(result: AnalysisResult) -> str:
    """The report as one self-contained HTML document (plotly.js embedded)."""
    from plotly.offline import get_plotlyjs

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    env.filters["num"] = format_number
    env.filters["pct"] = format_percent
    env.filters["num_range"] = format_range
    env.filters["pct_range"] = format_percent_range
    env.filters["p"] = format_p
    charts = {name: [_figure_html(spec, f"{name}-{i}") for i, spec in enumerate(specs)]
              for name, specs in chart_specs(result).items()}
    template = env.get_template("survey_report.html.j2")
    return template.render(result=result, config=result.config, charts=charts, plotly_js=get_plotlyjs(),
                           today=date.today().isoformat(), left=_records(result.left_behind),
                           means=_records(result.group_means), comparisons=_records(result.comparisons),
                           remittances=_records(result.remittances), reliability=_records(result.reliability),
                           df_text=DF_RULE_TEXT[result.df_rule])


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [] if frame.empty else frame.to_dict(orient="records")


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def result_tables(result: AnalysisResult) -> dict[str, pd.DataFrame]:
    """The estimate tables of an analysis by name (as in ``--json`` and the downloads)."""
    return {"left_behind": result.left_behind, "group_means": result.group_means,
            "comparisons": result.comparisons, "remittances": result.remittances,
            "reliability": result.reliability}


def result_document(result: AnalysisResult) -> dict[str, Any]:
    """The estimates as one JSON document (``--json``): design summary, the degrees-of-freedom rule of
    the intervals, warnings and each table as a list of rows (NaN as null)."""
    return {"design": result.design, "df_rule": result.df_rule, "warnings": list(result.warnings),
            **{name: [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
               for name, frame in result_tables(result).items()}}


def write_report(result: AnalysisResult, path: Path) -> Path:
    """Write the HTML report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(result), encoding="utf-8")
    return path


def find_chromium() -> str:
    """The Chromium executable: $GMRD_CHROMIUM, or chromium / chromium-browser / google-chrome on PATH."""
    for name in (os.environ.get("GMRD_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return str(shutil.which(name))
    raise GmrdError("PDF output needs Chromium (Debian: apt-get install chromium), or set GMRD_CHROMIUM")


def html_to_pdf(html: Path, pdf: Path, timeout: float = 120.0) -> Path:
    """Print an HTML file to PDF with headless Chromium (charts are drawn before printing)."""
    browser = find_chromium()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   f"--user-data-dir={profile}", "--no-pdf-header-footer", "--virtual-time-budget=10000",
                   f"--print-to-pdf={pdf.resolve()}", html.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise GmrdError(f"Chromium could not print {pdf}: {exc}") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise GmrdError(f"Chromium could not print {pdf}: {message[0]}")
    return pdf
