"""``gmrd survey estimate``: design-based means, totals and proportions, like R's svydesign + svymean."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from gmrd.commands.common import console, err_console, print_json, reporting_errors
from gmrd.errors import DesignError, GmrdError, InputError

if TYPE_CHECKING:
    import pandas as pd

    from gmrd.survey.design import SurveyDesign
    from gmrd.survey.estimators import CiMethod, DfRule, Estimate

READERS = {".csv": "csv", ".sav": "sav", ".zsav": "sav", ".dta": "dta"}


def _check_type(path: Path) -> str:
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"unsupported file type {path.suffix!r} (use .csv, .sav or .dta)", file=str(path))
    return kind


def read_survey_file(path: Path) -> pd.DataFrame:
    """Read survey microdata: CSV, SPSS (.sav/.zsav) or Stata (.dta); values as stored (no labels)."""
    kind = _check_type(path)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    import pandas as pd
    import pyreadstat

    try:
        if kind == "csv":
            return pd.read_csv(path)
        reader = pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta
        frame, _meta = reader(str(path))
        return frame
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError,
            pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=str(path)) from None


def _clean(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _plain(value: Any) -> Any:
    """A code as JSON: numpy scalars as Python numbers, whole floats (codes read as 1.0) as integers."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _labelled(domain: dict[str, Any], labels: dict[str, dict[Any, str]]) -> dict[str, str]:
    """The value label of each domain value whose variable has one in the file."""
    from gmrd.survey.load_labels import code_key

    out: dict[str, str] = {}
    for variable, value in domain.items():
        by_code = {code_key(code): text for code, text in labels.get(variable, {}).items()}
        text = by_code.get(code_key(value))
        if text is not None:
            out[variable] = text
    return out


def _row(domain: dict[str, Any], est: Estimate, level: float, design: SurveyDesign, df_rule: DfRule,
         labels: dict[str, dict[Any, str]]) -> dict[str, Any]:
    from gmrd.survey.estimators import with_df

    est = with_df(est, design, df_rule)
    low, high = est.ci(level)
    return {"domain": {k: _plain(v) for k, v in domain.items()}, "labels": _labelled(domain, labels),
            "estimate": _clean(est.value), "se": _clean(est.se), "ci_low": _clean(low),
            "ci_high": _clean(high), "deff": _clean(est.deff), "df": _clean(est.df)}


def estimate_document(data: pd.DataFrame, *, statistic: str, variable: str, by_var: str | None = None,
                      weight: str | None = None, strata: str | None = None, clusters: list[str] | None = None,
                      fpc: list[str] | None = None, lonely_psu: str = "fail", nest: bool = False,
                      level: float = 0.95, ci_method: CiMethod = "logit", df_rule: DfRule = "domain",
                      labels: dict[str, dict[Any, str]] | None = None) -> dict[str, Any]:
    """The ``survey estimate`` JSON document: ``{"statistic", "variable", "df_rule", "results": [...]}``;
    each result's ``labels`` gives the file's value label of its domain values ({} for CSV)."""
    from gmrd.survey.design import SurveyDesign
    from gmrd.survey.estimators import by, mean, proportion, total

    design = SurveyDesign.from_frame(data, weights=weight, strata=strata, clusters=clusters or [],
                                     fpc=fpc or [], lonely_psu=lonely_psu, nest=nest)  # type: ignore[arg-type]
    design.column(variable)
    labels = labels or {}
    results: list[dict[str, Any]] = []
    if statistic == "prop":
        if by_var is None:
            per_domain: dict[Any, Any] = {None: proportion(design, variable, ci_method=ci_method)}
        else:
            per_domain = by(design, variable, by_var, proportion, ci_method=ci_method)
        for dom, levels in per_domain.items():
            for value, est in levels.items():
                domain = ({} if by_var is None else {by_var: dom}) | {variable: value}
                results.append(_row(domain, est, level, design, df_rule, labels))
    else:
        estimator = mean if statistic == "mean" else total
        if by_var is None:
            results.append(_row({}, estimator(design, variable), level, design, df_rule, labels))
        else:
            for dom, est in by(design, variable, by_var, estimator).items():
                results.append(_row({by_var: dom}, est, level, design, df_rule, labels))
    return {"statistic": statistic, "variable": variable, "df_rule": df_rule, "results": results}


