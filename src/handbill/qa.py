"""Quality checks on every translation, after the engine and the glossary: flags a reviewer can trust.

Each flag is an `Issue` on its segment with a stable code, a severity and the exact span in the target:

  untranslated_word  error    a source-language word left in the target ("skipped" in Spanish)
  number_mismatch    error    a number of the source missing or changed in the target
  placeholder_lost   error    an e-mail, URL, handle or phone of the source missing from the target
  glossary_miss      error    an approved term, or a name kept as written, not rendered as agreed (proposed: warning)
  length_ratio       error    target far shorter or longer than human translations of the pair are
  repeated_word      warning  the same word twice in a row ("de de")
  punctuation        warning  unbalanced quotes, brackets, ¡! or ¿? the source does not have

An error flag on machine text marks the segment NEEDS_REVIEW and fails `--strict`. Text a person reviewed
or approved is checked again on every run, because an edit can fix a problem or bring one in:
  - on APPROVED text every flag is a warning: the sign-off settles it;
  - on REVIEWED text a flag the machine text already had (the reviewer saw it and kept the word) is a
    warning; a flag the edit brought in stays an error until the text is fixed or approved.
So a document whose segments are all reviewed or approved, with every flag fixed, kept or signed off,
passes `--strict`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import langtags, languages, orthography, spelling
from .glossary import Glossary, load_glossary, verify
from .glossary.enforce import matcher, renderings
from .model import Document, Issue, Kind, Segment, Status, problem, review_state
from .segment.verbatim import verbatim_spans

SEVERITY = {
    "untranslated_word": "error",
    "number_mismatch": "error",
    "placeholder_lost": "error",
    "glossary_miss": "error",
    "length_ratio": "error",
    "repeated_word": "warning",
    "punctuation": "warning",
}
OWN = {"untranslated_word", "number_mismatch", "length_ratio", "repeated_word", "punctuation", "unknown_word"}
# A word (Catalan l·l inside one: sol·licitud); one glued to digits (501c3) or by another middle dot (French
# inclusive contributeur·trice·s) is no word.
WORD = re.compile(r"(?<![\w\d·])[^\W\d_]+(?:(?:['’]|(?<=[lL])·(?=[lL]))[^\W\d_]+)*(?![\w\d·])")
COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")  # socio-économique: the dictionary may know it whole
# 3,000 / 3.000 / 30 000 / 1,5 / 7:30 compare by their digits, so a translator may write the target's separators.
NUMBER = re.compile(r"\d{1,3}(?:([,.\u00a0\u202f ])\d{3}(?!\d))(?:\1\d{3}(?!\d))*(?:[.,]\d+(?!\d))?|\d+(?:[.,:]\d+)*")
# Characters of the target per character of English (`typical_length` in languages/<code>.py) are medians over
# aligned human translations of the UDHR and the Contributor Covenant (../shared/corpus, units of 40+
# characters): human translations stay within 0.64x to 1.4x of these medians, so a target under half or over
# twice the typical length is a dropped or garbled text.
LENGTH_BAND = (0.5, 2.0)
MIN_LENGTH = 40  # shorter segments (headlines, list items) vary too much to judge by length
PAIRS = [("“", "”"), ("«", "»"), ("(", ")"), ("[", "]")]
SPANISH_MARKS = ("¡¿", "!?")
MAX_PER_KIND = 10  # flags of one kind kept on one segment; one more flag counts the rest


@dataclass
class Context:
    """What the checks of one document share: languages, dictionaries, the leaflet's names, the glossary,
    and each word's dictionary answers (a leaflet repeats its words)."""

    src: str
    tgt: str
    source_dict: spelling.Dictionary | None
    target_dict: spelling.Dictionary | None
    names: AbstractSet[str]
    glossary: Glossary
    known: dict = field(default_factory=dict)
    machine: dict = field(default_factory=dict)

    def machine_flags(self, seg: Segment) -> frozenset[tuple[str, str]]:
        """(code, term) of the flags the machine text had: a reviewer who kept one kept it knowingly."""
        key = (seg.machine, seg.source, tuple(seg.provenance.get("unknown", [])))
        if key not in self.machine:
            self.machine[key] = frozenset((i.code, i.term) for i in flags(seg.machine, seg.source, seg, self))
        return self.machine[key]

    def target_knows(self, word: str) -> bool:
        key = ("t", word)
        if key not in self.known:
            self.known[key] = self.target_dict is not None and self.target_dict.knows(word)
        return self.known[key]

    def written_in(self, lang: str) -> Context:
        """The context for a paragraph written in another language than the leaflet (Document.language_of)."""
        if lang == self.src:
            return self
        return replace(self, src=lang, source_dict=spelling.dictionary(lang), known={}, machine={})

    def source_knows(self, word: str) -> bool:
        """A common word of the source language (not only a name its dictionary lists with a capital)."""
        key = ("s", word)
        if key not in self.known:
            self.known[key] = self.source_dict is not None and self.source_dict.knows_common(word)
        return self.known[key]


