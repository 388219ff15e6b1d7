"""Point 4 of issue 3: on the demo corpus every injected error is found (recall 100 %) and at most
2 % of the clean tabulations get an error. The manifest of gmrd.demo lists the injected errors."""

from __future__ import annotations

import pandas as pd
import pytest

from gmrd.db.engine import get_engine
from gmrd.demo.generate import generate_demo_files
from gmrd.ingest.load import import_file
from gmrd.verify import store
from gmrd.verify.run import verify

CHECK_FOR_KIND = {"sex_total_mismatch": "totals.sex", "age_sum_mismatch": "totals.age",
                  "year_only_date": "dates.precision", "duplicate_source_conflict": "cross_source.conflict"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, generate_demo_files(out)


def _source_of(sources: pd.DataFrame, error) -> int:
    date = str(error.reference_date)
    match = sources[(sources["country_code"] == error.country_code) & (sources["title"] == error.source_title)
                    & sources["reference_date"].astype(str).str.startswith(date[:4])]
    assert len(match) == 1, f"no single source for {error}"
    return int(match["id"].iloc[0])


def test_every_injected_error_is_found_and_clean_tables_stay_clean(db_url, demo):
    out, manifest = demo
    for name in manifest.files:
        import_file(out / name, url=db_url)
    result = verify(db_url)
    with get_engine(db_url).connect() as conn:
        sources = store.load_sources(conn)
    found = result.findings
    assert set(CHECK_FOR_KIND) >= {e.kind for e in manifest.errors}
    injected = set()
    for error in manifest.errors:
        sid = _source_of(sources, error)
        injected.add(sid)
        checks = set(found.loc[found["source_id"] == sid, "check"])
        assert CHECK_FOR_KIND[error.kind] in checks, f"missed {error.kind} in {error.file}: {checks}"
    recall = 1.0  # every assertion above passed
    clean = set(sources["id"]) - injected
    flagged = set(found.loc[(found["severity"] == "error") & found["source_id"].isin(clean), "source_id"])
    false_positive_rate = len(flagged) / len(clean)
    print(f"demo: recall {recall:.0%} of {len(manifest.errors)} injected errors; "
          f"{len(flagged)} of {len(clean)} clean tabulations with an error ({false_positive_rate:.1%})")
    assert false_positive_rate <= 0.02
