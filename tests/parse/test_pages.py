"""Page numbers: stated where the running header survived, counted from the nearest header elsewhere."""

from helsegraf.parse.pages import build_page_map
from helsegraf.parse.white_paper_rules import load_white_paper_rules
from helsegraf.records import PageStatus

running_header = load_white_paper_rules().page_header


def test_running_headers_odd_and_even():
    assert running_header("2023–2024 Meld. St. 9 13") == 13
    assert running_header("46 Meld. St. 9 2023–2024") == 46
    assert running_header("Det er elleve år siden Meld. St. 9 (2012–2013)") is None


def test_running_headers_of_other_white_paper_series():
    assert running_header("2024–2025 Prop. 1 S 112") == 112
    assert running_header("16 NOU 2023: 4") == 16
    assert running_header("NOU 2023: 4 17") == 17
    assert running_header("4 Meld. St. 9 viser at") is None


def test_page_map_counts_breaks_from_nearest_header():
    lines = ["Tittel", "a", " b (ny side)", "c", "2023–2024 Meld. St. 9 13", "d", " e (ny side)", "f"]
    pm = build_page_map(lines, running_header)
    assert pm.page_of(2) == (11, PageStatus.INFERRED)
    assert pm.page_of(3) == (12, PageStatus.INFERRED)
    assert pm.page_of(6) == (13, PageStatus.STATED)
    assert pm.page_of(8) == (14, PageStatus.INFERRED)


def test_real_document_headers_agree(parsed):
    from tests.conftest import WHITE_PAPER

    pm = build_page_map(parsed[WHITE_PAPER].lines, running_header)
    stated = {n for n, s in zip(pm.numbers, pm.stated) if s}
    assert stated == {13, 46, 65, 74, 85, 123, 126, 127}
    # Between the headers of pages 46 and 127 every break is accounted for: counting lands on the next header.
    numbers = [n for n in pm.numbers if n is not None]
    assert numbers == sorted(numbers)
