"""Synthetic pilot surveys with known truth: population, two-stage samples, MICS-style files."""
