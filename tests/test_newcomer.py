"""A newcomer's first steps (issue 15, item 13): `make run` says what it does, PORT/ADDRESS/DB work and config.toml
decides when they are not given, and the README names only documents that are in the repository."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*args: str) -> str:
    """The commands `make` would run (make -n: nothing is executed)."""
    return subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_run_passes_address_port_and_db_when_given():
    out = dry_run("run", "ADDRESS=0.0.0.0", "PORT=8502", "DB=/srv/tgpl.duckdb")
    serve = next(line for line in out.splitlines() if "planboard.ui.serve" in line)
    assert serve.startswith("PLANBOARD_DB=/srv/tgpl.duckdb ")
    assert "--server.address 0.0.0.0" in serve and "--server.port 8502" in serve


def test_without_address_and_port_config_toml_decides():
    serve = next(line for line in dry_run("run").splitlines() if "planboard.ui.serve" in line)
    assert "--server.address" not in serve and "--server.port" not in serve


def test_setup_announces_each_step_before_it_runs(tmp_path):
    lines = dry_run("-B", "setup", f"VENV={tmp_path / 'venv'}").splitlines()
    installs = [i for i, line in enumerate(lines) if " -m venv " in line or " -m pip install" in line]
    assert len(installs) == 3
    for i in installs:  # every slow step is preceded by a line saying what it is
        assert lines[i - 1].startswith('echo "==> '), lines[i - 1]
    assert not any("--quiet -r requirements.txt" in line for line in lines)  # pip's own progress is shown


def test_readme_names_only_files_of_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "shared/spec" not in readme and "../" not in readme
    for doc in set(re.findall(r"`(docs/[\w.-]+\.md)`", readme)):
        assert (ROOT / doc).is_file(), doc
    assert {"docs/data-contract.md", "docs/indicators.md"} <= set(re.findall(r"`(docs/[\w.-]+\.md)`", readme))
    for variable in ("PORT=", "DB=", "ADDRESS=0.0.0.0"):
        assert variable in readme, variable


def test_no_internet_url_in_the_app_config_or_entry():
    """The page icon is a bundled Material icon, config.toml names no remote font or asset."""
    for f in (ROOT / ".streamlit" / "config.toml", ROOT / "app.py"):
        assert not re.search(r"https?://", f.read_text(encoding="utf-8")), f
