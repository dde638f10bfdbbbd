"""Regenerate the golden document.json files, on purpose: `python -m tests.golden` from the repository.

Each golden file is a leaflet of this project (examples/) run through the real pipeline once — Apertium,
no translation memory, no rendering — and committed. Renderer tests load a copy (conftest.golden) instead of
running the pipeline, so they test rendering alone and do not change when an engine's output does. Review
the diff before committing: a changed golden changes what every renderer test sees."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from handbill.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
# golden file -> (leaflet, target language)
GOLDEN = {"tenant-meeting.es.json": (REPO / "examples" / "tenant-meeting.md", "es")}


def regenerate() -> list[Path]:
    written = []
    for name, (leaflet, target) in GOLDEN.items():
        with tempfile.TemporaryDirectory() as tmp:
            result = CliRunner().invoke(
                main,
                [
                    "run",
                    str(leaflet),
                    "--to",
                    target,
                    "--engine",
                    "apertium",
                    "--format",
                    "none",
                    "--no-memory",
                    "--out",
                    tmp,
                    "-q",
                ],
            )
            if result.exit_code != 0:
                sys.exit(f"{name}: handbill run failed: {result.output}")
            produced = next(Path(tmp).rglob("document.json"))
            data = json.loads(produced.read_text(encoding="utf-8"))
            data.get("meta", {}).pop("timings", None)  # run-to-run noise, not part of the document
            # paths as the repository names them, so the file is the same whoever regenerates it
            data["source_path"] = str(leaflet.relative_to(REPO))
            report = data.get("glossary_report") or {}
            if report.get("glossary"):
                report["glossary"] = str(Path(report["glossary"]).resolve().relative_to(REPO.resolve()))
            (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written.append(HERE / name)
    return written


if __name__ == "__main__":
    for path in regenerate():
        print(path)
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)
