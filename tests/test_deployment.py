"""The deployment file: where a build is published and who answers for it; bad values name the file and line."""

import os
import subprocess
import sys

import pytest

from helsegraf.deployment import load_deployment
from helsegraf.errors import InputError
from helsegraf.paths import deployment_path


def test_the_shipped_deployment_is_a_local_one_that_says_it_cannot_be_published():
    d = load_deployment(deployment_path())
    assert d.base_iri == "https://w3id.org/helsegraf/"
    assert d.public_problems() == ["endpoint_url = http://127.0.0.1:7878/query is a loopback address",
                                   "site_url = http://127.0.0.1:8000/ is a loopback address",
                                   "[contact] has neither email nor url"]
    public = d.with_overrides(endpoint_url="https://h.example/sparql", site_url="https://h.example/")
    assert public.loopback() == [] and public.contact_url == "https://h.example/"


@pytest.mark.parametrize("change, message, line", [
    (('site_url = "http://127.0.0.1:8000/"', 'site_url = "http://127.0.0.1:8000"'), "site_url must end with '/'", None),
    (('endpoint_url = "http://127.0.0.1:7878/query"', 'endpoint_url = "ftp://x/query"'), "absolute http(s) URL", None),
    (('[contact]', '[contact]\nphone = "123"'), "unknown key [contact] 'phone'", True),
    (('name = "helsegraf"', 'name = "helsegraf'), "not valid TOML", True),
    (('# orgnr = ""', 'orgnr = "12345"'), "orgnr must be nine digits", None),
])
def test_a_bad_deployment_file_says_what_and_where(tmp_path, change, message, line):
    path = tmp_path / "deployment.toml"
    path.write_text(deployment_path().read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")) as e:
        load_deployment(path)
    assert e.value.path == path and (e.value.line is not None) == bool(line)


def test_options_override_the_environment_which_overrides_the_file(tmp_path, one_manifest):
    env = {"HELSEGRAF_SITE_URL": "https://env.example/", "HELSEGRAF_ENDPOINT": "https://env.example/sparql"}
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "--out", str(tmp_path / "b"), "--no-site",
                           "--quiet", "--manifest", str(one_manifest), "--endpoint-url", "https://opt.example/q"],
                          capture_output=True, text=True, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    nq = (tmp_path / "b" / "helsegraf.nq").read_text(encoding="utf-8")
    assert "<https://opt.example/q>" in nq and "https://env.example/sparql" not in nq
    assert "<https://env.example/dumps/helsegraf.nq.gz>" in nq


def test_an_address_that_cannot_stand_in_an_iri_is_refused_where_it_is_written(tmp_path):
    path = tmp_path / "deployment.toml"
    path.write_text(deployment_path().read_text(encoding="utf-8").replace(
        'site_url = "http://127.0.0.1:8000/"', 'site_url = "http://127.0.0.1:8000/a b/"'), encoding="utf-8")
    with pytest.raises(InputError, match="absolute http"):
        load_deployment(path)
    path.write_text(deployment_path().read_text(encoding="utf-8").replace(
        'base_iri = "https://w3id.org/helsegraf/"', 'base_iri = { iri = "https://w3id.org/helsegraf/" }'),
        encoding="utf-8")
    with pytest.raises(InputError, match="base_iri must be a string") as e:  # regression: a TypeError, uncaught
        load_deployment(path)
    assert e.value.line is not None
