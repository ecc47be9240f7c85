"""Every built page is valid HTML according to the W3C Nu checker (npm vnu-jar, run with Java)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import PAGES, ROOT, require

pytestmark = pytest.mark.build

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: Validator errors we accept, as (substring of the message, why). Keep it short; none yet.
ALLOWED: list[tuple[str, str]] = []


def validator_missing() -> str | None:
    if shutil.which("java") is None:
        return "Java is not installed: `sudo apt-get install default-jre-headless` (the HTML checker needs it)."
    if not VNU.exists():
        return "vnu-jar is not installed: run `npm ci` in the project folder (make test does this)."
    return None


def test_every_page_is_valid_html(built_book):
    require(validator_missing())
    files = [str(built_book.html / page) for page in ["index.html", *PAGES]]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].split('/html/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] == "error" and not any(allowed in m["message"] for allowed, _ in ALLOWED)
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode in (0, 1)  # 1 = errors found (all of them allowed)
