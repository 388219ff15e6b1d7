"""Value labels of survey files checked against the questionnaire modules' codes.

A .sav or .dta file carries value labels (code → text). For a variable the questionnaire knows
(a ``select_one`` question of :data:`gmrd.survey.modules.MODULES`), the file's labels must mean the
module's codes: a label that names another code's answer (e.g. 1 "Female" where the roster codes
1 Male, 2 Female) is an error, because the codes collide and every estimate would be wrong; a code
the questionnaire does not have, or a label with other wording, is a warning naming the variable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from gmrd.errors import InputError
from gmrd.survey.modules.spec import Module


def _norm(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed (for comparing labels)."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def code_key(value: Any) -> str:
    """A code as text: 1, 1.0 and "01" all give "1"; other text is kept (stripped)."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    text = str(value).strip()
    return str(int(text)) if text.isdigit() else text


@lru_cache(maxsize=1)
def _default_modules() -> tuple[Module, ...]:
    from gmrd.survey.modules import MODULES

    return MODULES


def questionnaire_codes(modules: Iterable[Module] | None = None) -> dict[str, dict[str, set[str]]]:
    """For each select_one variable of the modules: code → normalized labels in every language."""
    out: dict[str, dict[str, set[str]]] = {}
    for module in (_default_modules() if modules is None else modules):
        lists = module.choice_lists()
        for item in module.survey:
            if item.list_name is None or not item.type.startswith("select_one"):
                continue
            out[item.name] = {code_key(c.value): {_norm(c.label.en), _norm(c.label.fr), _norm(c.label.es)}
                              for c in lists.get(item.list_name, [])}
    return out


def check_value_labels(labels: Mapping[str, Mapping[Any, str]], *, file: str,
                       modules: Iterable[Module] | None = None) -> list[str]:
    """Compare a file's value labels with the questionnaire's codes.

    Parameters
    ----------
    labels : variable → {code: label}, as ``pyreadstat``'s ``variable_value_labels``
    file : the file name, for messages
    modules : questionnaire modules (default: all of gmrd's)

    Returns
    -------
    list of warning messages (codes the questionnaire lacks; labels worded differently)

    Raises
    ------
    InputError
        When a code's label is the questionnaire's label of a different code (codes collide).
    """
    known = questionnaire_codes(modules)
    warnings: list[str] = []
    for variable, mapping in labels.items():
        codes = known.get(str(variable))
        if codes is None or not mapping:
            continue
        label_to_code = {label: code for code, names in codes.items() for label in names}
        extra: list[str] = []
        reworded: list[str] = []
        for raw_code, text in mapping.items():
            code, norm = code_key(raw_code), _norm(text)
            if code in codes and norm in codes[code]:
                continue
            other = label_to_code.get(norm)
            if other is not None and other != code:
                raise InputError(f"value label {code} {text!r} is code {other} in the questionnaire: the codes "
                                 f"collide (questionnaire: {_describe(codes)}); recode the variable",
                                 file=file, field=str(variable))
            if code in codes:
                reworded.append(f"{code} {text!r}")
            else:
                extra.append(f"{code} {text!r}")
        if extra:
            warnings.append(f"{file}: field '{variable}': code(s) not in the questionnaire: {', '.join(extra)} "
                            "(values with these codes are treated as missing where the scoring allows)")
        if reworded:
            warnings.append(f"{file}: field '{variable}': label(s) differ from the questionnaire's wording: "
                            f"{', '.join(reworded)} (questionnaire: {_describe(codes)})")
    return warnings


def _describe(codes: Mapping[str, set[str]]) -> str:
    return "; ".join(f"{code} {min(names)}" for code, names in codes.items())


def module_value_labels(variables: Iterable[str], modules: Iterable[Module] | None = None) -> dict[str, dict[int, str]]:
    """English value labels of the questionnaire for the given variables (for writing .sav/.dta files)."""
    lists: dict[str, dict[int, str]] = {}
    for module in (_default_modules() if modules is None else modules):
        choices = module.choice_lists()
        for item in module.survey:
            if item.list_name and item.type.startswith("select_one"):
                codes = {int(c.value): c.label.en for c in choices.get(item.list_name, []) if c.value.isdigit()}
                if codes:
                    lists[item.name] = codes
    return {v: lists[v] for v in variables if v in lists}
