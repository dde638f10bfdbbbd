"""Protect -> translate -> restore -> verify, around any engine.

Verbatim things (e-mail, URL, @handle, and glossary terms of kind keep/name such as ICE or a group's name)
become placeholders `⟦n⟧`, which survive Apertium and Argos as punctuation would. Terms of kind translate are
left to the engine, which keeps its grammar, and known wrong renderings are post-edited to the agreed one,
with article agreement fixed; a placeholder hides a noun's gender ("el huelga"), post-editing does not.
`verify` then checks every term found in the source against the translation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import languages
from ..model import Document, Issue
from ..segment.verbatim import verbatim_spans
from ..text import fold
from .terms import Glossary, Term

PLACEHOLDER = re.compile(r"⟦\s*(\d+)\s*⟧?|\[\[\s*(\d+)\s*\]\]")
# A word an engine moved inside the brackets (Apertium es->fr writes "n'accepterons ⟦pas 1⟧"): it goes before.
INSIDE = re.compile(r"⟦\s*([^\W\d][^⟦⟧\d]*?)\s+(\d+)\s*⟧")
LITERAL = re.compile(r"[⟦⟧]|\[\[|\]\]")


@dataclass
class Protected:
    masked: str
    slots: dict[int, str] = field(default_factory=dict)  # placeholder number -> text to put back
    found: list[tuple[Term, str, str]] = field(default_factory=list)  # translate terms: term, form, as written
    tgt: str = ""
    genders: dict[int, str] = field(default_factory=dict)  # placeholder number -> gender of a fixed rendering


@dataclass
class Matcher:
    pattern: re.Pattern | None
    exact: dict[str, tuple[Term, str]]
    folded: dict[str, tuple[Term, str]]

    def find(self, text: str):
        """(start, end, term, form) of every term occurrence, longest match first, no overlaps."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            written = " ".join(match.group(0).split())
            hit = self.exact.get(written) or self.folded.get(written.casefold())
            if hit is not None:
                yield match.start(), match.end(), hit[0], hit[1]


def matcher(glossary: Glossary) -> Matcher:
    cached = getattr(glossary, "_matcher", None)
    if cached is not None:
        return cached
    exact: dict[str, tuple[Term, str]] = {}
    folded: dict[str, tuple[Term, str]] = {}
    trie: dict = {}
    for term in glossary.terms:
        for form in term.forms():
            if term.case == "exact":
                exact[form] = (term, form)
            else:
                folded[form.casefold()] = (term, form)
            _insert(trie, form, term.case != "exact")
    pattern = re.compile(r"(?<!\w)(?:" + _alternation(trie)[0] + r")(?!\w)") if trie else None
    result = Matcher(pattern, exact, folded)
    object.__setattr__(glossary, "_matcher", result)
    return result


def _insert(trie: dict, form: str, fold: bool) -> None:
    """Add a form to a character trie (whitespace between words as one edge; letters of a case-insensitive
    form as case-insensitive edges)."""
    node = trie
    for number, word in enumerate(form.split()):
        if number:
            node = node.setdefault(r"\s+", {})
        for char in word:
            if fold and char.lower() != char.upper():
                lower, upper = char.lower(), char.upper()
                edge = (
                    f"[{re.escape(lower)}{re.escape(upper)}]"
                    if len(lower) == len(upper) == 1
                    else f"(?i:{re.escape(char)})"
                )
            else:
                edge = re.escape(char)
            node = node.setdefault(edge, {})
    node[""] = {}


def _alternation(node: dict) -> tuple[str, int]:
    """The trie as one regex and its depth: at each point the longest forms are tried first and a form ending
    there last, so the longest term wins as before; matching costs what the longest form does at each
    position, not what the number of terms does (10,000 terms: a compiled alternation of every form tried
    each one in turn)."""
    branches = sorted(
        ((edge + sub, depth + 1) for edge, child in node.items() if edge for sub, depth in [_alternation(child)]),
        key=lambda b: -b[1],
    )
    depth = branches[0][1] if branches else 0
    body = "|".join(b[0] for b in branches)
    if "" in node:
        return (f"(?:{body})?" if branches else ""), depth
    return (body if len(branches) == 1 else f"(?:{body})"), depth


