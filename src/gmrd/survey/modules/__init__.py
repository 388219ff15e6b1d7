"""Questionnaire modules of the left-behind survey, defined as Python data and written as XLSForms."""

from __future__ import annotations

from gmrd.survey.modules import health, life_satisfaction, migration, remittances, roster
from gmrd.survey.modules.spec import Module

MODULES: tuple[Module, ...] = (roster.MODULE, migration.MODULE, remittances.MODULE, health.MODULE,
                               life_satisfaction.MODULE)
"""Every module, in questionnaire order."""
