"""Typer command functions, one module per command family; cli.py registers them."""
