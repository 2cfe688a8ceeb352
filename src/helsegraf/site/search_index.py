"""The site's full-text search: Pagefind (pagefind[bin] from PyPI, run offline) indexes the rendered pages that
carry data-pagefind-body (documents, measures, entities, ontology terms) into site/pagefind/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import HelsegrafError


def index_site(site: Path) -> None:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--force-language", "nb"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise HelsegrafError(f"pagefind failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[:500]}")
    if not (site / "pagefind" / "pagefind-ui.js").is_file():
        raise HelsegrafError("pagefind wrote no search bundle")
