"""Server-side pictures: well-formed SVG, labelled for screen readers, text escaped."""

import xml.etree.ElementTree as ET

from helsegraf.site.svg import bar_chart, neighbourhood

NS = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_a_bar_per_row():
    svg = ET.fromstring(bar_chart([("Kapittel 3", 23), ("Kapittel <5>", 33)], "Tiltak & kapitler"))
    assert svg.get("role") == "img"
    assert svg.find(f"{NS}title").text == "Tiltak & kapitler"
    assert len(svg.findall(f"{NS}rect")) == 2
    widths = [int(r.get("width")) for r in svg.findall(f"{NS}rect")]
    assert widths[1] > widths[0]
    assert "Kapittel <5>: 33" in svg.find(f"{NS}desc").text


def test_neighbourhood_places_each_neighbour():
    svg = ET.fromstring(neighbourhood("Helse Nord RHF", [("del av", "De regionale helseforetakene"),
                                                          ("har underenhet", "Finnmarkssykehuset HF")], "Naboskap"))
    assert len(svg.findall(f"{NS}line")) == 2
    texts = [t.text for t in svg.findall(f"{NS}text")]
    assert "Helse Nord RHF" in texts and "Finnmarkssykehuset HF" in texts


def test_two_charts_have_different_ids():
    a, b = ET.fromstring(bar_chart([("x", 1)], "A")), ET.fromstring(bar_chart([("x", 1)], "B"))
    assert a.find(f"{NS}title").get("id") != b.find(f"{NS}title").get("id")