_normal = fold  # texts compare with white space folded (text.py)


def protect(
    text: str, glossary: Glossary, spans: Sequence[tuple[int, int]] = (), rewrites: Sequence[tuple[int, int, str]] = ()
) -> Protected:
    """Swap verbatim spans, rewrites (a date already written the target's way) and keep/name/fixed terms
    for ⟦n⟧; note translate terms for post-editing."""
    cuts: list[tuple[int, int, str, str]] = [(s, e, text[s:e], "") for s, e in spans]

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e, _, _ in cuts)

    cuts += [(s, e, value, "") for s, e, value in rewrites if free(s, e)]
    for literal in LITERAL.finditer(text):  # the leaflet's own brackets must not read as placeholders
        if free(literal.start(), literal.end()):
            cuts.append((literal.start(), literal.end(), literal.group(0), ""))
    found: list[tuple[Term, str, str]] = []
    for start, end, term, form in matcher(glossary).find(text):
        if not free(start, end):
            continue
        if term.verbatim:
            cuts.append((start, end, text[start:end], ""))
        elif term.kind == "fixed":
            rendering = term.forms()[form]
            cuts.append((start, end, _positional_case(text[start:end], term, rendering), term.gender_of(rendering)))
        else:
            found.append((term, form, text[start:end]))
    cuts.sort()
    pieces: list[str] = []
    slots: dict[int, str] = {}
    genders: dict[int, str] = {}
    last = 0
    for number, (start, end, value, gender) in enumerate(cuts, 1):
        pieces.append(text[last:start])
        pieces.append(f"⟦{number}⟧")
        slots[number] = value
        if gender:
            genders[number] = gender
        last = end
    pieces.append(text[last:])
    return Protected("".join(pieces), slots, found, glossary.tgt, genders)


