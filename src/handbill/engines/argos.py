"""Argos Translate, driven fast and offline.

argostranslate (the slim `argos-translate-lt` distribution) only finds the installed packages; translation
drives each package's CTranslate2 model directly, with one `translate_batch` over every sentence of the
document. Argos's own `translate()` works paragraph by paragraph and its sentence splitter may try to download
a model, so it is never called: sentences are split here, by a regular expression.

Every package format argostranslate reads works, chosen as it chooses: `sentencepiece.model` when the package
has one, else `bpe.model` (Moses tokens split into subword-nmt units with `@@` continuations, through
argostranslate's own BPETokenizer: sacremoses + its apply_bpe). A package whose metadata names a
`target_prefix` (a multilingual model's target-language token) gets it as the forced first output token of
every sentence, and the token is dropped from what comes back.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import os
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import headroom, languages
from ..errors import BadConfig, EngineFailure, MissingDependency
from .base import Engine, Translation

PIVOT = "en"
# Argos models are trained on sentences of at most 256 tokens and silently drop the rest: longer
# sentences go to the model in pieces, cut at word starts, and come back joined.
MAX_TOKENS = 200
MAX_BATCH = 64  # sentences per sub-batch; CTranslate2 sorts by length and spreads sub-batches over threads
BEAM_SIZE = 2
DEVICES = ("cpu", "cuda", "auto")

_END = r"[.!?…]+[\"'”’»)\]]*"
SENTENCE_END = re.compile(
    # a space before capitals, digits or CJK
    r"(?<=[.!?…\"'”’»)\]])\s+(?=[\"'“‘«(¿¡\[]*[A-ZÀ-ÖØ-ÞΑ-ΩА-Я0-9⟦\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af])"
    r"|(?<=[。！？])\s*"  # CJK full stops need no space after them
)
_SENTENCE_TAIL = re.compile(rf"{_END}$")
# Words whose full stop rarely ends a sentence ("Mr. Smith", "Av. Juárez"); a lone initial ("J. Smith") neither.
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sr",
    "sra",
    "srta",
    "jr",
    "no",
    "nos",
    "vs",
    "ave",
    "av",
    "apt",
    "dept",
    "mt",
    "ft",
    "gen",
    "gov",
    "rep",
    "sen",
    "lic",
    "ing",
    "dra",
    "mme",
    "mlle",
}


def split_sentences(text: str) -> list[str]:
    """Sentences of one text: a full stop, question or exclamation mark followed by a capital or digit.

    Deliberately simple and offline; a wrong split only costs the model some context, never text,
    because the pieces of one text are always rejoined in order.
    """
    text = " ".join(text.split())
    if not text:
        return []
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.start() == start:
            continue
        before = text[start : match.start()]
        last_word = before.rsplit(" ", 1)[-1].rstrip(".").lower()
        if before.endswith(".") and (last_word in ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())):
            continue
        if _SENTENCE_TAIL.search(before) or before[-1:] in "。！？":
            pieces.append(text[start : match.start()].strip())
            start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def starts_word(pieces: list[str], i: int) -> bool:
    """SentencePiece: a piece beginning with ▁ starts a word."""
    return pieces[i].startswith("▁")


def chunk_tokens(pieces: list[str], limit: int = MAX_TOKENS, word_start=starts_word) -> list[list[str]]:
    """Cut a too-long token list into runs of at most `limit`, preferably after punctuation,
    otherwise at a word start (`word_start(pieces, i)`), never inside a word if avoidable."""
    chunks: list[list[str]] = []
    while len(pieces) > limit:
        window = pieces[: limit + 1]
        cut = 0
        for i in range(limit, limit // 2, -1):  # after a comma, semicolon, colon or dash
            if word_start(window, i) and window[i - 1].strip("▁") in {",", ";", ":", "—", "–", "-", ")"}:
                cut = i
                break
        if not cut:
            cut = next((i for i in range(limit, 0, -1) if word_start(window, i)), limit)
        chunks.append(pieces[:cut])
        pieces = pieces[cut:]
    if pieces:
        chunks.append(pieces)
    return chunks


def device(chosen: str | None = None) -> str:
    """Where models run: `chosen` (Settings.engine.device, from --device or HANDBILL_DEVICE), else
    HANDBILL_DEVICE for an engine built without settings: cpu (default), cuda or auto; anything else is exit 4."""
    value = chosen if chosen is not None else os.environ.get("HANDBILL_DEVICE", "cpu")
    value = value.strip().lower() or "cpu"
    if value not in DEVICES:
        raise BadConfig(
            f"HANDBILL_DEVICE={value!r} is not one of {', '.join(DEVICES)}",
            "unset HANDBILL_DEVICE to translate on the CPU",
        )
    if value == "cuda":
        import ctranslate2

        if ctranslate2.get_cuda_device_count() == 0:
            raise MissingDependency(
                "device cuda (--device or HANDBILL_DEVICE), but CTranslate2 finds no CUDA device",
                "use --device cpu, or install a CUDA build of ctranslate2 and the NVIDIA driver",
            )
    return value


def inter_threads() -> int:
    # Measured on 2 cores: one thread per batch and two batches at once beat every other split.
    return max(1, min(2, os.cpu_count() or 1))


@functools.cache
def _translator(model_dir: str, on: str, _version: int = 0):
    import ctranslate2

    try:
        return ctranslate2.Translator(model_dir, device=on, inter_threads=inter_threads(), intra_threads=1)
    except (RuntimeError, ValueError, OSError) as exc:
        raise EngineFailure(
            f"cannot load the Argos model in {model_dir}: {exc}",
            "reinstall it: handbill models install FILE.argosmodel",
        ) from None


# The tokenizer files argostranslate looks for, in its order of preference.
TOKENIZER_FILES = {"sentencepiece": "sentencepiece.model", "bpe": "bpe.model"}


def tokenizer_kind(folder: Path | str) -> str:
    """Which tokenizer file the package holds: sentencepiece (preferred, as argostranslate does), bpe, or ""."""
    return next((kind for kind, name in TOKENIZER_FILES.items() if (Path(folder) / name).is_file()), "")


class SentencePieceTokens:
    """A package's sentencepiece.model. Decoding keeps underscores (argostranslate's turns them into spaces)."""

    word_start = staticmethod(starts_word)

    def __init__(self, model_file: Path):
        import sentencepiece

        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, sentence: str) -> list[str]:
        return self.processor.encode(sentence, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self.processor.decode_pieces(tokens)


class BPETokens:
    """A package's bpe.model through argostranslate's own BPETokenizer: Moses normalisation and tokenization
    (sacremoses) in the source language, subword-nmt units joined by `@@`, Moses detokenization in the target."""

    def __init__(self, model_file: Path, src: str, tgt: str):
        headroom.require(headroom.NUMPY, "the Moses tokenizer", "numpy")  # sacremoses loads numpy (OpenBLAS)
        from argostranslate.tokenizer import BPETokenizer

        self.tokenizer = BPETokenizer(model_file, src, tgt)
        said = io.StringIO()
        try:  # loaded now, so a bad bpe.model fails before any work; apply_bpe reports one by exiting
            with contextlib.redirect_stderr(said):
                self.tokenizer.lazy_load()
        except SystemExit:
            raise ValueError(" ".join(said.getvalue().split()) or "invalid BPE codes") from None

    @staticmethod
    def word_start(pieces: list[str], i: int) -> bool:
        return i == 0 or not pieces[i - 1].endswith("@@")

    def encode(self, sentence: str) -> list[str]:
        return self.tokenizer.encode(sentence)

    def decode(self, tokens: list[str]) -> str:
        if tokens and tokens[-1].endswith("@@"):  # a long sentence cut inside a word: no dangling separator
            tokens = [*tokens[:-1], tokens[-1][:-2]]
        return self.tokenizer.decode(tokens)


@functools.cache
def _load_tokenizer(folder: str, kind: str, src: str, tgt: str, _version: int):
    path = Path(folder) / TOKENIZER_FILES[kind]
    try:
        return SentencePieceTokens(path) if kind == "sentencepiece" else BPETokens(path, src, tgt)
    except (RuntimeError, OSError, ValueError, UnicodeDecodeError, IndexError) as exc:
        raise EngineFailure(
            f"cannot load the tokenizer {path}: {exc}", "reinstall the model: handbill models install FILE.argosmodel"
        ) from None


def tokenizer(package):
    """The package's tokenizer, loaded once per file version (a reinstall in place is picked up)."""
    folder = Path(package.package_path)
    kind = tokenizer_kind(folder)
    if not kind:
        raise EngineFailure(
            f"the Argos package {folder.name} has neither sentencepiece.model nor bpe.model",
            "reinstall the model: handbill models install FILE.argosmodel",
        )
    return _load_tokenizer(
        str(folder), kind, package.from_code, package.to_code, modified(folder / TOKENIZER_FILES[kind])
    )


