"""What ships: the wheel (and so the Docker image) holds the bot and nothing of the sandbox."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    with zipfile.ZipFile(built) as zf:
        yield zf


def test_the_wheel_holds_the_bot_and_no_sandbox_code(wheel):
    names = wheel.namelist()
    packages = {n.split("/", 1)[0] for n in names if not n.startswith("datajobs_bot-")}
    assert packages == {"bot"}
    assert "bot/__main__.py" in names and "bot/store/keys.py" in names
    assert not [n for n in names if re.search(r"sandbox|simulator|playground|fakeredis", n)]
    # every module of the bot's source tree is in it
    source = {str(p.relative_to(REPO)) for p in (REPO / "bot").rglob("*.py")}
    assert source <= set(names)


def test_fakeredis_is_only_a_demo_extra(wheel):
    (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    requires = [
        line.split(":", 1)[1].strip()
        for line in wheel.read(meta).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    fake = [r for r in requires if r.startswith("fakeredis")]
    assert any(r.endswith("extra == 'demo'") for r in fake)
    assert all("; extra == " in r for r in fake)  # never installed with the bot itself


def test_the_docker_image_installs_only_the_bot():
    copies = [
        line.split()[1:-1]
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ")
    ]
    copied = {path for paths in copies for path in paths}
    assert copied == {"pyproject.toml", "README.md", "bot"}
