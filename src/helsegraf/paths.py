"""Where things live: the project helsegraf works on, and the files it ships.

A *project* is a directory with `sources/manifest.toml` (the documents to map) and, optionally, `mappings/` (its own
curated reference data and genre rules, replacing the shipped ones as a whole), `queries/` and
`deploy/deployment.toml` (where its build is published). It is, in order: the
directory given by `--project` (or `HELSEGRAF_PROJECT`), the current directory if it holds `sources/manifest.toml`,
or else the checkout helsegraf runs from. Its build goes to `build/` inside it.

What helsegraf ships (the ontology and shapes, the default mappings, the query library, the site's templates and
static files) is read from the checkout when running from one, and from the installed package (`helsegraf.data`)
otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]

_project: Path | None = None


def shipped(name: str) -> Path:
    """A directory helsegraf ships: ontology, mappings, queries or site."""
    local = _CHECKOUT / name
    if (_CHECKOUT / "pyproject.toml").is_file() and local.is_dir():
        return local
    # Installed from a wheel: the files are plain files under the package (pyproject.toml, [tool.setuptools]).
    return Path(__file__).resolve().parent / "data" / name


def set_project(path: Path | None) -> None:
    global _project
    _project = path.resolve() if path is not None else None


def project_dir() -> Path:
    if _project is not None:
        return _project
    env = os.environ.get("HELSEGRAF_PROJECT")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd()
    if (cwd / "sources" / "manifest.toml").is_file():
        return cwd
    return _CHECKOUT


def manifest_path() -> Path:
    return project_dir() / "sources" / "manifest.toml"


def build_dir() -> Path:
    return project_dir() / "build"


def mappings_dir() -> Path:
    own = project_dir() / "mappings"
    return own if own.is_dir() else shipped("mappings")


def deployment_path() -> Path:
    """The deployment file: the project's deploy/deployment.toml, else the shipped one (a local deployment)."""
    own = project_dir() / "deploy" / "deployment.toml"
    return own if own.is_file() else shipped("deploy") / "deployment.toml"


def queries_dir() -> Path:
    own = project_dir() / "queries"
    return own if own.is_dir() else shipped("queries")


def ontology_dir() -> Path:
    return shipped("ontology")


def site_templates() -> Path:
    return shipped("site") / "templates"


def site_static() -> Path:
    return shipped("site") / "static"


def site_locale() -> Path:
    return shipped("site") / "locale"
