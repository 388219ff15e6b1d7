"""docs/api.md documents every API route and every filter of each: a route or query parameter added
to the app without its documentation fails here."""

from __future__ import annotations

import re
from pathlib import Path

from gmrd.web.app import create_app, route_list

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def _sections(text: str) -> dict[str, str]:
    """'GET /api/v1/…' → the text of its section (up to the next heading)."""
    parts = re.split(r"^## (GET|POST|PUT|PATCH|DELETE) (\S+)\s*$", text, flags=re.MULTILINE)
    return {f"{parts[i]} {parts[i + 1]}": parts[i + 2] for i in range(1, len(parts) - 2, 3)}


def test_every_api_route_and_filter_is_documented():
    app = create_app("sqlite:///:memory:", secret_key="docs-test")
    sections = _sections(DOC.read_text(encoding="utf-8"))
    routes = {f"{m} {p}" for m, p in route_list(app) if p.startswith("/api/")}
    assert routes - sections.keys() == set(), f"API routes missing from docs/api.md: {sorted(routes - sections.keys())}"
    assert sections.keys() - routes == set(), f"docs/api.md documents routes the app lacks: " \
                                              f"{sorted(sections.keys() - routes)}"
    missing = []
    for path, methods in app.openapi()["paths"].items():
        for method, operation in methods.items():
            section = sections[f"{method.upper()} {path}"]
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and f"`{parameter['name']}`" not in section:
                    missing.append(f"{method.upper()} {path}: {parameter['name']}")
    assert missing == [], f"filters missing from docs/api.md: {missing}"
