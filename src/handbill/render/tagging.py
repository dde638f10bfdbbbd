"""Tagged PDF (PDF/UA-1) for reportlab's output, which has no structure of its own.

While reportlab draws, every paragraph of the leaflet is wrapped in marked content (`/P <</MCID n>> BDC …
EMC`) with a number unique in the whole document, and everything that is not the leaflet's text — column
labels, footers, page numbers, rules, the fold line — is wrapped as an /Artifact. Afterwards `finish` opens
the finished file with pikepdf (after booklet imposition, when pages have been put two to a sheet),
renumbers the marks page by page, and writes the structure tree in the leaflet's logical order: Document →
H1…H6 / P / L → LI → LBody → P, each element with the /Lang of its text (a source paragraph in the source
language, its translation in the target language, each pair source first), the ParentTree, /MarkInfo,
/Lang, DisplayDocTitle and the PDF/UA identification in the XMP metadata. The reading order is therefore
the tree's, whatever the page layout (columns, halves of a sheet, imposed booklet pages).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String
from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import HRFlowable


@dataclass(eq=False)
class Node:
    """One structure element: a role (Document, H1…H6, P, L, LI, LBody), a language and children.
    `marks` collects (global mark number, marked-content reference) as the element's text is drawn."""

    role: str
    lang: str = ""
    kids: list[Node] = field(default_factory=list)
    marks: list[tuple[int, Dictionary]] = field(default_factory=list)

    def add(self, role: str, lang: str = "") -> Node:
        child = Node(role, lang)
        self.kids.append(child)
        return child


class Marks:
    """The canvas's record of which element each marked-content number belongs to."""

    def __init__(self) -> None:
        self.owner: dict[int, Node] = {}

    def open(self, canvas, node: Node, actual_text: str = "") -> None:
        number = len(self.owner)
        self.owner[number] = node
        actual = f" /ActualText <FEFF{actual_text.encode('utf-16-be').hex().upper()}>" if actual_text else ""
        canvas.addLiteral(f"/{node.role} <</MCID {number}{actual}>> BDC")

    @staticmethod
    def close(canvas) -> None:
        canvas.addLiteral("EMC")


def marks_of(canvas) -> Marks | None:
    return getattr(canvas, "handbill_marks", None)


def canvas_maker(base, marks: Marks):
    """A canvasmaker for reportlab's doc templates whose canvas carries `marks`."""

    def make(*args, **kwargs):
        canvas = base(*args, **kwargs)
        canvas.handbill_marks = marks
        return canvas

    return make


@contextlib.contextmanager
def artifact(canvas, kind: str = "Layout", subtype: str = ""):
    """Everything drawn inside is an artifact: not part of the leaflet's text (PDF 32000-1, 14.8.2.2)."""
    props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
    canvas.addLiteral(f"/Artifact <<{props}>> BDC")
    try:
        yield
    finally:
        canvas.addLiteral("EMC")


class TaggedParagraph(Paragraph):
    """A Paragraph whose text is marked content of `node`, or an artifact when `node` is None.
    Parts of a paragraph split across pages or columns stay parts of the same element.

    `actual_lines`: the text of each printed line in reading order, where print order differs (Arabic and
    Hebrew are printed shaped and reordered); it becomes the marked content's /ActualText."""

    def __init__(self, *args, node: Node | None = None, actual_lines: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.node, self.actual_lines = node, actual_lines

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        lines = self.actual_lines
        for part in parts:
            part.node, part.actual_lines = self.node, None
            if lines is not None:  # each part takes as many logical lines as it prints
                part.wrap(avail_width, 1e9)
                count = len(part.blPara.lines) if part is not parts[-1] else len(lines)
                part.actual_lines, lines = lines[:count], lines[count:]
        return parts

    def draw(self):
        marks = marks_of(self.canv)
        if marks is None:
            return super().draw()
        if self.node is None:
            with artifact(self.canv):
                return super().draw()
        marks.open(self.canv, self.node, " ".join(self.actual_lines or []))
        try:
            super().draw()
        finally:
            marks.close(self.canv)


class Rule(HRFlowable):
    """A horizontal rule drawn as an artifact (decoration, not content)."""

    def draw(self):
        with artifact(self.canv):
            super().draw()


def finish(data: bytes, root: Node, marks: Marks, *, lang: str, title: str) -> bytes:
    """The PDF `data` (drawn with `marks`) with its structure tree, ParentTree and PDF/UA declarations."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        owners = []
        for index, page in enumerate(pdf.pages):
            owners.append(_renumber(pdf, page, marks))
            page.obj.StructParents = index
            page.obj.Tabs = Name.S
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, ParentTreeNextKey=len(pdf.pages)))
        elements: dict[Node, pikepdf.Object] = {}
        tree.K = _element(pdf, root, tree, elements)
        nums = Array()
        for index, page_owners in enumerate(owners):
            nums.append(index)
            nums.append(pdf.make_indirect(Array([elements[node] for node in page_owners])))
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
        catalog = pdf.Root
        catalog.StructTreeRoot = tree
        catalog.MarkInfo = Dictionary(Marked=True)
        if lang:
            catalog.Lang = String(lang)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        if "/Trapped" in pdf.docinfo:  # reportlab writes it as a string, which has no XMP form
            del pdf.docinfo["/Trapped"]
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta.load_from_docinfo(pdf.docinfo)  # author, subject, keywords, dates: the same in XMP and Info
            meta["dc:title"] = title
            if lang:
                meta["dc:language"] = [lang]
            meta["pdfuaid:part"] = "1"
        pdf.docinfo.Title = String(title)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _renumber(pdf, page, marks: Marks) -> list[Node]:
    """Give the page's marks the numbers 0, 1, 2 … (MCIDs are per page, and two booklet pages share a
    sheet) and record each one's marked-content reference on its element; returns the owner of each
    number, in order: the page's ParentTree entry."""
    owners: list[Node] = []
    changed = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = list(instruction.operands), instruction.operator
        if (
            operator == Operator("BDC")
            and len(operands) == 2
            and isinstance(operands[1], Dictionary)
            and "/MCID" in operands[1]
        ):
            node = marks.owner[int(operands[1].MCID)]
            node.marks.append((int(operands[1].MCID), Dictionary(Type=Name.MCR, Pg=page.obj, MCID=len(owners))))
            operands[1] = Dictionary({**dict(operands[1].items()), "/MCID": len(owners)})
            owners.append(node)
            instruction = pikepdf.ContentStreamInstruction(operands, operator)
        changed.append(instruction)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(changed))
    return owners


def _element(pdf, node: Node, parent, elements: dict) -> pikepdf.Object:
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
    if node.lang:
        element.Lang = String(node.lang)
    elements[node] = element
    kids = Array([_element(pdf, kid, element, elements) for kid in node.kids])
    for _, mcr in sorted(node.marks, key=lambda m: m[0]):  # drawing order is reading order within an element
        kids.append(mcr)
    element.K = kids
    return element