def installed_packages() -> list:
    """argostranslate's list of installed packages (it honours ARGOS_PACKAGES_DIR). It fails outright when any
    folder there lacks a readable metadata.json, so then the folders are read one by one and broken ones skipped."""
    import argostranslate.package
    import argostranslate.settings

    try:
        return argostranslate.package.get_installed_packages()
    except (OSError, ValueError):
        pass
    found = []
    for folder in argostranslate.settings.package_dirs:
        for path in sorted(Path(folder).iterdir()) if Path(folder).is_dir() else []:
            if path.is_dir() and not path.name.startswith("."):
                try:
                    found.append(argostranslate.package.Package(path))
                except (OSError, ValueError):
                    continue
    return found


def model_name(package) -> str:
    """`translate-en_es-1.0`: the pair and the package version, as provenance."""
    version = getattr(package, "package_version", "") or Path(package.package_path).name
    return f"translate-{package.from_code}_{package.to_code}-{version}"


def describe(package) -> dict:
    """Everything a package's metadata and files say, for `handbill models list`: names, versions, tokenizer,
    target prefix, languages and the sentence splitter it embeds (shown, not used: handbill splits itself)."""
    folder = Path(package.package_path)
    splitter = getattr(package, "packaged_sbd_path", None)
    return {
        "package": folder.name,
        "code": getattr(package, "code", None) or f"translate-{package.from_code}_{package.to_code}",
        "version": package.package_version or "",
        "argos_version": getattr(package, "argos_version", "") or "",
        "from_name": package.from_name or "",
        "to_name": package.to_name or "",
        "tokenizer": tokenizer_kind(folder),
        "target_prefix": getattr(package, "target_prefix", "") or "",
        "languages": [lang.get("code", "") for lang in getattr(package, "languages", []) if isinstance(lang, dict)],
        "sentence_splitter": Path(splitter).name if splitter else "",
    }