def _match_case(model: str, text: str) -> str:
    if model.isupper() and len(model) > 1:
        return text.upper()
    if model[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


def _positional_case(written: str, term: Term, rendering: str) -> str:
    """Capitals the source has only because of where the term stands (a heading in Title Case, the start
    of a sentence, ALL CAPS) carry over; a rendering's own capitals (administración Trump) are kept."""
    if written.isupper() and len(written) > 1 and not term.source.isupper():
        return rendering.upper()
    if written[:1].isupper() and term.source[:1].islower():
        return rendering[:1].upper() + rendering[1:]
    return rendering


def _agree(text: str, start: int, gender: str, lang: str) -> tuple[str, int]:
    """Fix the article just before position `start` for the rendering's gender; returns new text and shift."""
    table = languages.get(lang).articles.get(gender)  # article agreement: languages/<code>.py
    if not table:
        return text, 0
    window = max(0, start - 80)  # the article is right before the term: never search the whole text again
    before = re.search(r"(\w+)(\s+)$", text[window:start])
    if not before:
        return text, 0
    article = before.group(1)
    fixed = table.get(article.lower())
    if fixed is None:
        return text, 0
    fixed = _match_case(article, fixed) if article[:1].isupper() else fixed
    new = text[: window + before.start(1)] + fixed + text[window + before.end(1) :]
    return new, len(fixed) - len(article)


def _suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _rendering_for(wrong: str, term: Term, forms: list[str]) -> str:
    """The agreed rendering for one wrong word: a source form left as is maps to its own rendering; an engine's
    wrong rendering takes the rendering, among the forms matched in this source, that ends like it does
    (number and gender are endings in Romance languages: dueños -> caseros, dueño -> casero)."""
    all_forms = term.forms()
    for form, rendering in all_forms.items():
        if form.casefold() == wrong.casefold():
            return rendering
    wrong = wrong.casefold()
    options = [all_forms[f] for f in forms]
    return max(options, key=lambda r: (_suffix(wrong, r.casefold()), r.endswith("s") == wrong.endswith("s"), -len(r)))


def post_edit(text: str, found: list[tuple[Term, str, str]], lang: str) -> str:
    """Replace the engine's known wrong renderings (and source terms it left untranslated) of every term found
    in the source with the agreed rendering of the matching form, fixing articles.

    Runs while e-mails, URLs, handles and fixed terms are still placeholders, so they are never touched
    ("union@…" stays, never "sindicato@…"). Longer wrong renderings go first across all terms ("unión de
    inquilinos" before "unión"); a word that is another found term's agreed rendering is never replaced.
    """
    forms: dict[int, list[str]] = {}
    terms: dict[int, Term] = {}
    for term, form, _ in found:
        terms[id(term)] = term
        forms.setdefault(id(term), [])
        if form not in forms[id(term)]:
            forms[id(term)].append(form)
    candidates: list[tuple[int, int, Term, str]] = []
    for key, term in terms.items():
        others = {r.casefold() for k, t in terms.items() if k != key for r in t.forms().values() if r}
        for wrong in {*term.wrong, *term.forms()}:
            if wrong.casefold() in others:
                continue
            pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in wrong.split()) + r"(?!\w)"
            for match in re.finditer(pattern, text, re.I):
                candidates.append((match.start(), match.end(), term, _rendering_for(match.group(0), term, forms[key])))
    chosen: list[tuple[int, int, Term, str]] = []
    for cand in sorted(candidates, key=lambda c: c[0] - c[1]):  # longest first, then no overlaps
        if all(cand[1] <= c[0] or c[1] <= cand[0] for c in chosen):
            chosen.append(cand)
    for start, end, term, rendering in sorted(chosen, key=lambda c: -c[0]):  # from the end: positions hold
        written = text[start:end]
        text = text[:start] + (_match_case(written, rendering) if written[:1].isupper() else rendering) + text[end:]
        if term.gender_of(rendering):
            text, _ = _agree(text, start, term.gender_of(rendering), lang)
    return text


def restore(output: str, protected: Protected) -> tuple[str, list[Issue]]:
    """Post-edit translate terms, then put verbatim text back; report every placeholder the engine lost."""
    output = INSIDE.sub(r"\1 ⟦\2⟧", output)
    output = post_edit(output, protected.found, protected.tgt) if protected.found else output
    issues: list[Issue] = []
    seen: set[int] = set()
    text, last = "", 0
    for match in PLACEHOLDER.finditer(output):
        text += output[last : match.start()]
        last = match.end()
        number = int(match.group(1) or match.group(2))
        if number not in protected.slots:
            issues.append(Issue("placeholder_lost", f"the engine invented placeholder {number}; removed"))
            continue
        seen.add(number)
        if number in protected.genders:
            text, _ = _agree(text, len(text), protected.genders[number], protected.tgt)
        text += protected.slots[number]
    text += output[last:]
    lost = [n for n in protected.slots if n not in seen]
    if lost:
        missing = [protected.slots[n] for n in lost]
        text = text.rstrip() + " (" + "; ".join(missing) + ")"
        for value in missing:
            issues.append(
                Issue(
                    "placeholder_lost",
                    f"the engine dropped {value!r}; it was added at the end for a reviewer to place",
                    term=value,
                )
            )
    return _normal(text), issues


def renderings(term: Term) -> set[str]:
    return {r.casefold() for r in term.forms().values() if r}


