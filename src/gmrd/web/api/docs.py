"""API documentation: the OpenAPI document and a server-rendered reference page (no CDN, no script)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from gmrd.web.auth import Principal
from gmrd.web.deps import partner
from gmrd.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
def openapi(request: Request, user: Principal = Depends(partner)) -> dict[str, Any]:
    return request.app.openapi()


@router.get("/docs")
def docs(request: Request, user: Principal = Depends(partner)) -> Response:
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {}).get("description", ""),
                       "type": _type(p.get("schema", {}))} for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""),
                              "params": params, "tag": (op.get("tags") or [""])[0]})
    return render(request, "api_docs.html", spec=spec, endpoints=endpoints)


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    return str(schema.get("type", ""))
