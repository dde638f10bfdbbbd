"""QA flags are bounded per segment: a pathological paragraph (100,000 characters left in English, a word
doubled thousands of times) carries at most qa.MAX_PER_KIND flags of a kind and one more that counts the rest,
so document.json, the review files and the run report stay small; the segment is still flagged as it should be."""

from __future__ import annotations

import json
import random
from collections import Counter

from handbill import qa

from ..conftest import run_args
from .conftest import run_cli


def _pathological(words: int = 16_000) -> str:
    rng = random.Random(15)
    vocabulary = (
        "tenant union rent strike meeting landlord repair heating winter building neighbours library "
        "thursday children welcome the the 12 3,000 (x"
    ).split()
    return " ".join(rng.choice(vocabulary) for _ in range(words))[:99_000] + "."


def test_a_pathological_paragraph_carries_a_bounded_number_of_flags(tmp_path):
    """Before: 9,432 flags on one segment, 1.8 MB of document.json for a 99 KB leaflet."""
    leaflet = tmp_path / "flyer.txt"
    leaflet.write_text("Rent strike\n\n" + _pathological() + "\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli(*run_args(leaflet, out, "-q", "--json"))
    assert proc.returncode == 0, proc.stderr
    document = out / "flyer" / "es" / "document.json"
    data = json.loads(document.read_text(encoding="utf-8"))
    long = max(data["segments"], key=lambda s: len(s["source"]))
    kinds = Counter(issue["code"] for issue in long["issues"])
    assert kinds["untranslated_word"] == qa.MAX_PER_KIND + 1, kinds
    assert all(count <= qa.MAX_PER_KIND + 1 for count in kinds.values()), kinds
    summary = [i for i in long["issues"] if i["message"].startswith("and ")]
    assert any(i["code"] == "untranslated_word" and i["severity"] == "error" for i in summary), summary
    assert long["status"] == "needs_review"
    assert document.stat().st_size < 600_000


def test_the_bound_keeps_the_first_flags_and_counts_the_rest():
    issues = [qa._issue("repeated_word", f"{i}", f"w{i}", (i, i + 1)) for i in range(25)]
    issues += [qa._issue("number_mismatch", "n", "7")]
    kept = qa.bounded(issues)
    assert [i.message for i in kept[: qa.MAX_PER_KIND]] == [str(i) for i in range(qa.MAX_PER_KIND)]
    assert kept[qa.MAX_PER_KIND].code == "number_mismatch"
    assert kept[-1].code == "repeated_word" and kept[-1].severity == "warning"
    assert kept[-1].message.startswith(f"and {25 - qa.MAX_PER_KIND} more") and "w10" in kept[-1].message
    assert qa.bounded(issues[:3]) == issues[:3]
