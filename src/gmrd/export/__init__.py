"""Exports: tabulations and estimates as CSV, XLSX (and SDMX-CSV for estimates)."""
