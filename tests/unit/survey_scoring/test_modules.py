"""XLSForm modules: pyxform converts each, the committed files equal the builder's output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from gmrd.survey.modules import MODULES
from gmrd.survey.modules.build import codebook_markdown, read_xlsform, sheets, write_xlsform, xlsform_path
from gmrd.survey.modules.spec import LANGUAGES, Module

JAVA = shutil.which("java") is not None


@pytest.mark.parametrize("module", MODULES, ids=[m.form_id for m in MODULES])
def test_committed_xlsform_converts(module: Module) -> None:
    """pyxform (and ODK Validate, when Java is installed) accepts the committed form without warnings."""
    warnings: list[str] = []
    result = convert(str(xlsform_path(module)), warnings=warnings, validate=JAVA)
    assert warnings == []
    assert f'id="{module.form_id}"' in result.xform
    for _, language in LANGUAGES:
        assert f'lang="{language}"' in result.xform


@pytest.mark.parametrize("module", MODULES, ids=[m.form_id for m in MODULES])
def test_committed_xlsform_is_current(module: Module, tmp_path: Path) -> None:
    """The committed .xlsx equals what the builder writes now (regenerate with
    ``python -m gmrd.survey.modules.build``)."""
    fresh = write_xlsform(module, tmp_path / "fresh.xlsx")
    assert read_xlsform(xlsform_path(module)) == read_xlsform(fresh) == sheets(module)


@pytest.mark.parametrize("module", MODULES, ids=[m.form_id for m in MODULES])
def test_every_label_in_three_languages(module: Module) -> None:
    for item in module.survey:
        if item.label is not None:
            assert all(item.label.get(code) for code, _ in LANGUAGES), item.name
    for choice in module.choices:
        assert all(choice.label.get(code) for code, _ in LANGUAGES), (choice.list_name, choice.value)
    lists = module.choice_lists()
    assert all(item.list_name in lists for item in module.survey if item.list_name)


def test_issue_contents_present() -> None:
    names = {m.form_id: {item.name for item in m.survey} for m in MODULES}
    assert {"HL3", "HL4", "HL6", "MOTHER_RES", "FATHER_RES", "HL15", "HL19"} <= names["gmrd_roster"]
    assert {"MA4", "MA5", "MA6", "MA7", "MA8", "MA9", "MA10", "MA11", "MA12", "MA13"} <= names["gmrd_migration"]
    assert {"RM1", "RM2", "RM3", "RM4", "RM5", "RM6"} <= names["gmrd_remittances"]
    assert {"EQ5D_MO", "EQ5D_VAS", "EQ5DY_AD", "EQ5DY_VAS"} <= names["gmrd_health"]
    assert {"LS1", "LS2", "LS3", "LS4", "LSD_LIFE"} <= names["gmrd_life_satisfaction"]


def test_codebook_lists_every_variable() -> None:
    text = codebook_markdown()
    for module in MODULES:
        assert f"`{module.form_id}`" in text
        for item in module.survey:
            if not item.type.startswith("end_"):
                assert f"| {item.name} |" in text
    assert "3 Abroad" not in text and "1 Abroad" in text  # HL15 codes as in MICS6
