"""Demo input files: census-like tables derived from published UN DESA estimates, with a manifest
of deliberately injected errors (:func:`gmrd.demo.generate.generate_demo_files`,
``python -m gmrd.demo.generate OUT``)."""

from __future__ import annotations

from typing import Any

__all__ = ["Manifest", "generate_demo_files"]


def __getattr__(name: str) -> Any:  # lazy, so that ``python -m gmrd.demo.generate`` runs cleanly
    if name == "generate_demo_files":
        from gmrd.demo.generate import generate_demo_files
        return generate_demo_files
    if name == "Manifest":
        from gmrd.demo.manifest import Manifest
        return Manifest
    raise AttributeError(name)
