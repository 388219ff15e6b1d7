"""gmrd verify and review on a real database (SQLite and PostgreSQL): findings stored, rerun keeps
dismissals, review rules and audit trail, CLI output."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from gmrd.commands import verify as commands
from gmrd.db.engine import get_engine
from gmrd.db.models import AuditEvent, Finding, Source
from gmrd.errors import InputError
from gmrd.ingest.load import import_file
from gmrd.verify import review, store
from gmrd.verify.run import verify

HEADER = "country,reference_date,source_type,concept,sex,age,origin,value,source_title,citation\n"


def _table(country: str, date: str, title: str, total: int, male: int, female: int, concept="foreign_born"):
    rows = [("Total", "Total", total), ("Male", "Total", male), ("Female", "Total", female)]
    kids = [("Total", "0-14", round(total * 0.2)), ("Total", "15-64", round(total * 0.7)),
            ("Total", "65+", total - round(total * 0.2) - round(total * 0.7))]
    return "".join(f"{country},{date},census,{concept},{s},{a},Total,{v},{title},NSO\n" for s, a, v in rows + kids)


@pytest.fixture
def corpus(tmp_path):
    clean = HEADER + _table("Ecuador", "2010-11-28", "Censo 2010", 194398, 98000, 96398)
    clean += _table("Chile", "2017-04-19", "Censo 2017", 746465, 369292, 377173)
    broken = HEADER + _table("Peru", "2017-10-22", "Censo 2017", 100000, 60000, 50000)  # 60,000 + 50,000
    (tmp_path / "clean.csv").write_text(clean)
    (tmp_path / "broken.csv").write_text(broken)
    return tmp_path


def _sources(url):
    with get_engine(url).connect() as conn:
        return {t: i for i, t in conn.execute(sa.select(Source.id, Source.title + " " + sa.cast(
            Source.country_code, sa.String)))}


def test_verify_stores_findings_and_review_follows_the_rules(db_url, corpus, monkeypatch):
    import_file(corpus / "clean.csv", url=db_url)
    import_file(corpus / "broken.csv", url=db_url)
    ids = _sources(db_url)
    peru, ecuador = ids["Censo 2017 604"], ids["Censo 2010 218"]
    # not verified yet: accept is refused, accept-clean accepts nothing
    with pytest.raises(review.ReviewRefused, match="not been verified"):
        review.review_source(ecuador, "accept", "looks fine", actor="ana", url=db_url)
    assert review.accept_clean("bulk", actor="ana", url=db_url).accepted == []

    result = verify(db_url)
    assert result.sources == 3 and result.cells == 18
    errors = result.findings[result.findings["severity"] == "error"]
    assert list(zip(errors["source_id"], errors["check"])) == [(peru, "totals.sex")]
    assert errors["expected"].iloc[0] == 110000 and errors["found"].iloc[0] == 100000

    with pytest.raises(review.ReviewRefused, match="open error"):
        review.review_source(peru, "accept", "ok", actor="ana", url=db_url)
    with pytest.raises(InputError, match="reason"):
        review.review_source(peru, "reject", "  ", actor="ana", url=db_url)
    accepted = review.accept_clean("no open errors", actor="ana", url=db_url).accepted
    assert sorted(accepted) == sorted([ecuador, ids["Censo 2017 152"]])
    done = review.review_source(peru, "accept", "published erratum confirms the total", actor="bo",
                                override=True, url=db_url)
    assert (done.before, done.after, done.open_errors, done.override) == ("pending", "accepted", 1, True)
    with get_engine(db_url).connect() as conn:
        assert store.accepted_source_ids(conn) == sorted(ids.values())

    with get_engine(db_url).connect() as conn:
        events = conn.execute(sa.select(AuditEvent.actor, AuditEvent.action, AuditEvent.object_id,
                                        AuditEvent.before, AuditEvent.after, AuditEvent.reason)
                              .where(AuditEvent.action.like("review.%")).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["review.accept_clean"] * 2 + ["review.accept"]
    assert events[-1].actor == "bo" and events[-1].object_id == str(peru)
    assert events[-1].before == {"status": "pending"} and events[-1].after["override"] is True


def test_rerun_replaces_open_findings_and_keeps_dismissed(db_url, corpus):
    import_file(corpus / "broken.csv", url=db_url)
    verify(db_url)
    with get_engine(db_url).connect() as conn:
        first = store.open_findings(conn)
    assert list(first["check"]) == ["totals.sex"]
    review.dismiss_finding(int(first["id"].iloc[0]), "publication rounds sexes separately", actor="ana",
                           url=db_url)
    again = verify(db_url)
    assert again.stored == 0 and again.findings.empty
    with get_engine(db_url).connect() as conn:
        statuses = conn.execute(sa.select(Finding.status, Finding.status_reason)).all()
        dismissals = conn.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "finding.dismiss"))
    assert statuses == [("dismissed", "publication rounds sexes separately")] and dismissals == 1
    peru = next(iter(_sources(db_url).values()))
    assert review.review_source(peru, "accept", "dismissed", actor="ana", url=db_url).after == "accepted"


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("verify")(commands.verify)
    app.command("review")(commands.review)
    return app


def test_cli_verify_json_html_and_review(db_url, corpus, tmp_path, monkeypatch):
    import_file(corpus / "clean.csv", url=db_url)
    import_file(corpus / "broken.csv", url=db_url)
    monkeypatch.setenv("GMRD_USER", "curator-cli")
    runner = CliRunner()
    html = tmp_path / "report.html"
    result = runner.invoke(_app(), ["verify", "--json", "--html", str(html)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert [(f["source_title"], f["check"]) for f in errors] == [("Censo 2017", "totals.sex")]
    assert {"source_id", "source_title", "check", "severity", "message"} <= set(doc["findings"][0])
    page = html.read_text()
    assert "totals.sex" in page and f'id="source-{errors[0]["source_id"]}"' in page

    result = runner.invoke(_app(), ["verify"])
    assert result.exit_code == 0 and "totals.sex" in result.stdout

    peru = str(errors[0]["source_id"])
    result = runner.invoke(_app(), ["review", peru, "accept", "--reason", "fine"])
    assert result.exit_code == 1 and "open error" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(_app(), ["review", peru, "reject", "--reason", "sexes do not add up", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["after"] == "rejected"
    result = runner.invoke(_app(), ["review", "accept-clean", "--reason", "bulk", "--json"])
    assert len(json.loads(result.stdout)["accepted"]) == 2
    result = runner.invoke(_app(), ["review", "dismiss", "abc", "--reason", "x"])
    assert result.exit_code == 1 and "FINDING_ID" in result.stderr
    with get_engine(db_url).connect() as conn:
        actors = set(conn.scalars(sa.select(AuditEvent.actor).where(AuditEvent.action.like("review.%"))))
    assert actors == {"curator-cli"}


def test_verify_one_source_compares_with_all(db_url, corpus, tmp_path):
    near = HEADER + _table("Ecuador", "2010-06-01", "Encuesta 2010", 400000, 200000, 200000)
    (tmp_path / "near.csv").write_text(near)
    import_file(corpus / "clean.csv", url=db_url)
    import_file(tmp_path / "near.csv", url=db_url)
    survey = _sources(db_url)["Encuesta 2010 218"]
    result = verify(db_url, source_ids=[survey])
    assert result.sources == 1
    assert list(result.findings["check"]) == ["cross_source.difference"]
    with pytest.raises(InputError, match="no source"):
        verify(db_url, source_ids=[9999])


def _edition(title: str, male: int) -> str:
    """The Chile 2017 census table as published under ``title`` with ``male`` men (and the rest of
    746,465 women): two editions that differ there disagree in 2 of 6 common cells, a conflict."""
    ages = (("0-14", 149293), ("15-64", 522526), ("65+", 74646))
    rows = [("Total", "Total", 746465), ("Male", "Total", male), ("Female", "Total", 746465 - male)]
    rows += [("Total", a, v) for a, v in ages]
    return HEADER + "".join(f"Chile,2017-04-19,census,foreign_born,{s},{a},Total,{v},{title},INE\n"
                            for s, a, v in rows)


def test_accept_clean_leaves_conflicting_pending_pairs_unless_included(db_url, tmp_path):
    # issue 12, point 12: two pending publications of the same data that disagree are a curator's choice
    (tmp_path / "a.csv").write_text(_edition("Censo 2017", 369292))
    (tmp_path / "b.csv").write_text(_edition("Censo 2017 (reprint)", 372292))
    ecuador = _table("Ecuador", "2010-11-28", "Censo 2010", 194398, 98000, 96398)
    (tmp_path / "c.csv").write_text(HEADER + ecuador)
    for name in ("a.csv", "b.csv", "c.csv"):
        import_file(tmp_path / name, url=db_url)
    found = verify(db_url).findings
    conflicts = found[found["check"] == "cross_source.conflict"]
    assert len(conflicts) == 2 and set(found["severity"]) <= {"warning", "info"}
    ids = _sources(db_url)
    a, b, ecuador = ids["Censo 2017 152"], ids["Censo 2017 (reprint) 152"], ids["Censo 2010 218"]
    runner = CliRunner()
    result = runner.invoke(_app(), ["review", "accept-clean", "--reason", "bulk"])
    assert result.exit_code == 0, result.output
    assert "accepted 1 pending" in result.stderr and "left 2 pending" in result.stderr
    assert "cross_source.conflict" in result.stderr and "--include-conflicts" in result.stderr
    with get_engine(db_url).connect() as conn:
        status = dict(conn.execute(sa.select(Source.id, Source.status)).all())
    assert status == {a: "pending", b: "pending", ecuador: "accepted"}

    # once the curator rejects one of the pair, the other is clean for accept-clean
    review.review_source(b, "reject", "reprint with a typo", actor="ana", url=db_url)
    done = review.accept_clean("bulk", actor="ana", url=db_url)
    assert (done.accepted, done.left_for_conflicts) == ([a], [])


def test_accept_clean_include_conflicts_accepts_both_and_audits_it(db_url, tmp_path):
    (tmp_path / "a.csv").write_text(_edition("Censo 2017", 369292))
    (tmp_path / "b.csv").write_text(_edition("Censo 2017 (reprint)", 372292))
    for name in ("a.csv", "b.csv"):
        import_file(tmp_path / name, url=db_url)
    verify(db_url)
    result = CliRunner().invoke(_app(), ["review", "accept-clean", "--reason", "both editions",
                                         "--include-conflicts", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["accepted"]) == 2 and doc["left_for_conflicts"] == []
    with get_engine(db_url).connect() as conn:
        events = conn.execute(sa.select(AuditEvent.after)
                              .where(AuditEvent.action == "review.accept_clean")).all()
    assert [e.after["include_conflicts"] for e in events] == [True, True]


def test_verify_one_source_checks_its_stock_against_the_others(db_url, tmp_path):
    # a source without an all-origins total (only "EU-27", code 1000051) is checked by its origins,
    # also when verified alone (--source) against the stocks of the sources already there
    lines = ["LocID,sex,LocIDorg,yearref,age,agelength,PopulationUniverse,source,value",
             "276,0,0,1997.0,0,0,3,OECD,9708481", "276,0,0,2000.0,0,0,3,WorldBank,12901543",
             "276,0,0,2006.0,0,0,3,OECD,10371000", "276,0,1000051,2000.0,0,0,3,Eurostat,77246511"]
    (tmp_path / "de.csv").write_text("\n".join(lines) + "\n")
    import_file(tmp_path / "de.csv", url=db_url)
    ids = _sources(db_url)
    eurostat, worldbank = ids["Eurostat 276"], ids["WorldBank 276"]
    found = verify(db_url, source_ids=[eurostat]).findings
    assert list(found["check"]) == ["cross_source.population_share"] and list(found["severity"]) == ["error"]
    assert "77,246,511" in found["message"].iloc[0] and "WorldBank" in found["message"].iloc[0]
    assert verify(db_url, source_ids=[worldbank]).findings.empty
