"""Citation templates allow the fields of a quote and the simple formats a citation needs, nothing more: a huge
width, nested fields, conversions and attribute or index access are refused with one clear line."""

from __future__ import annotations

import time

import pytest

from coding.export.citation import CitationError, citation_template, format_citation

ATTRIBUTES = ["role", "region", "district_type", "age, years", "a.b"]
FIELDS = {"document": "D07", "turn": 12, "title": "A long interview title about broadband and budgets",
          "role": "Principal", "region": "West", "age, years": "54", "a.b": "dotted"}

REFUSED = {
    "{document:>99999999999}": "format citations do not use",
    "{document:0>100}": "format citations do not use",
    "{title:.99999999}": "format citations do not use",
    "{turn:,}": "format citations do not use",
    "{turn:d}": "format citations do not use",
    "{turn:=5}": "format citations do not use",  # "=" alignment is for numbers
    "{document:{turn}}": "format citations do not use",
    "{document!r}": "conversion",
    "{document!s:>5}": "conversion",
    "{}; {document}": "empty field",
    "{ }": "empty field",
    "{0}": "is not a field",
    "{document.__class__}": "is not a field",
    "{document[0]}": "is not a field",
    "{document": "malformed",
    "{document}}": "malformed",
}


@pytest.mark.parametrize("template", REFUSED)
def test_a_template_beyond_what_citations_need_is_refused_quickly(template):
    started = time.perf_counter()
    with pytest.raises(CitationError, match=REFUSED[template]) as raised:
        citation_template(template, ATTRIBUTES)
    assert time.perf_counter() - started < 1.0
    [problem] = raised.value.problems
    assert problem.hint  # says what is allowed
    assert "\n" not in str(problem)


@pytest.mark.parametrize("template", ["{document:>99999999999}", "{document!r}", "{document:{turn}}"])
def test_format_citation_refuses_an_unchecked_template_too(template):
    with pytest.raises(CitationError):
        format_citation(template, FIELDS)


@pytest.mark.parametrize(("template", "expected"), [
    ("{document}, turn {turn:0>3}", "D07, turn 012"),
    ("{document}, turn {turn:_<4}|", "D07, turn 12__|"),
    ("{title:.20}; {document}", "A long interview tit; D07"),
    ("{role:^11}", "Principal"),  # padding spaces are tidied like every run of spaces
    ("{age, years} years; {document}", "54 years; D07"),
    ("{a.b} ({role})", "dotted (Principal)"),
    ("{{{document}}}", "{D07}"),
])
def test_simple_formats_and_unusual_attribute_names_work(template, expected):
    assert format_citation(citation_template(template, ATTRIBUTES), FIELDS) == expected


def test_a_missing_field_with_a_format_still_vanishes_with_its_words():
    template = citation_template("{district_type:.10} district, {region}; {document}", ATTRIBUTES)
    assert format_citation(template, {**FIELDS, "district_type": None}) == "West; D07"
    assert format_citation(template, {**FIELDS, "district_type": "suburban-ish"}) == \
        "suburban-i district, West; D07"
