"""The REST API under /api/v1: read-only JSON for partners' scripts, with bearer tokens or a session."""

from fastapi import APIRouter

from gmrd.web.api import catalog, docs, estimates

router = APIRouter(prefix="/api/v1")
router.include_router(catalog.router)
router.include_router(estimates.router)
router.include_router(docs.router)
