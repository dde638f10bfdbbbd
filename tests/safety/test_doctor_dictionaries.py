"""`handbill doctor` lists the spelling dictionaries QA checks words against — the very files a run records in
document.json (meta.qa.dictionaries) — and, for a language with none, that untranslated words then come from
the engine's marks only and which package adds one."""

from __future__ import annotations

import json
from pathlib import Path

from handbill import spelling

from .conftest import LEAFLET, document, handbill, run, write


def test_doctor_names_the_dictionaries_a_run_uses(tmp_path):
    result = handbill("doctor", "--from", "en", "--to", "es,ko", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["spelling"]
    assert set(listed) == {"en", "es", "ko"}
    assert run(write(tmp_path / "flyer.txt", LEAFLET), tmp_path / "out").exit_code == 0
    used = document(tmp_path / "out").meta["qa"]["dictionaries"]
    for tag in ("en", "es"):
        assert listed[tag]["file"] and Path(listed[tag]["file"]).name == used[tag]
    if spelling.find("ko") is None:
        assert listed["ko"] == {"file": "", "install": spelling.install_hint("ko")}


def test_doctor_text_has_a_line_per_language():
    result = handbill("doctor", "--from", "en", "--to", "es")
    assert result.exit_code == 0, result.output
    section = result.stdout.split("Spelling dictionaries", 1)[1].splitlines()
    assert any(line.split()[:1] == ["es"] and line.rstrip().endswith(".dic") for line in section[1:3]), section