_recent: list[Context] = []


def context(doc: Document, glossary: Glossary) -> Context:
    """The checks' context; the same one again while its dictionaries, names and glossary are the same objects,
    so the web page's rechecks keep the dictionary answers (28 µs a word) and the machine text's flags."""
    parts = (
        doc.source_lang,
        doc.target_lang,
        spelling.dictionary(doc.source_lang),
        spelling.dictionary(doc.target_lang),
        _names(tuple(s.source for s in doc.segments if s.kind != Kind.HEADING)),
        glossary,
    )
    for ctx in _recent:
        if all(
            a is b or (isinstance(a, str) and a == b)
            for a, b in zip((ctx.src, ctx.tgt, ctx.source_dict, ctx.target_dict, ctx.names, ctx.glossary), parts)
        ):
            return ctx
    ctx = Context(*parts)
    _recent[:] = [ctx, *_recent[:3]]
    return ctx


@functools.lru_cache(maxsize=4)
def _names(sources: tuple[str, ...]) -> frozenset[str]:
    """orthography.names of a document's sources, kept for the next segment the web page rechecks."""
    return frozenset(orthography.names(sources))


def check(doc: Document, glossary: Glossary, only: set[str] | None = None) -> Document:
    """Flag every translated segment (machine and human text alike; or the segments `only` names) and settle
    each one's status."""
    ctx = context(doc, glossary)
    doc.meta["qa"] = {
        "dictionaries": {
            tag: d.path.name if d else ""
            for tag, d in ((doc.source_lang, ctx.source_dict), (doc.target_lang, ctx.target_dict))
        }
    }
    for seg in doc.segments:
        if not seg.translate or not seg.target or (only is not None and seg.id not in only):
            continue
        seg.issues = [i for i in seg.issues if i.code not in OWN]
        if seg.status.is_human:  # a placeholder lost by the engine was on the machine text, not this one
            seg.issues = [i for i in seg.issues if i.code != "placeholder_lost"]
        for issue in seg.issues:
            if issue.code == "placeholder_lost" and not issue.span and issue.term in seg.target:
                start = seg.target.rfind(issue.term)
                issue.span = [start, start + len(issue.term)]
        reported = {i.term for i in seg.issues if i.code == "placeholder_lost"}
        own = ctx.written_in(doc.language_of(seg))
        seg.issues += [
            i
            for i in flags(seg.target, seg.source, seg, own)
            if not (i.code == "placeholder_lost" and i.term in reported)
        ]
        _human_policy(seg, own)
        seg.issues = bounded(seg.issues)
        settle(seg)
    return doc


def bounded(issues: list[Issue]) -> list[Issue]:
    """At most MAX_PER_KIND flags of one kind on a segment, and one more that counts the rest: a pathological
    paragraph (100,000 characters left in English) would otherwise carry thousands of flags into document.json,
    every review file and the run report, and a reviewer reads the first few anyway."""
    seen: Counter[str] = Counter(i.code for i in issues)
    if all(count <= MAX_PER_KIND for count in seen.values()):
        return issues
    kept: list[Issue] = []
    rest: dict[str, list[Issue]] = {}
    taken: Counter[str] = Counter()
    for issue in issues:
        taken[issue.code] += 1
        if taken[issue.code] <= MAX_PER_KIND:
            kept.append(issue)
        else:
            rest.setdefault(issue.code, []).append(issue)
    for code, more in rest.items():
        terms = list(dict.fromkeys(i.term for i in more if i.term))
        shown = f": {', '.join(terms[:5])}{', …' if len(terms) > 5 else ''}" if terms else ""
        kept.append(
            Issue(
                code,
                f"and {len(more):,} more of this kind in this segment{shown}",
                "",
                "error" if any(i.severity == "error" for i in more) else "warning",
                [],
            )
        )
    return kept


