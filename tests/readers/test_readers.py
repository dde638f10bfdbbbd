"""Every reader on real files built at test time, and every way a leaflet can be unreadable (exit 3)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from handbill.errors import BadInput
from handbill.model import Kind
from handbill.readers import read
from handbill.segment import split

from ..conftest import MESSY, REPO


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_txt_paragraphs_and_list_items(tmp_path):
    doc = read(write(tmp_path, "a.txt", "Title line\n\nFirst paragraph\nwraps here.\n\n- one\n- two\n2) three\n"))
    assert [(s.kind, s.source) for s in doc.segments] == [
        (Kind.PARAGRAPH, "Title line"),
        (Kind.PARAGRAPH, "First paragraph wraps here."),
        (Kind.LIST_ITEM, "one"),
        (Kind.LIST_ITEM, "two"),
        (Kind.LIST_ITEM, "three"),
    ]
    assert doc.segments[4].marker == "2)"


def test_txt_separators_break_paragraphs_like_markdown_rules(tmp_path):
    text = (
        "Rent Strike Now\n===============\nWe meet Thursday at noon in the hall.\n\n* * *\n\nBring a friend.\n---\n"
        "Bring your lease.\n\n• • •\n- a real list item\n"
    )
    expected = [
        "Rent Strike Now",
        "We meet Thursday at noon in the hall.",
        "Bring a friend.",
        "Bring your lease.",
        "a real list item",
    ]
    txt = split(read(write(tmp_path, "a.txt", text)))
    assert [s.source for s in txt.segments] == expected
    assert [s.kind for s in txt.segments] == [Kind.HEADING] + [Kind.PARAGRAPH] * 3 + [Kind.LIST_ITEM]
    md = split(read(write(tmp_path, "a.md", text.replace("• • •\n", ""))))  # CommonMark's rules only
    assert [s.source for s in md.segments] == expected


def test_utf16_with_bom_is_read(tmp_path):
    doc = read(write(tmp_path, "a.txt", "Hola, vecinos.\n\nSegunda línea.".encode("utf-16")))
    assert [s.source for s in doc.segments] == ["Hola, vecinos.", "Segunda línea."]


def test_markdown_structure_links_and_front_matter(tmp_path):
    text = (
        '---\ntitle: "Tenants"\nlayout: post\n---\n# Tenant Union\n\nRead [our demands](https://example.org/d)'
        ' and <a href="https://example.org/x">this</a> **now**.\n\n![flier](/img/a.jpg){:style="x"}\n\n'
        "1. First reason\n2. Second reason\n\n* bullet\n\n> a quote\n"
    )
    doc = read(write(tmp_path, "a.md", text))
    assert doc.title == "Tenants"
    kinds = [(s.kind, s.source) for s in doc.segments]
    assert kinds[0] == (Kind.HEADING, "Tenant Union")
    assert kinds[1] == (
        Kind.PARAGRAPH,
        "Read our demands (https://example.org/d) and this (https://example.org/x) now.",
    )
    assert kinds[2] == (Kind.PARAGRAPH, "flier")  # an image's alt text is content; its attribute list is not
    assert kinds[3:] == [
        (Kind.LIST_ITEM, "First reason"),
        (Kind.LIST_ITEM, "Second reason"),
        (Kind.LIST_ITEM, "bullet"),
        (Kind.QUOTE, "a quote"),
    ]
    assert [s.marker for s in doc.segments[3:6]] == ["1.", "2.", "*"]


def test_messy_markdown_leaflets_split_sensibly():
    doc = split(read(MESSY / "idaho-ice-outta-jerome.en.md"))
    assert doc.title == "10 Reasons to STOP ICE in Jerome County"
    assert not any(s.source.startswith(("---", "layout:")) for s in doc.segments)
    numbered = [s for s in doc.segments if s.kind == Kind.LIST_ITEM and s.marker[:1].isdigit()]
    assert [s.marker for s in numbered] == [f"{n}." for n in range(1, 11)]
    assert sum(s.kind == Kind.QUOTE for s in doc.segments) == 3
    assert any("(http://magicvalley.com/" in s.source for s in doc.segments)
    assert not any("<a" in s.source or "{:" in s.source or "![" in s.source for s in doc.segments)
    covenant = split(read(MESSY / "contributor-covenant-2.1.en.md"))
    assert not any("+++" in s.source for s in covenant.segments)
    assert covenant.segments[0].kind == Kind.HEADING


def test_bundled_example_has_masthead_contact_headings_and_list():
    doc = split(read(REPO / "examples" / "tenant-meeting.md"))
    kinds = [s.kind for s in doc.segments]
    assert kinds[:3] == [Kind.MASTHEAD, Kind.CONTACT, Kind.HEADING]
    assert kinds.count(Kind.LIST_ITEM) == 3


def test_docx_styles_and_tracked_changes(tmp_path):
    word = docx.Document()
    word.add_heading("Rent Strike", level=1)
    paragraph = word.add_paragraph("We meet on ")
    word.add_paragraph("Bring your lease", style="List Bullet")
    word.save(tmp_path / "raw.docx")
    # a tracked insertion and a tracked deletion, as Word writes them
    with zipfile.ZipFile(tmp_path / "raw.docx") as src:
        xml = src.read("word/document.xml").decode("utf-8")
        members = {n: src.read(n) for n in src.namelist()}
    xml = xml.replace(
        '<w:t xml:space="preserve">We meet on </w:t></w:r>',
        '<w:t xml:space="preserve">We meet on </w:t></w:r>'
        '<w:ins w:id="1" w:author="T"><w:r><w:t>Thursday</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="T"><w:r><w:delText>Friday</w:delText></w:r></w:del>',
        1,
    )
    members["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(tmp_path / "a.docx", "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    del paragraph
    doc = read(tmp_path / "a.docx")
    assert [(s.kind, s.source) for s in doc.segments] == [
        (Kind.HEADING, "Rent Strike"),
        (Kind.PARAGRAPH, "We meet on Thursday"),
        (Kind.LIST_ITEM, "Bring your lease"),
    ]


def _pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose pages hold the given lines; an empty string leaves a paragraph gap."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    for lines in pages:
        y = 720
        for line in lines:
            if line:
                pdf.drawString(72, y, line)
            y -= 14
        pdf.showPage()
    pdf.save()
    return path


def test_pdf_paragraphs_and_page_break_repair(tmp_path):
    path = _pdf(
        tmp_path / "a.pdf",
        [
            [
                "Union News",
                "",
                "The first paragraph is short and ends here.",
                "",
                "The second paragraph goes on",
                "over two lines and stops at the foot of the",
            ],
            ["page, which the splitter must repair into one paragraph.", "", "A last paragraph."],
        ],
    )
    doc = split(read(path))
    sources = [s.source for s in doc.segments]
    assert (
        "The second paragraph goes on over two lines and stops at the foot of the page, which the splitter "
        "must repair into one paragraph." in sources
    )
    assert sources[-1] == "A last paragraph."
    assert "The first paragraph is short and ends here." in sources


def test_sample_leaflet_page_break_is_repaired(shared):
    doc = split(read(shared / "samples" / "speak-out-now-2026-02-02.txt"))
    assert len(doc.segments) == 10
    joined = [s for s in doc.segments if "masked ICE thugs brutalizing workers" in s.source]
    assert len(joined) == 1


@pytest.mark.parametrize(
    "name, data, needle",
    [
        ("a.xyz", "hello", "unsupported file type"),
        ("a.txt", "", "no text"),
        ("a.txt", "  \n\n\t \n", "no text"),
        ("a.txt", b"caf\xe9 ol\xe9", "bad byte at offset 3"),
        ("a.txt", b"\x00\x01\x02\x03binary\x00", "binary"),
        ("a.md", b"\xff\xfe\x00\xd8", "not valid"),
        ("a.docx", b"PK\x03\x04 not really a zip", "not a valid Word file"),
        ("a.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, name, data, needle):
    with pytest.raises(BadInput) as info:
        read(write(tmp_path, name, data))
    assert needle in info.value.message
    assert info.value.exit_code == 3


def test_missing_file(tmp_path):
    with pytest.raises(BadInput, match="does not exist"):
        read(tmp_path / "nope.txt")


def test_image_only_pdf_suggests_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 200, 200, fill=1)
    pdf.save()
    with pytest.raises(BadInput) as info:
        read(path)
    assert "no text layer" in info.value.message and "OCR" in info.value.hint.upper()


def test_encrypted_pdf(tmp_path):
    plain = _pdf(tmp_path / "plain.pdf", [["Secret leaflet."]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="pw", owner_password="owner")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(BadInput, match="encrypted"):
        read(tmp_path / "locked.pdf")


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * (250 * 1024 * 1024))
    with pytest.raises(BadInput, match="zip bomb"):
        read(path)


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    import handbill.readers as readers

    path = write(tmp_path, "big.txt", "word " * 400)
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    with pytest.raises(BadInput, match="up to") as info:
        read(path)
    assert "smaller" in info.value.hint


def test_directory_is_not_a_leaflet(tmp_path):
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(BadInput, match="not a file"):
        read(tmp_path / "folder.md")


def test_unknown_suffix_hint_lists_formats(tmp_path):
    with pytest.raises(BadInput) as info:
        read(write(tmp_path, "flyer.odt", "x"))
    assert all(fmt in info.value.hint for fmt in (".txt", ".md", ".docx", ".pdf"))


def test_bom_and_windows_line_endings(tmp_path):
    doc = read(write(tmp_path, "a.md", "\ufeff# Hello\r\n\r\nFirst line\r\nsecond line.\r\n".encode("utf-8")))
    assert [(s.kind, s.source) for s in doc.segments] == [
        (Kind.HEADING, "Hello"),
        (Kind.PARAGRAPH, "First line second line."),
    ]
    doc = read(write(tmp_path, "b.txt", "Línea uno.\n\nLínea dos.".encode("utf-16-be").join([b"\xfe\xff", b""])))
    assert [s.source for s in doc.segments] == ["Línea uno.", "Línea dos."]


def test_markdown_of_only_front_matter_and_images_is_empty(tmp_path):
    with pytest.raises(BadInput, match="no text"):
        read(write(tmp_path, "a.md", "---\ntitle: Nothing\n---\n![](a.jpg)\n<!-- draft -->\n"))  # no alt text
