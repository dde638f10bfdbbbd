"""Tiny, valid Argos packages of every kind argostranslate reads, built at test time in well under a second.

    python -m tests.tiny_argos OUT.argosmodel --from en --to es [--kind sentencepiece|bpe] [--prefix __es__]

Each package holds a real CTranslate2 Transformer (one layer each side, hand-set weights) that COPIES its
input tokens, so a test can check the whole path around the network (tokenizer, batching, order, prefix,
placeholders) by comparing output with input:
- `sentencepiece`: `sentencepiece.model` (a SentencePiece model trained here), as most Argos packages;
- `bpe`: `bpe.model` in subword-nmt format (merges learnt here) and a vocabulary of Moses tokens split into
  BPE units with `@@` continuations, as the packages argostranslate tokenizes with sacremoses + apply_bpe;
- any kind with `prefix`: a multilingual-style package whose metadata names a `target_prefix` token; its
  decoder copies source token t-1 at step t, so the copy is exact only when the prefix token fills step 0
  (a caller that forgets the prefix loses or doubles the first word, one that keeps it shows the token).

How the copy works: every token has a balanced ±1 code; the encoder adds sinusoidal position codes and
does nothing else (its layer's weights are zero); the decoder's only working part is cross-attention,
whose query and key read the position codes (step t looks at source position t, or t-1) and whose value
carries the token code; the output projection scores every vocabulary code against it. The source gets
`</s>` appended (`add_source_eos`), so copying it ends the output; unknown tokens come back through
CTranslate2's `replace_unknowns`. Needs only numpy, sentencepiece, ctranslate2 and argostranslate.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np

SPECIALS = ["<blank>", "<unk>", "</s>", "<s>"]  # CTranslate2's vocabulary starts with these
NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "ca": "Catalan", "pt": "Portuguese"}

# A small corpus written for these fixtures: the tokenizers learn their pieces from it.
CORPUS = """\
The tenants union meets on Thursday at seven in the community room.
Bring your lease, your rent receipts and any letter from the landlord.
We will organize together and we will not be moved.
Childcare, food and interpretation will be provided for everyone.
If immigration agents come to the building, do not open the door.
Call the rapid response line and write down what you see.
Workers, students and neighbors marched downtown on Saturday morning!
Is the heat broken again? Report it, and keep a copy of every complaint.
Our demands: fair rent, safe homes, repairs done on time.
La asamblea de inquilinos se reúne el jueves a las siete.
Traiga su contrato y los recibos del alquiler.
No abra la puerta si vienen agentes de inmigración.
0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz , . ; : ! ? ' " ( ) - / @ & % $ #
"""


def _lines() -> list[str]:
    return [line for line in CORPUS.splitlines() if line.strip()]


def sentencepiece_vocabulary(folder: Path, size: int = 300) -> list[str]:
    """Train a SentencePiece model into folder/sentencepiece.model; its pieces are the model's vocabulary."""
    import sentencepiece

    model = io.BytesIO()  # written from memory, so no temporary path ends up inside the model
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(_lines() * 10),
        model_writer=model,
        vocab_size=size,
        model_type="bpe",
        character_coverage=1.0,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    (folder / "sentencepiece.model").write_bytes(model.getvalue())
    processor = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def learn_merges(words: collections.Counter, count: int) -> list[tuple[str, str]]:
    """The `count` most frequent adjacent pairs, merged one after another (subword-nmt's learning, version 0.2:
    a word's last symbol carries `</w>`); ties go to the smallest pair, so builds are reproducible."""
    split = {tuple(w[:-1]) + (w[-1] + "</w>",): n for w, n in words.items() if w}
    merges: list[tuple[str, str]] = []
    for _ in range(count):
        pairs: collections.Counter = collections.Counter()
        for symbols, n in split.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += n
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        joined = {}
        for symbols, n in split.items():
            out, i = [], 0
            while i < len(symbols):
                if symbols[i : i + 2] == best:
                    out.append(best[0] + best[1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            joined[tuple(out)] = n
        split = joined
    return merges


def bpe_vocabulary(folder: Path, src: str, merges: int = 250) -> list[str]:
    """Learn BPE merges on the Moses-tokenized corpus into folder/bpe.model (subword-nmt format) and return
    every unit argostranslate's apply_bpe makes of it, plus each character alone and with `@@`."""
    from argostranslate.apply_bpe import BPE
    from sacremoses import MosesPunctNormalizer, MosesTokenizer

    tokenizer, normalizer = MosesTokenizer(src), MosesPunctNormalizer(src)
    sentences = [tokenizer.tokenize(normalizer.normalize(line)) for line in _lines()]
    words = collections.Counter(word for sentence in sentences for word in sentence)
    codes = "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in learn_merges(words, merges))
    (folder / "bpe.model").write_text(codes, encoding="utf-8")
    bpe = BPE(io.StringIO(codes))
    units = {unit for sentence in sentences for unit in bpe.segment_tokens(sentence)}
    units |= {c + tail for c in set("".join(words)) for tail in ("", "@@")}
    return sorted(units)


def copy_model(
    tokens: list[str],
    folder: Path,
    shift: int = 0,
    code_size: int = 128,
    freqs: int = 8,
    max_len: int = 512,
    sharpness: float = 20.0,
    logit: float = 40.0,
) -> None:
    """Save into `folder` a CTranslate2 Transformer whose decoder step t copies source token t - shift."""
    import ctranslate2

    vocab = SPECIALS + [t for t in dict.fromkeys(tokens) if t not in SPECIALS]
    size, m, p = len(vocab), code_size, 4 * freqs
    depth = m + p
    rng = np.random.default_rng(7)
    codes = np.array([rng.permutation([1.0] * (m // 2) + [-1.0] * (m // 2)) for _ in range(size)], np.float32)
    overlap = codes @ codes.T - np.eye(size, dtype=np.float32) * m
    assert overlap.max() < 0.6 * m, "token codes too alike to copy reliably"

    def positions(offset: int) -> np.ndarray:
        """[cos, sin, -cos, -sin] of each position (zero mean, so LayerNorm only rescales)."""
        angle = (np.arange(max_len)[:, None] - offset) * (2 * np.pi / np.geomspace(3.0, 4 * max_len, freqs))
        table = np.zeros((max_len, depth), np.float32)
        table[:, m:] = np.concatenate([np.cos(angle), np.sin(angle), -np.cos(angle), -np.sin(angle)], axis=1)
        return table

    zeros = lambda *shape: np.zeros(shape, np.float32)  # noqa: E731
    # LayerNorm divides a zero-mean vector by its root mean square: these undo that exactly.
    rms_encoder = np.sqrt((m + 2 * freqs) / depth)  # token code + position
    rms_decoder = np.sqrt(2 * freqs / depth)  # position only (the decoder's embeddings are zero)

    spec = ctranslate2.specs.TransformerSpec.from_config((1, 1), 1)
    encoder, decoder = spec.encoder, spec.decoder
    for part in (encoder, decoder):
        part.scale_embeddings = False
        for norm in (part.layer_norm, part.layer[0].self_attention.layer_norm, part.layer[0].ffn.layer_norm):
            norm.gamma, norm.beta = np.ones(depth, np.float32), zeros(depth)
        attention, ffn = part.layer[0].self_attention, part.layer[0].ffn
        attention.linear[0].weight, attention.linear[0].bias = zeros(3 * depth, depth), zeros(3 * depth)
        attention.linear[1].weight, attention.linear[1].bias = zeros(depth, depth), zeros(depth)
        ffn.linear_0.weight, ffn.linear_0.bias = zeros(4, depth), zeros(4)
        ffn.linear_1.weight, ffn.linear_1.bias = zeros(depth, 4), zeros(depth)
    embeddings = zeros(size, depth)
    embeddings[:, :m] = codes
    encoder.embeddings[0].weight = embeddings
    encoder.position_encodings.encodings = positions(0)
    decoder.embeddings.weight = zeros(size, depth)
    decoder.position_encodings.encodings = positions(shift)

    cross = decoder.layer[0].attention
    cross.layer_norm.gamma, cross.layer_norm.beta = np.ones(depth, np.float32), zeros(depth)
    query, key, value, out = (zeros(depth, depth) for _ in range(4))
    query[m:, m:] = np.eye(p) * sharpness * np.sqrt(depth) * rms_decoder * rms_encoder / 2  # score: sharpness * Σcos
    key[m:, m:] = np.eye(p)
    value[:m, :m] = np.eye(m)
    out[:m, :m] = np.eye(m) * rms_encoder  # the attended token's code, back at full size
    cross.linear[0].weight, cross.linear[0].bias = query, zeros(depth)
    cross.linear[1].weight, cross.linear[1].bias = np.concatenate([key, value]), zeros(2 * depth)
    cross.linear[2].weight, cross.linear[2].bias = out, zeros(depth)
    projection = zeros(size, depth)
    projection[:, :m] = codes * (logit * np.sqrt((m + 2 * freqs) / depth) / m)  # the copied token scores `logit`
    decoder.projection.weight, decoder.projection.bias = projection, zeros(size)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_eos = True
    spec.validate()
    spec.optimize(quantization=None)
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))


def build_package(
    out: Path | str,
    src: str = "en",
    tgt: str = "es",
    kind: str = "sentencepiece",
    prefix: str = "",
    version: str = "0.0.1",
    splitter: bool = True,
) -> Path:
    """Write translate-<src>_<tgt>.argosmodel-style package `out`: one top folder with metadata.json, model/,
    the tokenizer file of `kind`, and (with `splitter`) a minisbd/ folder as Argos packages embed — its file
    only marks the splitter's presence: handbill splits sentences itself and never loads it."""
    out = Path(out)
    top = f"translate-{src}_{tgt}-{kind}{'-multi' if prefix else ''}"
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / top
        root.mkdir()
        if kind == "sentencepiece":
            tokens = sentencepiece_vocabulary(root)
        elif kind == "bpe":
            tokens = bpe_vocabulary(root, src)
        else:
            raise ValueError(f"unknown tokenizer kind {kind!r}")
        copy_model(tokens + ([prefix] if prefix else []), root / "model", shift=1 if prefix else 0)
        meta = {
            "package_version": version,
            "argos_version": "1.9.0",
            "from_code": src,
            "from_name": NAMES.get(src, src),
            "to_code": tgt,
            "to_name": NAMES.get(tgt, tgt),
            "type": "translate",
            "links": [],
        }
        if prefix:
            meta["target_prefix"] = prefix
            meta["languages"] = [{"code": code, "name": NAMES.get(code, code)} for code in (src, tgt)]
        (root / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (root / "README.md").write_text(f"Tiny {kind} test package: it copies its input.\n", encoding="utf-8")
        if splitter:
            (root / "minisbd").mkdir()
            (root / "minisbd" / f"{src}.onnx").write_bytes(b"marks an embedded splitter; never loaded")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(scratch)), date_time=(2020, 1, 1, 0, 0, 0))
                    archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--from", dest="src", default="en")
    parser.add_argument("--to", dest="tgt", default="es")
    parser.add_argument("--kind", default="sentencepiece", choices=["sentencepiece", "bpe"])
    parser.add_argument("--prefix", default="", help="a target_prefix token, e.g. __es__")
    args = parser.parse_args()
    print(build_package(args.out, args.src, args.tgt, args.kind, args.prefix))