def recheck(doc: Document, ids: list[str]) -> Document:
    """The flags of segments `ids` as their text is now (after a review import), with the glossary the run used;
    the other segments and the run's glossary report are left as they are."""
    if not ids:
        return doc
    glossary = _run_glossary(doc)
    verify(replace(doc, segments=[s for s in doc.segments if s.id in ids]), glossary)
    drafts = {s.id for s in doc.segments if s.id in ids and s.status == Status.NEEDS_REVIEW}
    doc = check(doc, glossary, only=set(ids))
    for seg in doc.segments:  # a reviewer's unfinished text (PO fuzzy) stays theirs to finish, never "machine"
        if seg.id in drafts and seg.status == Status.MACHINE:
            seg.status = Status.NEEDS_REVIEW
    return doc


_glossaries: dict[tuple, tuple[tuple, Glossary]] = {}


def _run_glossary(doc: Document) -> Glossary:
    """The glossary the run used, loaded once while its file is unchanged: the web page rechecks one segment a
    save, and reading the file and building its matcher again took 4 of the save's 12 ms."""
    used = (doc.glossary_report or {}).get("glossary") or ""
    path = Path(used) if used and Path(used).is_file() else None
    if path is None:  # no file of its own: the folders' glossaries, as the run found them
        return load_glossary(None, doc.source_lang, doc.target_lang)
    info = path.stat()
    key, stamp = (str(path), doc.source_lang, doc.target_lang), (info.st_ino, info.st_mtime_ns, info.st_size)
    cached = _glossaries.get(key)
    if cached is None or cached[0] != stamp:
        cached = _glossaries[key] = (stamp, load_glossary(path, doc.source_lang, doc.target_lang))
    return cached[1]


def settle(seg: Segment) -> None:
    """Machine text with an error flag needs review; without one it is a plain machine draft again.
    Text a person reviewed or approved keeps its status: a run never moves it backwards."""
    if seg.status.is_human or seg.status == Status.NEW:
        return
    seg.status = Status.NEEDS_REVIEW if seg.error_flags else Status.MACHINE


def _human_policy(seg: Segment, ctx: Context) -> None:
    if not seg.status.is_human:
        return
    if seg.status == Status.APPROVED:
        seen = None
    else:
        seen = set(ctx.machine_flags(seg)) if seg.machine else set()
        seen |= {("glossary_miss", hit["term"]) for hit in _machine_misses(seg, ctx.glossary)}
    for issue in seg.issues:
        if issue.severity != "error":
            continue
        if seen is None:
            issue.severity, issue.message = "warning", issue.message + " (approved text: the sign-off settles it)"
        elif (issue.code, issue.term) in seen:
            issue.severity, issue.message = "warning", issue.message + " (kept by the reviewer)"


def _machine_misses(seg: Segment, glossary: Glossary) -> list[dict]:
    terms = {t.source: t for t in glossary.terms}
    machine = seg.machine.casefold()
    return [
        hit
        for hit in seg.glossary
        if not hit["found"] and hit["term"] in terms and not any(r in machine for r in renderings(terms[hit["term"]]))
    ]


def flags(target: str, source: str, seg: Segment, ctx: Context) -> list[Issue]:
    """Every flag of QA's own checks on one translation (glossary misses come from glossary.verify)."""
    unknown = set(seg.provenance.get("unknown", []))
    return (
        untranslated(target, source, unknown, ctx)
        + numbers(target, source)
        + contacts(target, source)
        + length(target, source, ctx)
        + repeated(target, source, ctx.tgt)
        + punctuation(target, source, ctx.tgt)
    )


def _issue(code: str, message: str, term: str = "", span: tuple[int, int] | None = None) -> Issue:
    return Issue(code, message, term, SEVERITY[code], list(span) if span else [])


@functools.lru_cache(maxsize=4096)
def _verbatim(text: str) -> tuple[tuple[int, int], ...]:
    """verbatim_spans, asked once per text: several checks need them, for the source and the target."""
    return tuple(verbatim_spans(text))


