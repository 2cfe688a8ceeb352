"""The matcher: Norwegian inflection, abbreviations, collective references, longest match, roles and sections."""

import pytest

from helsegraf.entities.catalogue import load_catalogue
from helsegraf.entities.matcher import Matcher
from helsegraf.entities.roles import load_roles


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_catalogue(), load_roles())


def found(matcher, text):
    return [(f.entity.id, f.surface) for f in matcher.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Helsedirektoratets rapport", [("actor:helsedirektoratet", "Helsedirektoratets")]),
        ("i regi av FHI og HOD", [("actor:folkehelseinstituttet", "FHI"), ("actor:helse-og-omsorgsdepartementet", "HOD")]),
        ("de regionale helseforetakene skal", [("actor:de-regionale-helseforetakene", "de regionale helseforetakene")]),
        ("RHF-ene og KS", [("actor:de-regionale-helseforetakene", "RHF-ene"), ("actor:ks", "KS")]),
        ("KSF skal bidra", [("actor:kommunenes-strategiske-forskningsorgan", "KSF")]),
        ("mellom kommuner og sykehus", [("actor:kommunene", "kommuner")]),
        ("Helse Sør-Østs regionale plan", [("actor:helse-sor-ost", "Helse Sør-Østs")]),
        ("Helse Nord RHF har", [("actor:helse-nord", "Helse Nord RHF")]),
        ("i helse- og omsorgstjenesteloven", [("law:helse-og-omsorgstjenesteloven", "helse- og omsorgstjenesteloven")]),
        ("jf. NOU 2023:4 Med Barnet hele vegen", [("report:med-barnet-hele-vegen", "NOU 2023:4 Med Barnet hele vegen")]),
        ("Prop. 36 S (2023– 2024)", [("report:prop-36-s-2023-2024", "Prop. 36 S (2023– 2024)")]),
        ("mennesker med demenssykdom", [("patient_group:personer-med-demens", "mennesker med demenssykdom")]),
        ("eldre med skrøpelighet", [("patient_group:eldre-med-skropelighet", "eldre med skrøpelighet")]),
        ("investeringer i sykehusbygg", []),  # the common noun, not Sykehusbygg HF
        ("at vi blir flere og eldre", []),  # the comparative, not the group
        ("eldre enn 80 år", []),
        ("Helsedirektoratetene", []),  # whole words only
    ],
)
def test_finds(matcher, text, expected):
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "text, entity, role",
    [
        ("be Helsedirektoratet utrede", "actor:helsedirektoratet", "tasked"),
        ("Gi de regionale helseforetakene i oppdrag å", "actor:de-regionale-helseforetakene", "tasked"),
        ("De regionale helseforetakene skal rapportere", "actor:de-regionale-helseforetakene", "tasked"),
        ("i samarbeid med kommunene", "actor:kommunene", "partner"),
        ("inngå en ny samarbeidsavtale med KS om", "actor:ks", "partner"),
        ("under ledelse av Helsedirektoratet", "actor:helsedirektoratet", "lead"),
        ("gjennomgå bestemmelsene om taushetsplikt i helsepersonelloven", "law:helsepersonelloven", "reviewed"),
        ("følge opp rapporten Forenkle og forbedre", "report:forenkle-og-forbedre", "followed_up"),
        ("sikre at retten er forankret i folketrygdloven", "law:folketrygdloven", None),
    ],
)
def test_roles(matcher, text, entity, role):
    [f] = [f for f in matcher.find(text) if f.entity.id == entity]
    assert f.role == role


def test_law_sections_stay_on_the_mention(matcher):
    [f] = matcher.find("Spesialisthelsetjenesteloven (LOV-1999-07-02-61) § 2-1a første ledd og annet")
    assert f.entity.id == "law:spesialisthelsetjenesteloven" and f.law_section == "§ 2-1a første ledd"
    [g] = matcher.find("overtredelse av legemiddelloven § 24 første ledd, der")
    assert g.law_section == "§ 24 første ledd"


@pytest.mark.parametrize("text, meant, cited", [
    # Meld. St. 9 gives the number of Meld. St. 25 with the titles of Meld. St. 24 and 27 (regression: both were
    # linked to Meld. St. 25)
    ("Meld. St. 25 (2022–2023) Fellesskap og meistring Bu Trygt heime varsles det", "report:meld-st-24-2022-2023",
     "report:meld-st-25-2022-2023"),
    ("– Meld. St. 25 (2022–2023) Eit godt liv i hele Noreg – distriktspolitikk", "report:meld-st-27-2022-2023",
     "report:meld-st-25-2022-2023"),
    # a number with its own title, or with no title, is what it says
    ("Meld. St. 24 (2022–2023) Fellesskap og meistring – Bu trygt heime", "report:meld-st-24-2022-2023", None),
    ("som varslet i Meld. St. 25 (2022–2023) skal regjeringen", "report:meld-st-25-2022-2023", None),
])
def test_a_number_followed_by_another_reports_title_is_a_miscitation(matcher, text, meant, cited):
    [f] = [f for f in matcher.find(text) if f.entity.kind == "report"]
    assert f.entity.id == meant and (f.cited.id if f.cited else None) == cited
