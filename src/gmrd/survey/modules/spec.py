"""Questionnaire modules as plain data: questions, choice lists and settings with trilingual labels.

Each module file (roster, migration, remittances, health, life_satisfaction) builds one
:class:`Module` from :func:`q` and :func:`choice_list`; ``build.py`` writes it as an XLSForm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English (en)"), ("fr", "French (fr)"),
                                          ("es", "Spanish (es)"))
"""(code, XLSForm language name); the first is the form's default language."""


@dataclass(frozen=True)
class Text:
    """One text in English, French and Spanish."""

    en: str
    fr: str
    es: str

    def get(self, lang: str) -> str:
        return str(getattr(self, lang))


@dataclass(frozen=True)
class Question:
    """One row of the XLSForm survey sheet (questions, groups, repeats, calculations)."""

    type: str
    name: str
    label: Text | None = None
    hint: Text | None = None
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: Text | None = None
    calculation: str = ""
    appearance: str = ""
    repeat_count: str = ""
    choice_filter: str = ""
    default: str = ""

    @property
    def list_name(self) -> str | None:
        """The choice list of a select question, None otherwise."""
        parts = self.type.split()
        if parts and parts[0] in ("select_one", "select_multiple") and len(parts) == 2:
            return parts[1]
        return None


@dataclass(frozen=True)
class Choice:
    """One row of the choices sheet."""

    list_name: str
    value: str
    label: Text


@dataclass(frozen=True)
class Module:
    """A questionnaire module: settings, survey rows and choice lists."""

    form_id: str
    title: Text
    version: str
    description: str
    survey: tuple[Question, ...]
    choices: tuple[Choice, ...] = field(default=())

    def choice_lists(self) -> dict[str, list[Choice]]:
        """Choices grouped by list name, in order of first appearance."""
        lists: dict[str, list[Choice]] = {}
        for choice in self.choices:
            lists.setdefault(choice.list_name, []).append(choice)
        return lists


def q(type_: str, name: str, en: str = "", fr: str = "", es: str = "", **options: object) -> Question:
    """A survey row with an English, French and Spanish label (empty label for calculations)."""
    label = Text(en, fr, es) if en else None
    for key in ("hint", "constraint_message"):
        value = options.get(key)
        if isinstance(value, tuple):
            options[key] = Text(*value)
    return Question(type_, name, label, **options)  # type: ignore[arg-type]


def choice_list(list_name: str, rows: list[tuple[str | int, str, str, str]]) -> tuple[Choice, ...]:
    """A choice list from (value, English, French, Spanish) rows."""
    return tuple(Choice(list_name, str(value), Text(en, fr, es)) for value, en, fr, es in rows)


YES_NO: tuple[Choice, ...] = choice_list("yes_no", [
    (1, "Yes", "Oui", "Sí"),
    (2, "No", "Non", "No"),
])
YES_NO_DK: tuple[Choice, ...] = choice_list("yes_no_dk", [
    (1, "Yes", "Oui", "Sí"),
    (2, "No", "Non", "No"),
    (8, "Don't know", "Ne sait pas", "No sabe"),
])
SEX: tuple[Choice, ...] = choice_list("sex", [
    (1, "Male", "Masculin", "Masculino"),
    (2, "Female", "Féminin", "Femenino"),
])
"""Sex codes as in MICS (HL4) and gmrd's canonical records (1 male, 2 female)."""
