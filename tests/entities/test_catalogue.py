"""The curated catalogue: complete for what the documents name, and bad rows fail with file and line."""

import re
import shutil

import pytest
from rdflib import URIRef

from helsegraf.entities.catalogue import load_catalogue
from helsegraf.entities.matcher import Matcher
from helsegraf.entities.roles import load_roles
from helsegraf.errors import InputError
from tests.repo import MAPPINGS
from helsegraf.text import join_lines


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def corpus(parsed):
    """Every document's text as its parser read it (a PDF's text from its layout)."""
    return "\n".join(join_lines(p.lines) for p in parsed.values())


def resolves(catalogue, text: str) -> set[str]:
    return {f.entity.id for f in Matcher(catalogue, load_roles()).find(text)}


def test_every_kind_is_there(catalogue):
    assert len(catalogue.of_kind("actor")) >= 80
    assert len(catalogue.of_kind("law")) >= 20
    assert len(catalogue.of_kind("report")) >= 30
    assert len(catalogue.of_kind("patient_group")) >= 20


def test_every_nou_meld_st_and_prop_cited_is_catalogued(catalogue, corpus):
    cited = set(re.findall(r"NOU \d{4}: ?\d+|Meld\. St\. \d+ \(\d{4}–\s?\d{4}\)|Prop\. \d+ [LS] \(\d{4}–\s?\d{4}\)", corpus))
    cited.discard("Meld. St. 9 (2023–2024)")  # the white paper itself
    for c in sorted(cited):
        assert resolves(catalogue, c), f"{c} is cited but not in mappings/reports.toml"


def test_every_law_named_is_catalogued(catalogue, corpus):
    names = set(re.findall(r"\b[\wæøå-]+lov(?:en|ens|a)\b|LOV-\d{4}-\d{2}-\d{2}-\d+", corpus))
    generic = {"loven", "lovens", "lova"}
    for name in sorted(names - generic):
        assert any(e.startswith("law:") for e in resolves(catalogue, name)), f"{name} is not in mappings/laws.toml"


def test_every_directorate_ministry_and_committee_is_catalogued(catalogue, corpus):
    names = set(re.findall(r"\b[A-ZÆØÅ][\wæøå]*(?:- og [\wæøå]+)?(?:direktoratet|departementet|utvalget|kommisjonen)\b", corpus))
    generic = {"Sektordepartementene", "Ekspertutvalget", "Samarbeidsutvalget"}  # not the name of one body
    for name in sorted(names - generic):
        assert any(e.startswith("actor:") for e in resolves(catalogue, name)), f"{name} is not in mappings/actors.toml"


def test_health_regions_and_their_group(catalogue):
    regions = [e for e in catalogue.of_kind("actor") if e.type == "HealthRegion"]
    assert sorted(e.slug for e in regions) == ["helse-midt-norge", "helse-nord", "helse-sor-ost", "helse-vest"]
    assert {e.broader for e in regions} == {"de-regionale-helseforetakene"}


def test_lovdata_identifiers_given_in_the_text(catalogue):
    assert catalogue.get("law", "spesialisthelsetjenesteloven").extra["lovdata"] == "LOV-1999-07-02-61"
    assert catalogue.get("law", "helse-og-omsorgstjenesteloven").extra["lovdata"] == "LOV-2011-06-24-30"


def test_prioritised_patient_groups(catalogue):
    narrower = sorted(e.slug for e in catalogue.of_kind("patient_group") if e.broader == "prioriterte-pasientgrupper")
    assert narrower == ["barn-og-unge", "eldre-med-skropelighet", "kvinner-i-svangerskap-fodsel-og-barseltid",
                        "personer-med-alvorlige-psykiske-lidelser-og-rusproblemer", "personer-med-flere-kroniske-tilstander"]


@pytest.fixture
def mappings_copy(tmp_path):
    dst = tmp_path / "mappings"
    shutil.copytree(MAPPINGS, dst)
    return dst


def _break(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        ("actors.toml", 'slug = "helse-vest"', 'slug = "helse-nord"', "duplicate slug 'helse-nord'"),
        ("actors.toml", 'type = "Directorate"', 'type = "Department"', "unknown actor type 'Department'"),
        ("laws.toml", 'lovdata = "LOV-1999-07-02-64"', 'lovdata = "LOV-1999-7-2-64"', "malformed Lovdata identifier"),
        ("laws.toml", 'lovdata = "LOV-1999-07-02-64"', 'lovdata = "LOV-1999-13-02-64"', "no valid date"),
        ("patient_groups.toml", 'broader = "eldre"', 'broader = "oldinger"', "broader 'oldinger'"),
        ("actors.toml", 'part_of = "helse-vest"', 'part_of = "helse-vestlandet"', "part_of 'helse-vestlandet'"),
        ("reports.toml", 'committee = "sykehusutvalget"', 'committee = "sykehusutvalg"', "committee 'sykehusutvalg'"),
        ("reports.toml", 'kind = "prop"', 'kind = "lov"', "unknown report kind"),
        ("roles.toml", 'name = "lead"', 'name = "boss"', "unknown role 'boss'"),
        ("actors.toml", 'orgnr = "983544622"', 'orgnr = "983544623"', "not an organisation number"),
        ("actors.toml", 'orgnr_source = "https://www.helsedirektoratet.no/english/contact-us"\n', "", "needs orgnr_source"),
        ("actors.toml", 'owner = "helse-og-omsorgsdepartementet"', 'owner = "hod"', "owner 'hod'"),
        ("laws.toml", 'repealed = "2021-01-01"', 'repealed = "1. januar 2021"', "must be a date"),
        ("patient_groups.toml", 'also_broader = ["eldre"]', 'also_broader = ["gamle"]', "also_broader 'gamle'"),
        ("laws.toml", 'replaced_by = "integreringsloven"', 'replaced_by = "integrasjonsloven"', "replaced_by 'integrasjonsloven'"),
        ("laws.toml", 'pref_en = "Health Personnel Act"', 'pref_en = 5', "non-empty string 'pref_en'"),
    ],
)
def test_bad_rows_fail_with_file_and_line(mappings_copy, file, old, new, message):
    path = mappings_copy / file
    _break(path, old, new)
    with pytest.raises(InputError, match=re.escape(message)) as e:
        load_catalogue(mappings_copy)
        load_roles(mappings_copy / "roles.toml")
    assert e.value.path == path
    header = path.read_text(encoding="utf-8").splitlines()[e.value.line - 1]
    assert header.startswith("[["), header


