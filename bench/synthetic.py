"""A synthetic corpus: documents of every genre the project's text sources hold, with the real ones' structure and
varied text, at any size.

Each synthetic document is a real text source (optionally cut after its first part past `max_lines` lines) with the
words of its items and of its running prose replaced, line for line, by words a Markov chain draws from the texts of
the same parser: the same headings, lead-ins, list markers, line breaks and page headers, so the same parser reads
the same parts, lists and items in it, but the items say different things (a copy of a text would be "the same"
measure as its original to tracing, which inflates that stage: bench/results/scale.txt). Entity names, verbs and
instruments occur about as often as in the real texts, because the words are theirs.

Every document written is parsed again and compared with its model: the same parts, lists and items (kind and key),
or the generator fails naming the document and the first difference. Prose is varied only where that leaves the
structure whole; otherwise only the items are, and if even that changes the structure the generator stops.

The output is a folder with `manifest.toml` and `texts/`, which `helsegraf build --manifest` takes. The same
arguments write the same bytes (the randomness is seeded by the seed, the document and the copy).

Usage: python bench/synthetic.py OUT [--copies K] [--max-lines N] [--seed S] [--only SLUG ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from helsegraf.errors import InputError
from helsegraf.parse import parse_document
from helsegraf.records import ParsedDocument
from helsegraf.sources import SourceDoc, load_manifest, read_source

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "sources" / "manifest.toml"
DRAWS = 5  # random draws of a document's varied text before it is given up on

_PREFIX = re.compile(r"^(\s*(?:[•–\-\u2022*]|\d+[.)])?\s*)")
_TRAILING = re.compile(r"[.,;:!?]+$")
_WORD = re.compile(r"^[^\W\d_][\w\-–’']*[.,;!?]?$")


class SyntheticError(Exception):
    pass


def _words(line: str) -> list[str]:
    return line.split()


def _prose(line: str) -> bool:
    """A line of running text: at least four tokens, most of them words (not a page header, table row or number)."""
    tokens = _words(line)
    return len(tokens) >= 4 and sum(bool(_WORD.match(t)) for t in tokens) * 2 > len(tokens)


class Chain:
    """A first-order Markov chain over the words of some texts, in their order (so it draws deterministically)."""

    def __init__(self) -> None:
        self.follow: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []

    def train(self, lines: list[str]) -> None:
        prev = None
        for line in lines:
            for w in _words(line):
                w = w.rstrip(":")
                if not w or w in "–•-":
                    continue
                if prev is None:
                    self.starts.append(w)
                else:
                    self.follow[prev].append(w)
                prev = w
            if not line.strip():
                prev = None

    def words(self, rng: random.Random, n: int, first_lower: bool) -> list[str]:
        out: list[str] = []
        w = rng.choice(self.starts)
        for tries in range(n * 20 + 20):
            if len(out) == n:
                break
            ok = _WORD.match(w) and not (first_lower and not out and not w[0].islower())
            if ok:
                out.append(w)
            nxt = self.follow.get(w)
            w = rng.choice(nxt) if nxt else rng.choice(self.starts)
        while len(out) < n:  # a chain that keeps landing on numbers: pad with plain words of the texts
            out.append(next(s for s in self.starts if s.isalpha() and s.islower()) if first_lower else "og")
        return out


def _vary_line(line: str, chain: Chain, rng: random.Random, keep_first: bool) -> str:
    """The line with its words drawn anew: its indent and list marker kept, its first word kept where it opens an
    item (the verb of a measure), its trailing punctuation kept, as many words as it had."""
    prefix = _PREFIX.match(line).group(1)
    tokens = _words(line[len(prefix):])
    if not tokens:
        return line
    head = tokens[:1] if keep_first else []
    # a line that ends in a colon introduces what follows ("… ved å:" nests the next items): its last words stay
    tail = tokens[len(head):][-3:] if tokens[-1].endswith(":") else []
    body = chain.words(rng, len(tokens) - len(head) - len(tail), first_lower=not head)
    if body and not tail:
        end = _TRAILING.search(tokens[-1])
        body[-1] = _TRAILING.sub("", body[-1]) or body[-1]
        if end:
            body[-1] += end.group(0)
    return prefix + " ".join(head + body + tail)


def _layout(parsed: ParsedDocument) -> tuple[set[int], set[int], set[int]]:
    """0-based line indexes of the items' lines, of the items' first lines, and of headings and lead-ins."""
    items, firsts, fixed = set(), set(), set()
    for it in parsed.items:
        items.update(range(it.span.start - 1, it.span.end))
        firsts.add(it.span.start - 1)
    for g in parsed.groups:
        fixed.update(range(g.span.start - 1, g.span.end))
    for p in parsed.parts:
        fixed.add(p.span.start - 1)
    return items - fixed, firsts, fixed


def _shape(parsed: ParsedDocument) -> list[tuple]:
    return ([("part", p.kind, p.key, p.parent) for p in parsed.parts] + [("list", g.key, g.part) for g in parsed.groups]
            + [("item", i.kind.value, i.key, i.part, i.group, i.parent) for i in parsed.items])


def vary(lines: list[str], parsed: ParsedDocument, chain: Chain, rng: random.Random, prose: bool) -> list[str]:
    items, firsts, fixed = _layout(parsed)
    out = list(lines)
    for i, line in enumerate(lines):
        if i in items and line.strip() and _prose(line) or i in firsts and line.strip():
            out[i] = _vary_line(line, chain, rng, keep_first=i in firsts)
        elif prose and i not in fixed and _prose(line):
            out[i] = _vary_line(line, chain, rng, keep_first=False)
    return out


def _cut(lines: list[str], parsed: ParsedDocument, max_lines: int | None) -> list[str]:
    """The text up to the end of the first top-level part that reaches past max_lines and past the first measure
    (whole parts only, and never a document without measures)."""
    if max_lines is None or len(lines) <= max_lines:
        return lines
    at = max([max_lines] + [i.span.end for i in parsed.measures[:1]])
    for p in parsed.parts:
        if p.parent is None and p.span.end >= at:
            return lines[:p.span.end]
    return lines


def _entry(block: str, slug: str, new_slug: str, file: str, digest: str, label: str) -> str:
    """The manifest entry of `slug` for its synthetic version: new slug, file, checksum and titles; no landing page
    or origin, which the synthetic text does not have."""
    block = block.replace(f'slug = "{slug}"', f'slug = "{new_slug}"', 1)
    block = re.sub(r'^file = ".*"$', f'file = "{file}"', block, count=1, flags=re.M)
    block = re.sub(r'^sha256 = ".*"$', f'sha256 = "{digest}"', block, count=1, flags=re.M)
    block = re.sub(r'^(title = ".*)"', rf'\1 ({label})"', block, count=1, flags=re.M)
    block = re.sub(r'^(short_title = ".*)"', rf'\1 ({label})"', block, count=1, flags=re.M)
    return re.sub(r'^(landing_page|retrieved_from) = .*\n', "", block, flags=re.M)


def _parse_text(doc: SourceDoc, path: Path) -> ParsedDocument:
    return parse_document(dataclasses.replace(doc, path=path), check_sha256=False)


def _read_shape(doc: SourceDoc, path: Path) -> list[tuple] | str:
    """What the parser reads in the text, or why it could not read it."""
    try:
        return _shape(_parse_text(doc, path))
    except InputError as e:
        return str(e)


def write_corpus(dst: Path, copies: int = 1, max_lines: int | None = None, seed: int = 0,
                 only: list[str] | None = None, manifest: Path = MANIFEST) -> Path:
    """Writes `copies` synthetic versions of each text source of `manifest` (or of those `only` names) into dst;
    returns dst/manifest.toml."""
    real = load_manifest(manifest)
    text = manifest.read_text(encoding="utf-8")
    head, *blocks = text.split("[[document]]")
    block_of = {re.search(r'^slug = "([^"]+)"', b, re.M).group(1): b for b in blocks}
    models = [d for d in real.documents if not d.is_pdf and (only is None or d.slug in only)]
    if only and {d.slug for d in models} != set(only):
        raise SyntheticError(f"not text sources of {manifest}: {sorted(set(only) - {d.slug for d in models})}")
    if not models:
        raise SyntheticError(f"{manifest} names no text source to model documents on")
    texts = {d.slug: read_source(d) for d in real.documents if not d.is_pdf}
    chains: dict[str, Chain] = {}
    for d in real.documents:  # each parser's chain learns from every text of that parser, cut or not
        if not d.is_pdf:
            chains.setdefault(d.parser, Chain()).train(texts[d.slug])
    (dst / "texts").mkdir(parents=True, exist_ok=True)
    entries = []
    for doc in models:
        lines = _cut(texts[doc.slug], _parse_text(doc, doc.path), max_lines)
        model_path = dst / "texts" / f".model-{doc.slug}.txt"
        model_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        model = _parse_text(doc, model_path)
        model_path.unlink()
        for i in range(1, copies + 1):
            new_slug, file = f"{doc.slug}-syntetisk-{i}", f"texts/{doc.slug}-syntetisk-{i}.txt"
            path = dst / file
            for draw, prose in itertools.product(range(DRAWS), (True, False)):
                # the first draw is what the only one was, so a corpus written before is written the same; another
                # draw where neither varied prose nor varied items kept the model's structure (the 19th white paper)
                rng = random.Random(f"{seed}/{doc.slug}/{i}" + (f"/{draw}" if draw else ""))
                path.write_text("\n".join(vary(lines, model, chains[doc.parser], rng, prose)) + "\n", encoding="utf-8")
                got = _read_shape(doc, path)
                if got == _shape(model):
                    break
            else:
                want = _shape(model)
                if isinstance(got, str):
                    raise SyntheticError(f"varying the items of '{doc.slug}' made it unreadable: {got}")
                first = next((a, b) for a, b in zip(got + [None] * len(want), want + [None] * len(got)) if a != b)
                raise SyntheticError(f"{path}: varying the items of '{doc.slug}' changed what its parser reads: "
                                     f"{first[0]} where the model has {first[1]}")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            entries.append(_entry(block_of[doc.slug], doc.slug, new_slug, file, digest, f"syntetisk {i}"))
    out = dst / "manifest.toml"
    note = "# A synthetic corpus written by bench/synthetic.py: real structure, varied text. Not a real document.\n"
    out.write_text(note + head + "".join("[[document]]" + e for e in entries), encoding="utf-8")
    # The curation source the manifest names travels with it, so the corpus builds where it was written.
    for d in real.documents:
        if d.curation_source:
            _copy_beside(manifest.parent, dst, d.curation_source)
    _copy_beside(manifest.parent, dst, real.curation_source)
    return out


def _copy_beside(src_root: Path, dst_root: Path, rel: str) -> None:
    if rel and (src_root / rel).is_file():
        (dst_root / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst_root / rel).write_bytes((src_root / rel).read_bytes())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--copies", type=int, default=1, help="synthetic documents per real text source")
    ap.add_argument("--max-lines", type=int, default=None, help="cut each model after its first part past N lines")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", nargs="+", default=None, help="model on these documents (slugs) only")
    args = ap.parse_args()
    try:
        manifest = write_corpus(args.out, args.copies, args.max_lines, args.seed, args.only)
    except SyntheticError as e:
        sys.exit(f"synthetic: {e}")
    print(manifest)


if __name__ == "__main__":
    main()
