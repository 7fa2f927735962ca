"""The command line as an operator meets it: `python -m bot migrate` in a fresh directory, a bad setting or an
unreachable database refused with one line and exit code 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from tests.e2e.flows import ROOT

# The environment of whoever runs the tests configures nothing here: the process gets only what a test gives.
SETTINGS = {name.upper() for name in Settings.model_fields}


def _cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in SETTINGS and not k.startswith(("BOT_", "DATABASE_", "REDIS_"))}
    return subprocess.run([sys.executable, "-m", "bot", *args], env={**clean, **env}, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _cli({"BOT_TOKEN": "nope", "PYTHONPATH": str(ROOT)}, tmp_path, "migrate")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: BOT_TOKEN: is malformed: expected <bot id>:<secret> as given by @BotFather"
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_unreachable_database_exits_2(tmp_path: Path) -> None:
    result = _cli({"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none", "PYTHONPATH": str(ROOT)}, tmp_path,
                  "migrate")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if "Configuration error" in line]
    assert len(lines) == 1 and lines[0].startswith("Configuration error: DATABASE_URL: cannot connect")
    assert "Traceback" not in result.stderr


def test_cli_migrate_creates_the_database(tmp_path: Path) -> None:
    result = _cli({"PYTHONPATH": str(ROOT)}, tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "bot.db").exists()
    assert "SECRET_KEY is not set" in result.stderr