def protected_spans(text: str, glossary: Glossary) -> list[tuple[int, int]]:
    """E-mails, URLs, handles, phones and glossary keep/name terms: never judged as words."""
    return [*_verbatim(text), *((s, e) for s, e, term, _ in matcher(glossary).find(text) if term.verbatim)]


def untranslated(target: str, source: str, unknown: set[str], ctx: Context) -> list[Issue]:
    """Words of the source language left in the target.

    A word is suspect when the target's dictionary does not know it and it is a common word of the source
    language (its dictionary knows the lower-case form), or a lower-case word the engine marked unknown or
    copied from the source (a chain through Spanish can leave a Spanish word in French: not French either).
    Names (capitals where no sentence starts in the leaflet, or words a dictionary lists only with a capital),
    acronyms, codes with digits and protected spans are never flagged. With no target dictionary only the
    engine's own unknown-word marks count.
    """
    spans = protected_spans(target, ctx.glossary)
    spans += [m.span() for m in COMPOUND.finditer(target) if ctx.target_knows(m.group(0))]
    source_words = set(WORD.findall(source))
    found: list[Issue] = []
    for match in WORD.finditer(target):
        word = match.group(0)
        if len(word) < 2 or word.isupper() or word[1:] != word[1:].lower() or word in ctx.names:
            continue
        if ctx.target_knows(word) or any(s <= match.start() < e for s, e in spans):
            continue
        marked = word in unknown and word.islower()
        english = (word in source_words and word.islower()) or ctx.source_knows(word)
        if marked or (ctx.target_dict is not None and english):
            term, message = _left(word, ctx.src, ctx.tgt, english, word in unknown)
            found.append(_issue("untranslated_word", message, term, match.span()))
    return found


@functools.lru_cache(maxsize=65536)
def _left(word: str, src: str, tgt: str, english: bool, unknown: bool) -> tuple[str, str]:
    """The term and message of an untranslated-word flag, made once per word: a long leaflet left in English
    flags the same words a million times, and its flags then share these two strings."""
    source_name, target_name = langtags.language_name(src), langtags.language_name(tgt)
    why = "the engine did not know it" if unknown else f"not a {target_name} word"
    where = f"left in {source_name}" if english else f"is not {target_name}"
    return word, f"{word!r} {where} ({why})"


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _numbers(text: str) -> list[re.Match]:
    """Numbers outside e-mails, URLs, handles and phones (those are checked whole, by `contacts`)."""
    spans = _verbatim(text)
    return [m for m in NUMBER.finditer(text) if not any(s <= m.start() < e for s, e in spans)]


ROMAN = re.compile(r"(?<![\w\d])(?=[IVXLC]{1,7}\b)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\w\d])")


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for ch, nxt in zip(numeral, numeral[1:] + " "):
        total += -values[ch] if values.get(nxt, 0) > values[ch] else values[ch]
    return total


def numbers(target: str, source: str) -> list[Issue]:
    """Numbers compare by their digits: 3,000 = 3.000 = 3 000; a missing, changed or invented one is flagged."""
    wanted = Counter(_digits(m.group(0)) for m in _numbers(source))
    written: dict[str, str] = {}
    for m in _numbers(source):
        written.setdefault(_digits(m.group(0)), m.group(0))
    extra: list[re.Match] = []
    for m in _numbers(target):
        key = _digits(m.group(0))
        if wanted[key] > 0:
            wanted[key] -= 1
        else:
            extra.append(m)
    for m in ROMAN.finditer(target):  # "Article 1" may be "Artigo I" in a human translation
        key = str(_roman(m.group(0)))
        if wanted[key] > 0:
            wanted[key] -= 1
    missing = [written[k] for k, n in wanted.items() for _ in range(n)]
    found = []
    for number, m in zip(missing, extra):
        found.append(_issue("number_mismatch", f"{number!r} became {m.group(0)!r}", number, m.span()))
    for number in missing[len(extra) :]:
        found.append(_issue("number_mismatch", f"{number!r} of the source is missing", number))
    for m in extra[len(missing) :]:
        found.append(_issue("number_mismatch", f"{m.group(0)!r} is not in the source", m.group(0), m.span()))
    return found


