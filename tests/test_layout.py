"""docs/development.md's picture of the house matches the code: every module named, layers in
order."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def picture() -> list[str]:
    text = (REPO / "docs" / "development.md").read_text()
    block = text.split("### Layout", 1)[1].split("```", 2)[1]
    return block.strip("\n").splitlines()


def named(lines: list[str], root: str) -> list[list[str]]:
    """Per line under ``root/``: the module names it shows (``commands/`` -> ``commands``)."""
    out, inside = [], False
    for line in lines:
        if not line.startswith(" "):
            inside = line.startswith(f"{root}/")
            continue
        if inside and not line.startswith("   "):  # deeper indents continue a description
            head = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
            names = [n.strip("/").removesuffix(".py") for n in re.split(r"[ |]+", head) if n]
            out.append(names)
    return out


def modules(root: str) -> set[str]:
    base = REPO / root
    found = {p.stem for p in base.glob("*.py") if p.stem != "__init__"}
    found |= {p.parent.name for p in base.glob("*/__init__.py")}
    return found


def test_every_module_of_the_bot_and_the_sandbox_is_in_the_picture():
    lines = picture()
    for root in ("bot", "sandbox"):
        shown = {n for row in named(lines, root) for n in row}
        assert shown == modules(root), root


def test_the_picture_shows_the_layers_in_the_order_the_contract_enforces():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    layers = [
        sorted(m.strip().removeprefix("bot.") for m in layer.split("|"))
        for layer in contract["layers"]
    ]
    shown = [sorted(row) for row in named(picture(), "bot")]
    assert [row for row in shown if row in layers] == layers


def test_readme_is_short_and_every_page_it_links_exists():
    text = (REPO / "README.md").read_text()
    assert len(text.splitlines()) <= 150
    linked = set(re.findall(r"\]\((docs/[a-z_]+\.md)", text))
    assert {"docs/using.md", "docs/operating.md", "docs/performance.md"} <= linked
    assert {"docs/development.md", "docs/simulator.md"} <= linked
    for page in linked:
        assert (REPO / page).is_file(), page
