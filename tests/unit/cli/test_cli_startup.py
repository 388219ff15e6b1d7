"""The command line starts fast (no heavy imports for help), prints no emoji, and draws progress bars only
on a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import typer
from rich.console import Console
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.commands import common

HEAVY = ("pandas", "numpy", "scipy", "sqlalchemy", "fastapi", "alembic")


def _commands(group: typer.core.TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in group.commands.items():
        out.append((*prefix, name))
        if hasattr(command, "commands"):
            out += _commands(command, (*prefix, name))
    return out


def _emoji(text: str) -> list[str]:
    return [ch for ch in text if ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF]


def test_every_help_is_plain_text_without_emoji():
    """Rich turned ``:END:`` of START:END:STEP into an emoji; every --help must show the text as written."""
    runner = CliRunner()
    estimate = runner.invoke(app, ["estimate", "--help"], terminal_width=200)
    assert estimate.exit_code == 0
    assert "START:END:STEP" in estimate.stdout and "🔚" not in estimate.stdout
    commands = _commands(typer.main.get_command(app))  # type: ignore[arg-type]
    assert ("tokens", "list") in commands and len(commands) > 15
    for path in commands:
        done = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert done.exit_code == 0, (path, done.output)
        assert not _emoji(done.stdout), (path, _emoji(done.stdout))


def test_output_consoles_print_colon_words_as_text():
    assert not common.console._emoji and not common.err_console._emoji
    out = Console(file=io.StringIO(), emoji=common.console._emoji)
    out.print("years 1990:END:5")
    assert "1990:END:5" in out.file.getvalue()  # type: ignore[attr-defined]


def test_help_imports_no_heavy_library():
    """``gmrd --help`` (and a command's --help) must not import pandas, SciPy, SQLAlchemy, FastAPI …:
    they are imported inside the commands (start-up went from ~2.8 s to well under 0.5 s)."""
    code = ("import sys\nfrom gmrd.cli import app\n"
            "for args in (['--help'], ['estimate', '--help'], ['tokens', '--help'],\n"
            "             ['survey', 'estimate', '--help']):\n"
            "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
            "print('MODULES=' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.rsplit("MODULES=", 1)[1].split())
    assert "typer" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_progress_bar_only_on_a_terminal(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=piped, emoji=False))
    with common.progress_bar() as progress:
        task = progress.add_task("importing", total=None)
        progress.advance(task, 1000)
    assert progress.disable and piped.getvalue() == ""
    terminal = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=terminal, force_terminal=True, emoji=False))
    with common.progress_bar() as progress:
        task = progress.add_task("importing", total=None)
        progress.advance(task, 1000)
        progress.refresh()
    assert not progress.disable and "importing" in terminal.getvalue()