def verify(doc: Document, glossary: Glossary) -> Document:
    """Check every glossary term found in each source against its translation; build the run's report.
    Statuses are settled by the QA stage (qa.check), which sees every flag."""
    m = matcher(glossary)
    stats: dict[str, dict] = {}
    hits: dict[tuple, dict] = {}  # one record per distinct hit, shared by its segments (nothing changes one)
    for seg in doc.segments:
        seg.issues = [i for i in seg.issues if i.code != "glossary_miss"]
        seg.glossary = []
        if not seg.translate or not seg.target:
            continue
        target = seg.target.casefold()
        spans = verbatim_spans(seg.source)
        for start, end, term, form in m.find(seg.source):
            if any(hit["term"] == term.source for hit in seg.glossary) or any(
                start < e and s < end for s, e in spans
            ):  # inside an e-mail address or URL
                continue
            expected = term.forms()[form]
            found = (
                any(r in target for r in renderings(term))
                if term.case != "exact" or not term.verbatim
                else expected in seg.target
            )
            key = (id(term), form, found)  # the glossary holds its terms for the whole loop
            if key not in hits:  # a long leaflet has hundreds of thousands of hits, mostly the same few
                hits[key] = {
                    "term": term.source,
                    "source": form,
                    "expected": expected,
                    "found": found,
                    "status": term.status,
                    "kind": term.kind,
                    "note": term.note,
                }
            seg.glossary.append(hits[key])
            entry = stats.setdefault(
                term.source,
                {
                    "term": term.source,
                    "expected": term.target or term.source,
                    "status": term.status,
                    "kind": term.kind,
                    "segments": 0,
                    "used": 0,
                },
            )
            entry["segments"] += 1
            entry["used"] += int(found)
            if not found:
                seg.issues.append(_miss(seg.target, term, form, expected))
    doc.glossary_report = report(list(stats.values()), glossary)
    return doc


def _miss(target: str, term: Term, form: str, expected: str) -> Issue:
    """A miss of an approved term, or of a name or acronym that must stay as written, is an error (it fails
    --strict); of a proposed rendering, a warning: nobody has agreed on it yet. The span is a known wrong
    rendering, or the source term left as is."""
    span: list[int] = []
    for wrong in sorted({*term.wrong, form, term.source}, key=len, reverse=True):
        hit = re.search(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in wrong.split()) + r"(?!\w)", target, re.I)
        if hit:
            span = [hit.start(), hit.end()]
            break
    binding = term.status == "approved" or term.verbatim
    status = "approved" if term.status == "approved" else "kept as written" if term.verbatim else "proposed"
    return Issue(
        "glossary_miss",
        f"{form!r} should be rendered {expected!r} ({status})",
        term=term.source,
        severity="error" if binding else "warning",
        span=span,
    )


def total(reports: list[dict], glossary: Glossary) -> dict:
    """The reports of the parts of a leaflet run in parts as one: each term's uses added up."""
    terms: dict[str, dict] = {}
    for part in reports:
        for term in part.get("terms", []):
            entry = terms.setdefault(term["term"], {**term, "segments": 0, "used": 0})
            entry["segments"] += term["segments"]
            entry["used"] += term["used"]
    return report(list(terms.values()), glossary)


def report(terms: list[dict], glossary: Glossary) -> dict:
    approved = [t for t in terms if t["status"] == "approved"]
    used = sum(t["used"] for t in approved)
    total = sum(t["segments"] for t in approved)
    compliance = round(used / total, 4) if total else 1.0
    proposed_missed = sum(t["segments"] - t["used"] for t in terms if t["status"] != "approved")
    uses_ok, uses = sum(t["used"] for t in terms), sum(t["segments"] for t in terms)
    agreed = f"{used}/{total} of approved terms" if approved else "no term approved yet"
    summary = (
        f"{uses_ok}/{uses} glossary term uses ok ({agreed}); {proposed_missed} proposed-term miss(es)"
        if glossary
        else "no glossary for this language pair"
    )
    return {
        "summary": summary,
        "compliance": compliance,
        "approved_used": used,
        "approved_total": total,
        "uses_ok": uses_ok,
        "uses": uses,
        "proposed_missed": proposed_missed,
        "glossary": glossary.path,
        "version": glossary.version,
        "origin": glossary.origin,
        "terms": sorted(terms, key=lambda t: t["term"].casefold()),
    }
