"""A tagged-PDF checker: what a screen reader relies on, read back with poppler and pikepdf.

- poppler's `pdfinfo` says "Tagged: yes" and `pdfinfo -struct-text` gives every paragraph in reading order;
- every text-showing operator on every page lies inside marked content that belongs to the structure tree
  (its MCID is referenced by an element and by the page's ParentTree entry) or inside an /Artifact;
- every P and H element carries the /Lang of its text, and the catalog has /MarkInfo, /Lang,
  DisplayDocTitle, and the PDF/UA identification in its XMP metadata.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pikepdf

from .readback import squash

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
TEXT_ROLES = re.compile(r"^(P|H[1-6])$")


def pdfinfo(path, *args: str) -> str:
    return subprocess.run(["pdfinfo", *args, str(path)], capture_output=True, text=True, check=True, timeout=60).stdout


def struct_text(path) -> list[str]:
    """The text of each structure element that has text, in tree order, as poppler reads it (poppler
    prints one quoted piece per page an element runs over)."""
    texts: list[list[str]] = []
    for line in pdfinfo(path, "-struct-text").splitlines():
        stripped = line.strip()
        if stripped.startswith('"') and stripped.endswith('"') and len(stripped) >= 2:
            texts[-1].append(stripped[1:-1])
        else:
            texts.append([])
    return [" ".join(pieces) for pieces in texts if pieces]


def _elements(node, found: list) -> None:
    """Depth-first, in reading order: (role, lang, [(page objgen, mcid)]) of every element."""
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _elements(kid, found)
        return
    if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") == pikepdf.Name.MCR:
        return
    role = str(node.S)[1:]
    refs = []
    for kid in node.get("/K", pikepdf.Array()) if isinstance(node.get("/K"), pikepdf.Array) else [node.get("/K")]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
            refs.append((kid.Pg.objgen, int(kid.MCID)))
        elif isinstance(kid, int):
            refs.append((node.Pg.objgen, int(kid)))
    found.append((role, str(node.get("/Lang", "")), refs, node))
    if isinstance(node.get("/K"), pikepdf.Array):
        for kid in node.K:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != pikepdf.Name.MCR:
                _elements(kid, found)


def check_tagged(path, expected: list[tuple[str, str]]) -> None:
    """`expected`: (language, text) of every paragraph and heading, in reading order."""
    assert "Tagged:          yes" in pdfinfo(path), "pdfinfo does not see a tagged PDF"
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True or bool(root.MarkInfo.Marked)
        assert str(root.Lang) and root.ViewerPreferences.DisplayDocTitle
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1" and meta.get("dc:title"), "no PDF/UA identification or title"
        found: list = []
        _elements(root.StructTreeRoot.K, found)
        assert found[0][0] == "Document"
        owner = {ref: element for role, lang, refs, element in found for ref in refs}
        parent_tree = root.StructTreeRoot.ParentTree.Nums
        parents = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
        actual_text: dict[tuple, list[str]] = {}
        for number, page in enumerate(pdf.pages):
            per_page = parents[int(page.obj.StructParents)]
            stack: list = []
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                if op in {"BDC", "BMC"}:
                    tag, props = instruction.operands[0], instruction.operands[1] if op == "BDC" else None
                    mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                    if mcid is not None:
                        ref = (page.obj.objgen, mcid)
                        assert ref in owner, f"page {number + 1}: MCID {mcid} belongs to no structure element"
                        assert per_page[mcid].objgen == owner[ref].objgen, f"page {number + 1}: ParentTree disagrees"
                        if "/ActualText" in props:
                            actual_text.setdefault(owner[ref].objgen, []).append(str(props.ActualText))
                    stack.append((str(tag), mcid))
                elif op == "EMC":
                    stack.pop()
                elif op in TEXT_OPERATORS:
                    assert any(tag == "/Artifact" or mcid is not None for tag, mcid in stack), (
                        f"page {number + 1}: text outside marked content: {instruction.operands}"
                    )
            assert not stack, "unbalanced marked content"
        texts = [(role, lang, element) for role, lang, refs, element in found if TEXT_ROLES.match(role)]
    poppler = struct_text(path)
    assert len(poppler) == len(texts) == len(expected), (len(poppler), len(texts), len(expected))
    for (role, lang, element), printed, (want_lang, want) in zip(texts, poppler, expected):
        assert lang == want_lang, f"{role} {want[:40]!r} has /Lang {lang!r}, not {want_lang!r}"
        spoken = " ".join(actual_text.get(element.objgen, [])) or printed  # RTL: the words in reading order
        assert squash(want) in squash(spoken), f"{role} out of order or incomplete: {want[:40]!r} / {spoken[:60]!r}"


def expected_elements(doc) -> list[tuple[str, str]]:
    """(language, text) of each element a tagged PDF of `doc` must have: each source paragraph, then its
    translation unless the segment is printed once (untranslated)."""
    out = []
    for seg in doc.segments:
        target = seg.target or seg.source
        out.append((seg.lang or doc.source_lang, seg.source))
        if target != seg.source:
            out.append((doc.target_lang, target))
    return [(lang, unicodedata.normalize("NFC", text)) for lang, text in out]
