"""Word files are zip archives: a leaflet or a review file is checked from the archive's directory before anything
unpacks it (handbill.archive). Too many members, a member or a whole too big once unpacked, a compression ratio
no document has, a broken end record: each is one line, exit 3, with nothing written and document.json as it
was — and the refusal reads only the directory, so it stays small and quick however big the bomb."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest

from handbill import archive
from handbill.errors import BadInput

from ..conftest import run_args
from .conftest import assert_one_line_error, files_under, run_cli


def _word_file(path: Path) -> Path:
    word = docx.Document()
    word.add_heading("Tenants meet on Thursday", 1)
    word.add_paragraph("Bring your lease and a friend.")
    word.save(str(path))
    return path


def _with_members(path: Path, count: int) -> Path:
    """Add COUNT empty members (a directory entry each, a few bytes of data)."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as out:
        for i in range(count):
            out.writestr(zipfile.ZipInfo(f"customXml/x{i}.xml"), b"")
    return path


def _declaring(path: Path, name: str, size: int, packed: int | None = None) -> Path:
    """Make the central directory claim that member NAME unpacks to SIZE bytes (and is PACKED bytes packed),
    as a crafted bomb does; the member's data stays as it was."""
    data = bytearray(path.read_bytes())
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + length].decode() == name:
            data[at + 24 : at + 28] = struct.pack("<I", size)
            if packed is not None:
                data[at + 20 : at + 24] = struct.pack("<I", packed)
            break
        at += 46
    path.write_bytes(bytes(data))
    return path


def test_a_word_file_passes(tmp_path):
    archive.check_zip(_word_file(tmp_path / "ok.docx"))


@pytest.mark.parametrize("count, refused", [(archive.MAX_MEMBERS - 40, False), (archive.MAX_MEMBERS + 1, True)])
def test_members_are_counted_from_the_end_record(tmp_path, count, refused):
    path = _with_members(_word_file(tmp_path / "many.docx"), count)
    if refused:
        with pytest.raises(BadInput, match="files"):
            archive.check_zip(path)
    else:
        archive.check_zip(path)


def test_a_directory_of_a_million_entries_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """The end record says how many entries there are: Python's zipfile (one object per entry) never runs."""
    path = _word_file(tmp_path / "million.docx")
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 0xFFFF, 0xFFFF)  # saturated: look for a ZIP64 record
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 1_000_000, 1_000_000, 46_000_000, 0)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1)
    path.write_bytes(bytes(data[:end]) + record + locator + bytes(data[end:]))

    def never(*args, **kwargs):
        raise AssertionError("the directory was read")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    with pytest.raises(BadInput, match="1,000,000 files"):
        archive.check_zip(path)


def test_a_member_declared_too_big_is_refused(tmp_path):
    path = _declaring(
        _word_file(tmp_path / "big.docx"), "word/document.xml", archive.MAX_MEMBER + 1, packed=archive.MAX_MEMBER // 100
    )
    with pytest.raises(BadInput, match=r"word/document\.xml"):
        archive.check_zip(path)


def test_a_compression_ratio_no_document_has_is_refused(tmp_path):
    path = _declaring(_word_file(tmp_path / "ratio.docx"), "word/document.xml", 50 * 1024 * 1024)
    with pytest.raises(BadInput, match="times its packed size"):
        archive.check_zip(path)


@pytest.mark.parametrize("damage", ["no end record", "broken zip64", "cut"])
def test_a_broken_archive_is_bad_input(tmp_path, damage):
    path = _word_file(tmp_path / "broken.docx")
    data = path.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    if damage == "no end record":
        data = data[:end]
    elif damage == "broken zip64":
        data = data[: end + 8] + struct.pack("<HH", 0xFFFF, 0xFFFF) + data[end + 12 :]
    else:
        data = data[: len(data) // 2]
    path.write_bytes(data)
    with pytest.raises(BadInput, match="not a valid Word file"):
        archive.check_zip(path)


def test_a_leaflet_with_too_many_members_is_one_line_and_writes_nothing(tmp_path):
    """Before: 6,000 empty members were read as a leaflet (each an object in memory, any number of them)."""
    (tmp_path / "in").mkdir()
    path = _with_members(_word_file(tmp_path / "in" / "flyer.docx"), archive.MAX_MEMBERS + 1000)
    out = tmp_path / "out"
    proc = run_cli(*run_args(path, out, "-q"), timeout=120)
    assert "files" in assert_one_line_error(proc, 3)
    assert files_under(out) == set()


def _exported(tmp_path: Path) -> tuple[Path, Path]:
    leaflet = tmp_path / "flyer.txt"
    leaflet.write_text("Tenants meet on Thursday\n\nBring your lease and a friend.\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli(
        "run", leaflet, "--to", "es", "--from", "en", "--engine", "identity", "--format", "none", "--out", out, "-q"
    )
    assert proc.returncode == 0, proc.stderr
    document = out / "flyer" / "es" / "document.json"
    reviewed = tmp_path / "review.docx"
    proc = run_cli("review", "export", document, "--format", "docx", "--out", reviewed)
    assert proc.returncode == 0, proc.stderr
    return document, reviewed


@pytest.mark.parametrize("bomb", ["members", "declared", "ratio"])
def test_a_review_file_bomb_is_refused_and_changes_nothing(tmp_path, bomb):
    document, reviewed = _exported(tmp_path)
    if bomb == "members":
        _with_members(reviewed, archive.MAX_MEMBERS + 1)
    elif bomb == "declared":
        _declaring(reviewed, "word/document.xml", archive.MAX_UNPACKED + 1, packed=archive.MAX_UNPACKED // 100)
    else:
        _declaring(reviewed, "word/document.xml", 60 * 1024 * 1024)
    before = document.read_bytes()
    proc = run_cli("review", "import", document, reviewed, "--approve")
    assert "zip bomb" in assert_one_line_error(proc, 3)
    assert document.read_bytes() == before


def test_a_review_file_that_lies_about_its_sizes_fails_as_broken(tmp_path):
    """A directory claiming less than the data unpacks to: zipfile stops at the claimed size and the CRC fails,
    so the bomb is never unpacked; the import is exit 3 and changes nothing."""
    document, reviewed = _exported(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(reviewed) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                paragraph = b"<w:p><w:r><w:t>" + b"A" * 30_000_000 + b"</w:t></w:r></w:p>"
                data = data.replace(b"</w:body>", paragraph + b"</w:body>")
            dst.writestr(info.filename, data)
    reviewed.write_bytes(buf.getvalue())
    _declaring(reviewed, "word/document.xml", 40_000)
    before = document.read_bytes()
    proc = run_cli("review", "import", document, reviewed, "--approve", memory=1024**3 + 512 * 1024**2)
    assert_one_line_error(proc, 3)
    assert document.read_bytes() == before
