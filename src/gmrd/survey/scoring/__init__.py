"""Scores and derived variables of the left-behind survey: EQ-5D, life satisfaction, derivations."""
