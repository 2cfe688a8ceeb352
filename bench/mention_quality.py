"""Precision and recall of the mention matcher on the hand-labelled measures in tests/fixtures/: the development
set (mentions_gold.toml) and the held-out set (mentions_test.toml).

Usage: python bench/mention_quality.py [-v]   (-v lists every disagreement)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from repo import MANIFEST, ROOT  # noqa: E402

from helsegraf.entities.catalogue import load_catalogue
from helsegraf.entities.evaluation import load_gold, score
from helsegraf.entities.matcher import Matcher
from helsegraf.entities.mentions import find_mentions
from helsegraf.entities.roles import load_roles
from helsegraf.parse import parse_document
from helsegraf.sources import load_manifest


def main() -> None:
    matcher = Matcher(load_catalogue(), load_roles())
    by_item = defaultdict(list)
    for doc in load_manifest(MANIFEST).documents:
        for m in find_mentions(parse_document(doc), matcher):
            if m.item:
                by_item[f"{doc.slug}/{m.item}"].append(m)
    for name in ("mentions_gold", "mentions_test"):
        s = score(load_gold(ROOT / "tests" / "fixtures" / f"{name}.toml"), by_item)
        print(f"{name}: {s.summary()}")
        report(s, "-v" in sys.argv)


def report(s, verbose: bool) -> None:
    if verbose:
        for key, e in s.false_pos:
            print(f"  false positive  {key}  {e}")
        for key, e in s.false_neg:
            print(f"  missed          {key}  {e}")
        for key, e, want, got in s.role_errors:
            print(f"  role            {key}  {e}: want {want}, got {got}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
