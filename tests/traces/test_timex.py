"""Time expressions to periods: the Storting's spring and autumn, deadlines, year spans and a plan's period."""

from datetime import date

import pytest

from helsegraf.errors import InputError
from helsegraf.traces.timex import find_periods, load_time_rules
from tests.repo import MAPPINGS

RULES = load_time_rules(MAPPINGS / "time_expressions.toml")


def periods(text, plan=None, issued=2024):
    return [(p.surface, p.start, p.end) for p in find_periods(text, RULES, plan, issued)]


@pytest.mark.parametrize("text, start, end", [
    ("presentere løsningene i en lovproposisjon våren 2025", date(2025, 1, 1), date(2025, 6, 30)),
    ("legge fram en strategi høsten 2024", date(2024, 7, 1), date(2024, 12, 31)),
    ("nå målet innen 2035", None, date(2035, 12, 31)),
    ("redusere andelen til 30 prosent fra 2025", date(2025, 1, 1), None),
    ("legge fram en egen strategi for kvinnehelse i 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("i perioden 2024–2027", date(2024, 1, 1), date(2027, 12, 31)),
])
def test_period(text, start, end):
    [(_, s, e)] = periods(text)
    assert (s, e) == (start, end)


def test_the_plan_period_comes_from_the_document():
    assert periods("Opprettholde dagens fødetilbud innenfor planperioden", plan=(2024, 2027)) == [
        ("innenfor planperioden", date(2024, 1, 1), date(2027, 12, 31))]
    # without one the words are kept, with no dates
    assert periods("i løpet av planperioden") == [("i løpet av planperioden", None, None)]


def test_a_year_before_the_document_is_a_reference_not_a_period():
    assert periods("Evaluere loven om endring av juridisk kjønn fra 2016.", issued=2025) == []


def test_the_first_rule_wins_where_two_match():
    assert [p[0] for p in periods("innen 2027")] == ["innen 2027"]  # not also "i 2027"-like readings


def test_a_bad_pattern_names_the_file(tmp_path):
    (tmp_path / "t.toml").write_text('[[expression]]\npattern = "(unclosed"\nend = "{year}-12-31"\nexample = "x"\n',
                                     encoding="utf-8")
    with pytest.raises(InputError, match="bad regular expression") as e:
        load_time_rules(tmp_path / "t.toml")
    assert e.value.line == 2