class ArgosEngine(Engine):
    name = "argos"
    install_hint = (
        "install an Argos model: handbill models install translate-{src}_{tgt}.argosmodel "
        "(or, with a network, handbill models install --from {src} --to {tgt})"
    )

    def __init__(self, beam_size: int = BEAM_SIZE, max_batch: int = MAX_BATCH, device: str | None = None):
        self.beam_size = beam_size
        self.max_batch = max_batch
        self.device = device  # None: HANDBILL_DEVICE, read when the engine is used

    def available(self) -> bool:
        # CTranslate2 and sacremoses are only looked up here, not imported: importing them costs 0.38 s of CPU
        # and 226 MB of address space (sacremoses brings joblib and numpy), for nothing when another engine
        # translates.
        try:
            import argostranslate.package  # noqa: F401
        except (ImportError, OSError):  # OSError: argostranslate makes its folders in HOME (read-only HOME)
            return False
        return all(importlib.util.find_spec(name) is not None for name in ("ctranslate2", "sacremoses"))

    def version(self) -> str:
        parts = []
        for dist in ("argos-translate-lt", "argostranslate", "ctranslate2"):
            try:
                parts.append(f"{dist} {metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                continue
        return ", ".join(parts)

    def packages(self) -> dict[tuple[str, str], Any]:
        """Installed translate packages by (from, to); read fresh, so installs show up at once."""
        if not self.available():
            return {}
        found = {}
        for pkg in installed_packages():
            if getattr(pkg, "type", "translate") == "translate" and pkg.from_code and pkg.to_code:
                found[(pkg.from_code, pkg.to_code)] = pkg
        return found

    def route(self, src: str, tgt: str) -> list:
        """The packages to chain: the direct model, else src->en and en->tgt, else nothing."""
        packages = self.packages()
        if (src, tgt) in packages:
            return [packages[(src, tgt)]]
        if (src, PIVOT) in packages and (PIVOT, tgt) in packages:
            return [packages[(src, PIVOT)], packages[(PIVOT, tgt)]]
        return []

    def direct_pairs(self) -> set[tuple[str, str]]:
        return set(self.packages())

    def pairs(self) -> set[tuple[str, str]]:
        direct = set(self.packages())
        pivoted = {(s, t) for s, p in direct if p == PIVOT for q, t in direct if q == PIVOT and s != t}
        return direct | pivoted

    def check(self, src: str, tgt: str) -> None:
        super().check(src, tgt)
        device(self.device)  # a bad device fails before any work

    def translate(self, texts: list[str], src: str, tgt: str) -> list[Translation]:
        self.check(src, tgt)
        route = self.route(src, tgt)
        model = " -> ".join(model_name(p) for p in route) + (f" (pivot {PIVOT})" if len(route) > 1 else "")
        texts = list(texts)
        for package in route:
            texts = self._translate_with(package, texts)
        return [Translation(text, (), model) for text in texts]

    def _translate_with(self, package, texts: list[str]) -> list[str]:
        """Every sentence of every text in ONE translate_batch call; sentence -> text mapping kept exactly."""
        path = Path(package.package_path)
        tokens = tokenizer(package)
        model = path / "model"
        translator = _translator(str(model), device(self.device), modified(model / "model.bin"))
        owners: list[int] = []
        batch: list[list[str]] = []
        for index, text in enumerate(texts):
            for sentence in split_sentences(text):
                for chunk in chunk_tokens(tokens.encode(sentence), word_start=tokens.word_start):
                    batch.append(chunk)
                    owners.append(index)
        if not batch:
            return ["" for _ in texts]
        prefix = getattr(package, "target_prefix", "") or ""
        # Enough sub-batches to keep every inter-thread busy, none larger than max_batch.
        per_batch = max(1, min(self.max_batch, -(-len(batch) // inter_threads())))
        try:
            results = translator.translate_batch(
                batch,
                target_prefix=[[prefix]] * len(batch) if prefix else None,
                max_batch_size=per_batch,
                beam_size=self.beam_size,
                replace_unknowns=True,
                max_decoding_length=MAX_TOKENS + 56,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineFailure(f"Argos model {path.name} failed: {exc}") from None
        out: list[list[str]] = [[] for _ in texts]
        for owner, result in zip(owners, results, strict=True):
            # CTranslate2 returns the forced prefix as the first token: it is a language tag, never text.
            words = [t for t in result.hypotheses[0] if t != prefix] if prefix else result.hypotheses[0]
            out[owner].append(tokens.decode(words).strip())
        glue = " " if languages.get(package.to_code).spaced else ""  # no spaces in Chinese, Thai …
        return [glue.join(p for p in parts if p) for parts in out]


def modified(path: Path) -> int:
    """A file's modification time, so a model reinstalled in the same folder is loaded afresh."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
