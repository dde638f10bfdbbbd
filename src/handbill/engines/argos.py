"""Argos Translate, driven fast and offline.

argostranslate (the slim `argos-translate-lt` distribution) finds the installed packages; translation drives
each package's CTranslate2 and SentencePiece models directly with one `translate_batch` over every
sentence of the document. Argos's own `translate()` works paragraph by paragraph and its sentence splitter
may try to download a model, so it is never called.
"""

from __future__ import annotations

import functools
import os
import re
from importlib import metadata
from pathlib import Path

from ..errors import BadConfig, EngineFailure
from .base import Engine, Translation

PIVOT = "en"
MAX_TOKENS = 200  # Argos models silently truncate past 256 tokens: longer sentences go in pieces
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(¿¡]*[A-ZÀ-ÖØ-Þ0-9⟦])")


def split_sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s.strip()] if text.strip() else []


def _device() -> str:
    device = os.environ.get("HANDBILL_DEVICE", "cpu").strip().lower() or "cpu"
    if device not in {"cpu", "cuda", "auto"}:
        raise BadConfig(f"HANDBILL_DEVICE={device!r} is not cpu, cuda or auto")
    return device


@functools.cache
def _translator(model_dir: str, device: str):
    import ctranslate2

    # Measured on 2 cores: one thread per batch and two batches at once beat every other split.
    return ctranslate2.Translator(model_dir, device=device, inter_threads=min(2, os.cpu_count() or 1),
                                  intra_threads=1)


@functools.cache
def _tokenizer(model_file: str):
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_file=model_file)


class ArgosEngine(Engine):
    name = "argos"
    install_hint = ("install an Argos model: handbill models install translate-{src}_{tgt}.argosmodel "
                    "(or, with a network, handbill models install --from {src} --to {tgt})")

    def available(self) -> bool:
        try:
            import argostranslate.package  # noqa: F401
            import ctranslate2  # noqa: F401
        except ImportError:
            return False
        return True

    def version(self) -> str:
        parts = []
        for dist in ("argos-translate-lt", "argostranslate", "ctranslate2"):
            try:
                parts.append(f"{dist} {metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                continue
        return ", ".join(parts)

    def packages(self) -> dict[tuple[str, str], object]:
        """Installed translate packages by (from, to); read fresh, so installs show up at once."""
        if not self.available():
            return {}
        import argostranslate.package

        found = {}
        for pkg in argostranslate.package.get_installed_packages():
            if getattr(pkg, "type", "translate") == "translate":
                found[(pkg.from_code, pkg.to_code)] = pkg
        return found

    def route(self, src: str, tgt: str) -> list:
        packages = self.packages()
        if (src, tgt) in packages:
            return [packages[(src, tgt)]]
        if (src, PIVOT) in packages and (PIVOT, tgt) in packages:
            return [packages[(src, PIVOT)], packages[(PIVOT, tgt)]]
        return []

    def pairs(self) -> set[tuple[str, str]]:
        direct = set(self.packages())
        pivoted = {(s, t) for s, p in direct if p == PIVOT for q, t in direct if q == PIVOT and s != t}
        return direct | pivoted

    def translate(self, texts: list[str], src: str, tgt: str) -> list[Translation]:
        self.check(src, tgt)
        route = self.route(src, tgt)
        names = [f"{Path(p.package_path).name}-{p.package_version}" for p in route]
        model = " -> ".join(names) + (f" (pivot {PIVOT})" if len(route) > 1 else "")
        for package in route:
            texts = self._translate_with(package, texts)
        return [Translation(text, (), model) for text in texts]

    def _translate_with(self, package, texts: list[str]) -> list[str]:
        """Every sentence of every text in one batched call; the sentence -> text mapping is kept exactly."""
        path = Path(package.package_path)
        tokenizer = _tokenizer(str(path / "sentencepiece.model"))
        translator = _translator(str(path / "model"), _device())
        owners: list[int] = []
        batch: list[list[str]] = []
        for index, text in enumerate(texts):
            for sentence in split_sentences(" ".join(text.split())):
                pieces = tokenizer.encode(sentence, out_type=str)
                for start in range(0, len(pieces), MAX_TOKENS):
                    batch.append(pieces[start:start + MAX_TOKENS])
                    owners.append(index)
        try:
            results = translator.translate_batch(batch, max_batch_size=64, beam_size=2, replace_unknowns=True,
                                                 max_decoding_length=MAX_TOKENS + 56) if batch else []
        except (RuntimeError, ValueError) as exc:
            raise EngineFailure(f"Argos model {path.name} failed: {exc}") from None
        out: list[list[str]] = [[] for _ in texts]
        for owner, result in zip(owners, results):
            out[owner].append(tokenizer.decode(result.hypotheses[0]))
        return [" ".join(" ".join(parts).split()) for parts in out]
