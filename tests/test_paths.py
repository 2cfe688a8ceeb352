"""helsegraf works on a project directory other than its checkout, and runs from an ordinary (non-editable) install
with the ontology, mappings, queries and site templates it ships."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.repo import ROOT

TEXT = """Partiets helseprogram

Helse

Arbeiderpartiet vil:

 • styrke fastlegeordningen
 • bygge flere sykehjemsplasser
"""


def make_project(tmp_path: Path) -> Path:
    import hashlib

    project = tmp_path / "prosjekt"
    (project / "sources" / "texts").mkdir(parents=True)
    text = project / "sources" / "texts" / "program.txt"
    text.write_text(TEXT, encoding="utf-8")
    sha = hashlib.sha256(text.read_bytes()).hexdigest()
    (project / "sources" / "manifest.toml").write_text(f'''
[[document]]
slug = "partiet-helse"
file = "texts/program.txt"
sha256 = "{sha}"
parser = "programme"
commitment_lead = "Arbeiderpartiet vil"
title = "Partiets helseprogram"
short_title = "Partiets helseprogram"
genre = "partiprogram"
issuer = "arbeiderpartiet"
date = "2025"
curated = []
''', encoding="utf-8")
    return project


def helsegraf(*args, cwd, env=None, python=sys.executable):
    return subprocess.run([python, "-m", "helsegraf", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_build_in_the_current_directory_uses_its_manifest_and_writes_its_build(tmp_path):
    project = make_project(tmp_path)
    r = helsegraf("build", "--no-site", cwd=project)
    assert r.returncode == 0, r.stderr
    assert "2 measures and commitments" in r.stdout
    assert (project / "build" / "store").is_dir() and not (ROOT / "prosjekt").exists()
    q = helsegraf("query", "measures", "--format", "csv", cwd=project)
    assert q.returncode == 0, q.stderr
    assert "styrke fastlegeordningen" in q.stdout and "Helsedirektoratet" not in q.stdout


def test_project_option_and_its_own_mappings(tmp_path):
    project = make_project(tmp_path)
    init = helsegraf("init", str(tmp_path / "tom"), "--with-mappings", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "tom" / "mappings" / "actors.toml").is_file()
    # The project's own mappings replace the shipped ones: without the issuer among its actors, the build says so.
    (project / "mappings").mkdir()
    for name in os.listdir(tmp_path / "tom" / "mappings"):
        (project / "mappings" / name).write_bytes((tmp_path / "tom" / "mappings" / name).read_bytes())
    actors = project / "mappings" / "actors.toml"
    actors.write_text(actors.read_text(encoding="utf-8").replace('slug = "arbeiderpartiet"', 'slug = "ap-x"'),
                      encoding="utf-8")
    r = helsegraf("--project", str(project), "build", "--no-site", cwd=tmp_path)
    assert r.returncode != 0 and "'arbeiderpartiet'" in r.stderr and "actors.toml" in r.stderr
    assert not (project / "build").exists()


def test_a_directory_without_a_manifest_is_not_a_project(tmp_path):
    r = helsegraf("--project", str(tmp_path), "build", cwd=tmp_path)
    assert r.returncode != 0 and "no sources/manifest.toml" in r.stderr


def test_init_refuses_to_overwrite(tmp_path):
    assert helsegraf("init", str(tmp_path / "p"), cwd=tmp_path).returncode == 0
    again = helsegraf("init", str(tmp_path / "p"), cwd=tmp_path)
    assert again.returncode != 0 and "already exists" in again.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0 and "No matching distribution" in r.stderr:
        pytest.skip("building the wheel needs setuptools from PyPI, which cannot be reached here")
    assert r.returncode == 0, r.stderr
    [whl] = out.glob("*.whl")
    return whl


def test_installed_package_runs_from_its_own_files(wheel, tmp_path):
    """Unpacked as pip installs it, away from the checkout, the package builds a project with what it ships."""
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("helsegraf/data/ontology/helsegraf.ttl", "helsegraf/data/mappings/actors.toml",
                    "helsegraf/data/queries/measures.rq", "helsegraf/data/site/templates/base.html",
                    "helsegraf/data/site/static/style.css"):
        assert shipped in names
    project = make_project(tmp_path)
    # The unpacked package comes first on the path, so the checkout's (editable) package is not the one imported.
    env = {"PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import helsegraf, helsegraf.paths as p; "
                            "print(helsegraf.__file__); print(p.shipped('ontology'))"],
                           cwd=project, capture_output=True, text=True, env={**os.environ, **env})
    assert str(site) in where.stdout and str(ROOT) not in where.stdout, where.stdout + where.stderr
    r = helsegraf("build", cwd=project, env=env)
    assert r.returncode == 0, r.stderr
    assert (project / "build" / "site" / "index.html").is_file()
    assert (project / "build" / "site" / "static" / "style.css").is_file()