def contacts(target: str, source: str) -> list[Issue]:
    """Every e-mail, URL, handle and phone of the source must be in the target as written."""
    return [
        _issue("placeholder_lost", f"{source[s:e]!r} of the source is missing", source[s:e])
        for s, e in _verbatim(source)
        if source[s:e] not in target
    ]


def length(target: str, source: str, ctx: Context) -> list[Issue]:
    if len(source) < MIN_LENGTH:
        return []
    typical = languages.get(ctx.tgt).typical_length / languages.get(ctx.src).typical_length
    ratio = len(target) / len(source) / typical
    if LENGTH_BAND[0] <= ratio <= LENGTH_BAND[1]:
        return []
    side = "shorter" if ratio < 1 else "longer"
    return [
        _issue(
            "length_ratio",
            f"{ratio:.1f}x the usual length for {ctx.src}->{ctx.tgt}: far {side} than a translation should be",
            "",
            (0, len(target)),
        )
    ]


def repeated(target: str, source: str, tgt: str) -> list[Issue]:
    allowed = languages.get(tgt).repeats_ok  # "nous nous", "had had"
    found = []
    for m in re.finditer(r"(?<!\w)([^\W\d_]+)\s+(\1)(?!\w)", target, re.IGNORECASE):
        word = m.group(1).lower()
        if word in allowed or re.search(rf"(?<!\w){re.escape(word)}\s+{re.escape(word)}(?!\w)", source, re.I):
            continue
        found.append(_issue("repeated_word", f"{m.group(1)!r} twice in a row", m.group(1), m.span(2)))
    return found


def _unbalanced(marks: list[tuple[int, bool]]) -> int | None:
    """Position of the first closing mark without its opener, else of the last opener never closed."""
    stack: list[int] = []
    for at, opening in marks:
        if opening:
            stack.append(at)
        elif not stack:
            return at
        else:
            stack.pop()
    return stack[-1] if stack else None


def _marks(text: str, opens: str, closes: str) -> list[tuple[int, bool]]:
    if opens == '"':  # straight quotes open and close alike
        return [(i, n % 2 == 0) for n, i in enumerate(i for i, ch in enumerate(text) if ch == '"')]
    if opens == SPANISH_MARKS[0]:  # a run (¿¡ … !?, "!!!") opens or closes once
        return [(m.start(), m.group(0)[0] in opens) for m in re.finditer(r"[¡¿]+|[!?]+", text)]
    if opens not in text and closes not in text:
        return []
    return [(m.start(), m.group(0) == opens) for m in re.finditer(re.escape(opens) + "|" + re.escape(closes), text)]


def punctuation(target: str, source: str, tgt: str) -> list[Issue]:
    """Quotes and brackets the target leaves open (or closes twice) where the source does not; Spanish ¡! ¿?."""
    pairs = [*PAIRS, ('"', '"')] + ([SPANISH_MARKS] if languages.get(tgt).opening_marks else [])
    found = []
    for opens, closes in pairs:
        at = _unbalanced(_marks(target, opens, closes))
        if at is None or (opens != SPANISH_MARKS[0] and _unbalanced(_marks(source, opens, closes)) is not None):
            continue
        found.append(_issue("punctuation", f"unbalanced {target[at]!r}", target[at], (at, at + 1)))
    return found


# ---- the run's report -------------------------------------------------------------------------------------

KIND_WORDS = {
    "untranslated_word": ("untranslated word", "untranslated words"),
    "number_mismatch": ("number mismatch", "number mismatches"),
    "placeholder_lost": ("lost e-mail/URL/term", "lost e-mails/URLs/terms"),
    "glossary_miss": ("glossary miss", "glossary misses"),
    "length_ratio": ("length warning", "length warnings"),
    "repeated_word": ("repeated word", "repeated words"),
    "punctuation": ("punctuation problem", "punctuation problems"),
}


def report(doc: Document, flags: bool = True) -> dict:
    """Every flag with its segment (left out with flags=False: the summary needs only the counts, and a long
    leaflet has a million flags), counts per kind, and one truthful summary line per kind."""
    return Tally(None if flags else 0).add(doc).report()