def test_a_cycle_in_broader_fails(mappings_copy):
    _break(mappings_copy / "patient_groups.toml", 'slug = "prioriterte-pasientgrupper"\n',
           'slug = "prioriterte-pasientgrupper"\nbroader = "barn-og-unge"\n')
    with pytest.raises(InputError, match="its own ancestor"):
        load_catalogue(mappings_copy)


def test_build_fails_on_a_bad_mapping(mappings_copy, tmp_path):
    from helsegraf.graph import assemble
    from tests.repo import MANIFEST
    from helsegraf.rdf.iris import Iris
    from helsegraf.sources import load_manifest

    _break(mappings_copy / "actors.toml", 'slug = "ks"', 'slug = "KS"')
    manifest = load_manifest(MANIFEST)
    with pytest.raises(InputError, match="lower-case ASCII"):
        assemble(manifest, Iris("https://w3id.org/helsegraf/"), mappings=mappings_copy)


def test_identifiers_carry_the_source_they_were_confirmed_in(catalogue):
    from rdflib.namespace import DCTERMS, RDFS, SKOS

    from helsegraf.rdf.entities import catalogue_graph
    from helsegraf.rdf.iris import Iris
    from helsegraf.rdf.namespaces import ADMS, SCHEMA

    base = "https://w3id.org/helsegraf/id/aktor/"
    g = catalogue_graph(catalogue, Iris("https://w3id.org/helsegraf/"))
    with_orgnr = {str(s) for s in g.subjects(ADMS.identifier, None)}
    assert {base + s for s in ("helse-og-omsorgsdepartementet", "helsedirektoratet", "folkehelseinstituttet", "ks",
                               "helse-sor-ost")} <= with_orgnr
    for actor in with_orgnr:
        ident = g.value(URIRef(actor), ADMS.identifier)
        orgnr = str(g.value(ident, SKOS.notation))
        assert str(g.value(ident, DCTERMS.source)).startswith("https://")
        assert URIRef(f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}") in set(g.objects(URIRef(actor), RDFS.seeAlso))
    # the four regional health authorities are owned by the ministry, and the graph says where that was confirmed
    hod = URIRef(base + "helse-og-omsorgsdepartementet")
    regions = {str(s) for s in g.subjects(SCHEMA.parentOrganization, hod)}
    assert regions == {base + s for s in ("helse-sor-ost", "helse-vest", "helse-midt-norge", "helse-nord")}
    assert all(g.value(URIRef(r), DCTERMS.source) is not None for r in regions)


def test_laws_point_to_lovdata_and_repealed_laws_say_so(catalogue):
    """Regression: laws were owl:sameAs their ELI (identity with a web page); introduksjonsloven was not marked
    repealed though integreringsloven replaced it on 1 January 2021."""
    from rdflib.namespace import DCTERMS, OWL, RDFS

    from helsegraf.rdf.entities import catalogue_graph
    from helsegraf.rdf.iris import Iris
    from helsegraf.rdf.namespaces import ELI, SCHEMA

    g = catalogue_graph(catalogue, Iris("https://w3id.org/helsegraf/"))
    assert list(g.triples((None, OWL.sameAs, None))) == []
    law = URIRef("https://w3id.org/helsegraf/id/lov/spesialisthelsetjenesteloven")
    assert g.value(law, SCHEMA.sameAs) == URIRef("https://lovdata.no/eli/lov/1999/07/02/61")
    assert g.value(law, RDFS.seeAlso) == URIRef("https://lovdata.no/dokument/NL/lov/1999-07-02-61")
    old = URIRef("https://w3id.org/helsegraf/id/lov/introduksjonsloven")
    new = URIRef("https://w3id.org/helsegraf/id/lov/integreringsloven")
    assert str(g.value(old, ELI.date_no_longer_in_force)) == "2021-01-01"
    assert g.value(old, ELI.repealed_by) == new == g.value(old, DCTERMS.isReplacedBy)
    assert g.value(old, DCTERMS.source) is not None
