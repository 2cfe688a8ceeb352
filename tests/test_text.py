"""Re-joining wrapped text: split words are joined, real hyphens stay."""

import pytest

from helsegraf.text import join_lines, slugify


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["en framtidsrettet og bære-", "kraftig allmennlegetjeneste"], "en framtidsrettet og bærekraftig allmennlegetjeneste"),
        (["bære-", "", "kraftig"], "bærekraftig"),  # a blank line inside a wrapped item
        (["i helse- og", "omsorgstjenesten"], "i helse- og omsorgstjenesten"),
        (["i helse-", "og omsorgstjenesten"], "i helse- og omsorgstjenesten"),  # suspended compound at the line end
        (["Helse- og omsorgs-", "departementets sektoransvar"], "Helse- og omsorgsdepartementets sektoransvar"),
        (["opprette LIS1-", "stillinger"], "opprette LIS1-stillinger"),
        (["nasjonale e-", "helseløsninger"], "nasjonale e-helseløsninger"),
        (["digitale FACT-", "team"], "digitale FACT-team"),
        (["kompetanse-", "tjenester, -sentre og -nettverk"], "kompetansetjenester, -sentre og -nettverk"),
        (["  mange   mellomrom  ", "her "], "mange mellomrom her"),
    ],
)
def test_join_lines(lines, expected):
    assert join_lines(lines) == expected


def test_slugify_is_ascii_and_readable():
    assert slugify("Primærhelse og samhandling") == "primaerhelse-og-samhandling"
    assert slugify("Ideelle aktører og pårørende") == "ideelle-aktorer-og-parorende"
    assert slugify("LEDELSE") == "ledelse"
