"""The verification report: counts by check and severity, a JSON document, and an HTML page with one
section per source and a chart of each series check (inline SVG, so the file works offline).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    return value


def counts_by_check(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings and distinct sources per check and severity, errors first."""
    if findings.empty:
        return pd.DataFrame(columns=["check", "severity", "findings", "sources"])
    out = (findings.groupby(["check", "severity"]).agg(findings=("source_id", "size"),
                                                       sources=("source_id", "nunique")).reset_index())
    out["_o"] = out["severity"].map(SEVERITY_ORDER)
    return out.sort_values(["_o", "check"]).drop(columns="_o").reset_index(drop=True)


def counts_by_source(findings: pd.DataFrame) -> pd.DataFrame:
    """Per source: its title and the number of errors, warnings and infos, most errors first."""
    if findings.empty:
        return pd.DataFrame(columns=["source_id", "source_title", "error", "warning", "info"])
    wide = findings.pivot_table(index=["source_id", "source_title"], columns="severity", values="check",
                                aggfunc="size", fill_value=0)
    wide = wide.reindex(columns=["error", "warning", "info"], fill_value=0).reset_index()
    return wide.sort_values(["error", "warning", "source_id"], ascending=[False, False, True],
                            ignore_index=True)


def findings_document(findings: pd.DataFrame) -> dict[str, Any]:
    """The ``--json`` document: ``{"findings": [...], "counts": {...}}`` (DESIGN.md shape, keys added)."""
    rows = []
    for r in findings.to_dict("records"):
        details = r.get("details") if isinstance(r.get("details"), dict) else {}
        item = {"source_id": int(r["source_id"]), "source_title": r.get("source_title"),
                "check": r["check"], "severity": r["severity"], "message": r["message"]}
        if "id" in r and r["id"] is not None:
            item["finding_id"] = int(r["id"])
        item["expected"] = _plain(r.get("expected", details.get("expected")))
        item["found"] = _plain(r.get("found", details.get("found")))
        item["cells"] = r.get("cells", details.get("cells"))
        rows.append(item)
    by_check = counts_by_check(findings)
    return {"findings": rows, "counts": {
        "by_check": [{k: _plain(v) for k, v in row.items()} for row in by_check.to_dict("records")],
        "by_severity": {k: int(v) for k, v in findings["severity"].value_counts().items()}
        if len(findings) else {},
        "sources_with_errors": int(findings.loc[findings["severity"] == "error", "source_id"].nunique())
        if len(findings) else 0}}


def from_stored(stored: pd.DataFrame) -> pd.DataFrame:
    """Open findings as read by store.open_findings, flattened to the checks' findings columns."""
    details = stored["details"].apply(lambda d: d if isinstance(d, dict) else {})
    return stored.assign(expected=details.map(lambda d: d.get("expected")).astype(float),
                         found=details.map(lambda d: d.get("found")).astype(float),
                         cells=details.map(lambda d: d.get("cells")),
                         key=details.map(lambda d: d.get("key")))


def series_svg(points: Iterable[dict[str, float]], flagged: set[float], width: int = 420,
               height: int = 160) -> str:
    """A small line chart (SVG) of a country's data points over time, flagged points in red."""
    pts = sorted((float(p["t"]), float(p["total"])) for p in points)
    if not pts:
        return ""
    t0, t1 = pts[0][0], pts[-1][0]
    v1 = max(v for _, v in pts) or 1.0
    pad = 30
    def x(t: float) -> float:
        return pad + (width - 2 * pad) * ((t - t0) / (t1 - t0) if t1 > t0 else 0.5)
    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * v / v1
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(t):.1f},{y(v):.1f}" for i, (t, v) in enumerate(pts))
    dots = "".join(f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="{4 if t in flagged else 2.5}" '
                   f'fill="{"#c0392b" if t in flagged else "#1f5f8b"}"><title>{t:.2f}: {v:,.0f}</title></circle>'
                   for t, v in pts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="data points over time"><path d="{path}" fill="none" stroke="#1f5f8b"/>{dots}'
            f'<text x="{pad}" y="{height - 8}" font-size="11">{t0:.0f}</text>'
            f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{t1:.0f}</text>'
            f'<text x="2" y="{pad - 8}" font-size="11">{v1:,.0f}</text></svg>')


def _universe_words(code: int) -> str:
    """``foreign-born``, ``foreign citizens``, ``refugees``: the population a source counts, in words."""
    from gmrd.reference.universes import universe_name

    return universe_name(code).replace("foreign_born", "foreign-born").replace("_", " ")


def _area_name(code: int) -> str:
    from gmrd.errors import UnknownCountry
    from gmrd.reference.countries import country

    try:
        return country(code).name
    except UnknownCountry:
        return f"unknown area {code}"


def render_html(findings: pd.DataFrame, sources: pd.DataFrame, points: pd.DataFrame | None = None,
                title: str = "Verification report") -> str:
    """One section per source with findings; series findings get a chart of the country's series."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html"]))
    info = {r["id"]: r for r in sources.to_dict("records")}
    series: dict[tuple[int, int], list[dict[str, float]]] = {}
    if points is not None:
        for c, u, t, v in zip(points["country_code"], points["universe"], points["t"], points["total"]):
            series.setdefault((int(c), int(u)), []).append({"t": float(t), "total": float(v)})
    ordered = findings.assign(_o=findings["severity"].map(SEVERITY_ORDER)).sort_values(
        ["source_id", "_o", "check"], kind="stable")
    by_source: dict[int, list[dict[str, Any]]] = {}
    for row in ordered.drop(columns="_o").to_dict("records"):
        by_source.setdefault(int(row["source_id"]), []).append(row)
    sections = []
    for sid, rows in by_source.items():
        s = info.get(sid)
        chart = ""
        flagged = {float(r["cells"][1]["t"]) for r in rows if r["check"] in ("series.growth", "series.spike")
                   and isinstance(r["cells"], list) and len(r["cells"]) > 1}
        if flagged and s is not None:
            chart = series_svg(series.get((int(s["country_code"]), int(s["universe"])), []), flagged)
        sections.append({"id": sid, "title": rows[0].get("source_title"),
                         "country": None if s is None else int(s["country_code"]),
                         "country_name": None if s is None else _area_name(int(s["country_code"])),
                         "universe_name": None if s is None else _universe_words(int(s["universe"])),
                         "date": None if s is None else s["reference_date"],
                         "universe": None if s is None else int(s["universe"]),
                         "status": None if s is None else s.get("status"), "findings": rows, "chart": chart})
    return env.get_template("verify_report.html").render(
        title=title, counts=counts_by_check(findings).to_dict("records"), sections=sections,
        n_sources=len(sources), n_findings=len(findings))
