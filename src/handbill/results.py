"""What each library call returns (see handbill.api): plain data with `to_dict()` — the `--json` report — and,
where the CLI prints more than paths, the lines it prints. No printing here, no click."""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import INTERNAL, HandbillError


class Result:
    def to_dict(self) -> dict:
        raise NotImplementedError

    def json(self) -> str:
        """The --json report as the CLI prints it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


@dataclass
class Carried:
    """What a run kept from the document already in its folder (see carry.py)."""

    kept: int = 0  # reviewed segments carried over unchanged
    restored: int = 0  # archived segments whose source came back
    archived: int = 0  # reviewed segments archived by this run
    suggested: int = 0  # new segments given an earlier reviewed translation as a suggestion
    gone: list[dict] = field(default_factory=list)  # archived by this run: candidates for suggestions


@dataclass
class RunResult(Result):
    """One target of a run: the document, where it was saved, the outputs written and the --strict problems.

    A leaflet run in parts is never held whole: `document` is then its header (no segments) and `tally` (a
    qa.Tally) the segments' figures added up part by part, with the flags and problems listed up to qa.LISTED
    (--json says how many more there were)."""

    document: Any  # model.Document
    document_path: Path
    outputs: list[Path] = field(default_factory=list)
    carried: Carried = field(default_factory=Carried)
    tally: Any = None  # qa.Tally of a leaflet run in parts

    @functools.cached_property
    def problems(self) -> list[str]:
        """Listed only when asked for (--strict, --json): a long leaflet has a million flags."""
        return self.tally.problems if self.tally is not None else self.document.problems()

    def qa(self, flags: bool = True) -> dict:
        """qa.report of the document (without the flags listed: flags=False), or of the parts added up."""
        from . import qa

        return self.tally.report() if self.tally is not None else qa.report(self.document, flags)

    def to_dict(self) -> dict:
        doc = self.document
        found = {
            "document": str(self.document_path),
            "outputs": [str(p) for p in self.outputs],
            "source_lang": doc.source_lang,
            "target_lang": doc.target_lang,
            "segments": self.tally.segments if self.tally is not None else len(doc.segments),
            "translation": doc.meta.get("machine_translation", ""),
            "glossary": doc.glossary_report or {},
            "qa": self.qa(),
            "back_translation": doc.meta.get("back_translation", {}),
            "problems": self.problems,
            "reviewed_kept": self.carried.kept,
            "archived": self.carried.archived,
            "restored": self.carried.restored,
            "suggested": self.carried.suggested,
        }
        if self.tally is not None and self.tally.omitted:
            found["problems_omitted"] = self.tally.errors - len(self.problems)
        return found

    def summary(self) -> list[str]:
        """The run summary for stderr: machine translation, glossary, one line per kind of QA flag, archive."""
        doc, lines = self.document, []
        report = doc.glossary_report or {}
        if doc.meta.get("machine_translation"):
            lines.append(f"translation: {doc.meta['machine_translation']}")
        if report.get("summary"):
            origin = report.get("origin")
            lines.append(f"glossary: {report['summary']}" + (f" [{origin}]" if origin else ""))
        lines += [f"qa: {line}" for line in self.qa(flags=False)["summary"]]
        carried = self.carried
        if carried.archived or carried.restored:
            lines.append(
                f"archive: {carried.archived} reviewed segment(s) whose source is gone kept in document.json "
                f"(archive), {carried.suggested} offered as suggestions to changed segments, "
                f"{carried.restored} restored"
            )
        return lines

    @property
    def paths(self) -> list[Path]:
        """What the CLI prints on stdout: document.json, then every output."""
        return [self.document_path, *self.outputs]


@dataclass
class TargetsResult(Result):
    """A run with several targets: what each finished target gave, and why each other one failed."""

    results: dict[str, RunResult] = field(default_factory=dict)
    failures: dict[str, HandbillError] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """The worst of the targets: an internal error first, then the highest code; 0 when all finished."""
        codes = [e.exit_code for e in self.failures.values()]
        return max(codes, key=lambda c: (c == INTERNAL, c)) if codes else 0

    def to_dict(self) -> dict:
        return {
            "targets": {tag: result.to_dict() for tag, result in self.results.items()},
            "failures": {
                tag: {"exit_code": exc.exit_code, "error": exc.one_line()} for tag, exc in self.failures.items()
            },
        }


@dataclass
class RenderResult(Result):
    outputs: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"outputs": [str(p) for p in self.outputs]}


@dataclass
class ExportResult(Result):
    path: Path
    document_path: Path

    def to_dict(self) -> dict:
        return {"review_file": str(self.path), "document": str(self.document_path)}


@dataclass
class ImportResult(Result):
    document_path: Path
    report: Any  # review.MergeReport

    def lines(self) -> list[str]:
        return self.report.lines()

    def to_dict(self) -> dict:
        data = asdict(self.report)
        return {
            "document": str(self.document_path),
            **data,
            "applied": list(self.report.applied),
            "summary": self.report.lines(),
        }


@dataclass
class ModelsResult(Result):
    """Installed pairs per engine: one row each (engine, pair, model, version, path, Argos metadata)."""

    rows: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"models": self.rows}

    def json(self) -> str:
        return json.dumps(self.rows, indent=2, ensure_ascii=False)  # a list, as `models list --json` always gave

    def lines(self) -> list[str]:
        if not self.rows:
            return ["no models installed (see `handbill doctor`)"]
        return [
            f"{r['engine']:9} {r['pair']:7} {r['model']:24} {r['version']:8} {_details(r):24} {r['path']}".rstrip()
            for r in self.rows
        ]


def _details(row: dict) -> str:
    """tokenizer · target prefix · splitter, for the text listing."""
    parts = [row.get("tokenizer", "")]
    if row.get("target_prefix"):
        parts.append(f"prefix {row['target_prefix']}")
    if row.get("sentence_splitter"):
        parts.append(f"embeds {row['sentence_splitter']} splitter")
    return ", ".join(p for p in parts if p)


@dataclass
class AvailableResult(Result):
    """Models a package index offers, newest first per pair; `installed` marks the pairs already here."""

    url: str
    entries: list[dict] = field(default_factory=list)
    installed: set = field(default_factory=set)

    def to_dict(self) -> dict:
        return {"index": self.url, "models": self.entries}

    def json(self) -> str:
        return json.dumps(self.entries, indent=2, ensure_ascii=False)

    def lines(self) -> list[str]:
        out = []
        for e in self.entries:
            mark = "*" if (e["from_code"], e["to_code"]) in self.installed else " "
            names = f"{e.get('from_name', '')} -> {e.get('to_name', '')}"
            out.append(f"{mark} {e['from_code']}-{e['to_code']:9} {e.get('package_version', '')!s:8} {names}")
        return out


@dataclass
class InstallResult(Result):
    pair: tuple[str, str]
    path: Path  # the installed folder
    package: str = ""  # the .argosmodel file's name, for an offline install

    def to_dict(self) -> dict:
        return {"pair": f"{self.pair[0]}-{self.pair[1]}", "path": str(self.path), "package": self.package}

    def line(self) -> str:
        source = f" from {self.package}" if self.package else ""
        return f"installed {self.pair[0]}-{self.pair[1]}{source} into {self.path}"


@dataclass
class GlossaryCheckResult(Result):
    file: Path
    terms: int = 0
    approved: int = 0
    problems: list[str] = field(default_factory=list)  # "file:line: what is wrong"

    def to_dict(self) -> dict:
        return {"file": str(self.file), "terms": self.terms, "approved": self.approved, "problems": self.problems}

    def line(self) -> str:
        return (
            f"{self.file}: {self.terms} terms, {self.approved} approved, {self.terms - self.approved} proposed; "
            "no problems"
        )

    def error(self) -> HandbillError | None:
        """Exit 4 when there is any problem (after they were listed)."""
        from .errors import GlossaryError

        if not self.problems:
            return None
        return GlossaryError(f"{len(self.problems)} problem(s) in {self.file}", "fix the lines listed above")


@dataclass
class SuggestResult(Result):
    candidates: list[tuple[int, str]] = field(default_factory=list)  # (how often, phrase), most frequent first

    def to_dict(self) -> dict:
        return {"candidates": [{"count": n, "phrase": p} for n, p in self.candidates]}

    def lines(self) -> list[str]:
        return [f"{n:3}  {phrase}" for n, phrase in self.candidates]


@dataclass
class ConvertResult(Result):
    path: Path

    def to_dict(self) -> dict:
        return {"path": str(self.path)}


@dataclass
class DoctorResult(Result):
    report: dict

    def to_dict(self) -> dict:
        return self.report

    def json(self) -> str:
        return json.dumps(self.report, indent=2, ensure_ascii=False)

    def text(self) -> str:
        from .doctor import format_report

        return format_report(self.report)
