"""The revisions page: what each revision was made from in words (not its manifest as raw JSON) and, in the
comparison, why each changed value changed (issue 12, points 3 and 9)."""

from __future__ import annotations

import sqlalchemy as sa
from webdata import login

from gmrd.db.engine import get_engine
from gmrd.db.models import Revision

PARAMS = {"years": [2010, 2015, 2020], "form": "exponential", "extrapolation": "constant", "graduation": "mono"}
ECUADOR_2010 = {"source_id": 1, "country_code": 218, "reference_date": "2010-11-28", "source_type": "census",
                "universe": 3, "title": "Censo 2010", "file_checksum": "a", "cells_checksum": "b"}
PERU_2017 = {**ECUADOR_2010, "source_id": 2, "country_code": 604, "reference_date": "2017-10-22",
             "title": "Censo 2017"}


def _manifests(url: str) -> None:
    with get_engine(url).begin() as conn:
        for name, inputs in (("2024-test", [ECUADOR_2010]), ("2025-test", [ECUADOR_2010, PERU_2017])):
            conn.execute(sa.update(Revision).where(Revision.name == name).values(manifest={
                "software": {"name": "gmrd", "version": "0.1.0"}, "parameters": PARAMS, "inputs": inputs,
                "intervals": {"kind": "80 % prediction interval"}}))


def test_revisions_page_says_what_changed_and_why(client, web_db):
    _manifests(web_db[0])
    login(client, "ana")
    page = client.get("/revisions?a=2024-test&b=2025-test&area=218&area=170&area=904&age=total").text
    assert "Made from" in page and '{"' not in page and "&#34;" not in page
    assert "2 sources from 2 countries (data 2010-2017); years 2010-2020 every 5" in page
    assert "Why it changed" in page
    # Colombia has no data: imputed from South America, where Peru was added
    assert "imputed from its sub-region South America (931), whose inputs changed: Peru (604): 1 added" in page
    assert "inputs of 1 member country changed: Peru (604): 1 added" in page  # Latin America and the Caribbean
    assert "inputs changed elsewhere: Peru (604): 1 added" in page  # Ecuador: own data unchanged
    assert "no change in inputs or parameters" not in page