def survey_estimate(
    data: Annotated[Path, typer.Argument(help="Survey microdata: .csv, .sav or .dta.")],
    mean_var: Annotated[str | None, typer.Option("--mean", help="Estimate the mean of VAR.")] = None,
    total_var: Annotated[str | None, typer.Option("--total", help="Estimate the total of VAR.")] = None,
    prop_var: Annotated[str | None, typer.Option("--prop", help="Estimate the proportion of each value of VAR.")] = None,
    by_var: Annotated[str | None, typer.Option("--by", help="Estimate within each value of this variable.")] = None,
    weight: Annotated[str | None, typer.Option("--weight", help="Sampling weight variable (> 0).")] = None,
    strata: Annotated[str | None, typer.Option("--strata", help="Stratum variable (stage 1).")] = None,
    cluster: Annotated[list[str] | None, typer.Option(
        "--cluster", help="Cluster variable; repeat for multistage designs, stage 1 first.")] = None,
    fpc: Annotated[list[str] | None, typer.Option(
        "--fpc", help="Population size (or sampling fraction) per stage; repeat like --cluster.")] = None,
    lonely_psu: Annotated[str, typer.Option(
        "--lonely-psu", help="Strata with one PSU: fail, remove, certainty, adjust or average.")] = "fail",
    nest: Annotated[bool, typer.Option("--nest", help="Cluster codes are unique only within strata.")] = False,
    level: Annotated[float, typer.Option("--level", help="Confidence level.")] = 0.95,
    ci_method: Annotated[str, typer.Option(
        "--ci-method", help="Proportion intervals: logit or korn-graubard.")] = "logit",
    df: Annotated[str, typer.Option(
        "--df", help="Degrees of freedom of the intervals: domain (PSUs with rows in the domain minus "
                     "their strata; default) or design (those of the whole design).")] = "domain",
    json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
) -> None:
    """Design-based estimate with Taylor-linearized SEs (like R's svydesign and svymean/svytotal/svyby).

    Missing values of VAR are left out as R's na.rm=TRUE; domains (--by) keep every PSU for the SE.
    Values of .sav/.dta files are shown with their value labels.
    """
    from gmrd.survey.design import LONELY_PSU_CHOICES
    from gmrd.survey.estimators import DF_RULE_TEXT, DF_RULES

    with reporting_errors():
        chosen = [(s, v) for s, v in (("mean", mean_var), ("total", total_var), ("prop", prop_var)) if v]
        if len(chosen) != 1:
            raise DesignError("give exactly one of --mean, --total or --prop")
        if lonely_psu not in LONELY_PSU_CHOICES:
            raise DesignError(f"--lonely-psu must be one of {', '.join(LONELY_PSU_CHOICES)}")
        if ci_method not in ("logit", "korn-graubard"):
            raise DesignError("--ci-method must be logit or korn-graubard")
        if df not in DF_RULES:
            raise DesignError(f"--df must be one of {', '.join(DF_RULES)}")
        statistic, variable = chosen[0]
        _check_type(data)
        from gmrd.survey.load import read_table

        table_in = read_table(data)  # with the value labels of .sav/.dta files
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                document = estimate_document(table_in.frame, statistic=statistic, variable=variable,
                                             by_var=by_var, weight=weight, strata=strata, clusters=cluster,
                                             fpc=fpc, lonely_psu=lonely_psu, nest=nest, level=level,
                                             ci_method=ci_method, df_rule=df,  # type: ignore[arg-type]
                                             labels=table_in.value_labels)
            except GmrdError as exc:
                raise DesignError(f"{data}: {exc}") from None
        for warning in caught:
            err_console.print(f"warning: {warning.message}")
    if json:
        print_json(document)
        return
    domains = list(document["results"][0]["domain"]) if document["results"] else []
    table = Table(*domains, "estimate", "SE", f"{level:.0%} CI", "deff", "df",
                  title=f"{statistic} of {variable}", caption=f"df: {df}, {DF_RULE_TEXT[df]}")
    for row in document["results"]:
        ci = (f"{row['ci_low']:.6g} – {row['ci_high']:.6g}" if row["ci_low"] is not None else "")
        shown = [row["labels"].get(k, str(v)) for k, v in row["domain"].items()]
        table.add_row(*shown, _fmt(row["estimate"]), _fmt(row["se"]), ci, _fmt(row["deff"], 3),
                      _fmt(row["df"], 0))
    console.print(table)


def _fmt(value: float | None, digits: int = 6) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if digits == 0 else f"{value:.{digits}g}"
