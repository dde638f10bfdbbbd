"""Case 3: approval means a person approved. --approve approves only the rows the reviewer changed or whose
status they set; --approve-all is explicit; the report counts truthfully; only approved rows enter the
translation memory; the document says "reviewed" only when every translated segment is."""

from __future__ import annotations

from handbill.memory import Memory
from handbill.model import Status

from .conftest import LEAFLET, document, edit_docx, handbill, run, write


def _counts(stderr: str) -> dict[str, int]:
    """The numbers of the import report's first line: "changed 2, status set 1, approved 3, …"."""
    line = next(line for line in stderr.splitlines() if "unchanged" in line).split("review: ", 1)[1]
    return {name: int(number) for name, number in (part.rsplit(" ", 1) for part in line.split(", "))}


def test_approve_approves_only_what_the_reviewer_touched(tmp_path):
    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    out = tmp_path / "out"
    assert run(leaflet, out).exit_code == 0
    path = out / "flyer" / "es" / "document.json"
    draft = handbill("review", "export", path).stdout.strip()
    segs = document(out).segments
    typed = {
        segs[2].id: "Nuestro casero subió el alquiler un dieciocho por ciento.",
        segs[3].id: "Organizamos una huelga de alquileres; todo inquilino es bienvenido.",
    }
    edit_docx(draft, typed, statuses={segs[4].id: "approved"})  # one row only marked approved
    result = handbill("review", "import", path, draft, "--approve")
    assert result.exit_code == 0, result.output
    after = document(out)
    approved = {s.id for s in after.segments if s.status == Status.APPROVED}
    assert approved == {segs[2].id, segs[3].id, segs[4].id}
    before = {s.id: s.status for s in segs}  # machine drafts, some NEEDS_REVIEW for a QA flag: left as they were
    assert all(s.status == before[s.id] and not s.status.is_human for s in after.segments if s.id not in approved)
    translated = sum(s.translate for s in segs)
    assert after.review_state() == "partly" and after.review_counts()["unreviewed"] == translated - 3
    with Memory(out / "memory.sqlite") as tm:
        assert tm.lookup(segs[5].source, "en", "es") is None  # machine text never enters the memory
        assert tm.lookup(segs[2].source, "en", "es") == typed[segs[2].id]
        assert len(tm) == 3
    counts = _counts(result.stderr)
    assert counts["changed"] == 2 and counts["status set"] == 1 and counts["approved"] == 3
    assert counts["unchanged"] == len(segs) - 3

    result = handbill("review", "import", path, draft, "--approve-all")
    assert result.exit_code == 0, result.output
    everything = document(out)
    assert all(s.status == Status.APPROVED for s in everything.segments if s.target)
    assert everything.review_counts()["unreviewed"] == 0
    with Memory(out / "memory.sqlite") as tm:
        assert len(tm) == translated