LISTED = 1_000  # flags (and problem lines) a leaflet run in parts lists in --json; the rest are counted


class Tally:
    """report()'s figures added up segment by segment, over one document or the parts of a leaflet run in parts
    (api), with the flags and --strict's problem lines listed up to `listed` (None: all) and counted beyond."""

    def __init__(self, listed: int | None = None):
        self.listed = listed
        self.flags: list[dict] = []
        self.problems: list[str] = []
        self.omitted = 0  # flags past `listed`
        self.per_kind: dict[str, dict] = {}
        self.segments = self.translated = self.flagged = self.human = self.errors = 0
        self.target_lang: str = ""
        self.dictionaries: dict[str, str] = {}  # of the last document added

    def _room(self) -> bool:
        return self.listed is None or len(self.flags) < self.listed

    def add(self, doc: Document) -> Tally:
        self.segments += len(doc.segments)
        self.target_lang = doc.target_lang
        self.dictionaries = doc.meta.get("qa", {}).get("dictionaries", {})
        for seg in doc.segments:
            codes = set()
            for issue in seg.issues:
                if self._room():
                    self.flags.append(
                        {
                            "segment": seg.id,
                            "code": issue.code,
                            "severity": issue.severity,
                            "message": issue.message,
                            "term": issue.term,
                            "span": issue.span,
                            "text": seg.target[issue.span[0] : issue.span[1]] if issue.span else "",
                        }
                    )
                    if issue.severity == "error":
                        self.problems.append(problem(seg, issue))
                else:
                    self.omitted += 1
                kind = self.per_kind.setdefault(issue.code, {"flags": 0, "errors": 0, "segments": 0, "terms": {}})
                kind["flags"] += 1
                kind["errors"] += issue.severity == "error"
                self.errors += issue.severity == "error"
                kind["segments"] += issue.code not in codes
                codes.add(issue.code)
                if issue.term:
                    kind["terms"][issue.term] = None  # a dict keeps first-seen order and finds a term at once
        review = doc.review_counts()  # what "translated", "reviewed" and "flagged" mean, said once (model)
        self.translated += review["translated"]
        self.human += review["human"]
        self.flagged += review["flagged"]
        return self

    def report(self) -> dict:
        counts = {code: {**k, "terms": list(k["terms"])} for code, k in self.per_kind.items()}
        lines = []
        for code, k in counts.items():
            if code == "glossary_miss":
                continue  # the glossary's own line says it with the totals
            one, many = KIND_WORDS.get(code, (code, code))
            noun = one if k["flags"] == 1 else many
            where = f"in {k['segments']} segment{'s' if k['segments'] != 1 else ''}"
            errors = k["errors"]
            level = "" if errors == k["flags"] else (" (warnings)" if not errors else f" ({errors} errors)")
            example = f": {', '.join(k['terms'][:10])}{', …' if len(k['terms']) > 10 else ''}" if k["terms"] else ""
            lines.append(f"{k['flags']} {noun} {where}{level}{example}")
        clean = [many for code, (_, many) in KIND_WORDS.items() if code not in counts and code != "glossary_miss"]
        if clean:
            lines.append("none found: " + ", ".join(clean))
        target = self.target_lang
        if self.dictionaries.get(target) == "":
            found = spelling.find(target)
            fix = (
                f"{found} could not be loaded: reinstall handbill's dependencies (chunspell)"
                if found
                else spelling.install_hint(target)
            )
            lines.append(
                f"no {langtags.language_name(target)} spelling dictionary: untranslated words are found "
                f"from the engine's own marks only (to check every word: {fix})"
            )
        lines.append(
            f"{self.flagged} of {self.translated} translated segments have an error flag"
            + (" and need review" if self.flagged else "")
            + f"; {self.human} reviewed or approved"
        )
        review = {"translated": self.translated, "human": self.human, "flagged": self.flagged}
        result: dict = {
            "summary": lines,
            "counts": counts,
            "flags": self.flags,
            "segments_flagged": self.flagged,
            "segments_translated": self.translated,
            "share_flagged": round(self.flagged / self.translated, 4) if self.translated else 0.0,
            "review_state": review_state(review),
        }
        if self.omitted and self.listed:
            result["flags_omitted"] = self.omitted  # listed up to `listed`: a leaflet run in parts
        return result
