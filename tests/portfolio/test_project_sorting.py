"""The project list sorts by code, name, owner, rating and planned end, keeping its filters."""

import datetime
import re

import pytest
from django.utils import translation

from masar.portfolio.selectors import ProjectFilters, project_list
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project


@pytest.fixture
def three(ministry_a, ministry_b, axis):
    a = make_project("P-A", ministry_b, axis, name_ar="ج", name_fr="Beta", planned_end=datetime.date(2027, 1, 1))
    b = make_project("P-B", ministry_a, axis, name_ar="ب", name_fr="Alpha", planned_end=datetime.date(2026, 1, 1))
    c = make_project("P-C", ministry_a, axis, name_ar="أ", name_fr="", planned_end=datetime.date(2028, 1, 1))
    make_health(a, "red")
    make_health(c, "green")
    return a, b, c


def codes(sort, language="fr"):
    with translation.override(language):
        return list(project_list(None, ProjectFilters(sort=sort)).values_list("code", flat=True))


def test_each_column_sorts_both_ways(three):
    assert codes("") == codes("code") == ["P-A", "P-B", "P-C"]
    assert codes("-code") == ["P-C", "P-B", "P-A"]
    assert codes("name") == ["P-B", "P-A", "P-C"]  # Alpha, Beta, then أ (no French name: its Arabic one)
    assert codes("name", "ar") == ["P-C", "P-B", "P-A"]
    assert codes("planned_end") == ["P-B", "P-A", "P-C"]
    assert codes("-planned_end") == ["P-C", "P-A", "P-B"]
    assert codes("rating") == ["P-C", "P-A", "P-B"]  # green, red, then the unrated
    assert codes("-rating") == ["P-A", "P-C", "P-B"]  # the unrated stay last
    assert codes("owner")[0] == "P-A" and codes("-owner")[-1] == "P-A"  # Ministère de la santé after technologies…


def test_an_unknown_sort_is_refused(three, client_for):
    with pytest.raises(ValueError):
        ProjectFilters(sort="owner__password")
    assert client_for(None).get("/fr/projects/?sort=owner__password").status_code == 400


def test_the_column_headers_sort_and_keep_the_other_filters(three, client_for, ministry_a):
    page = client_for(None).get(f"/fr/projects/?organization={ministry_a.pk}&sort=-planned_end&page=1")
    html = page.content.decode()
    assert re.findall(r'<td dir="ltr" class="code">([^<]+)</td>', html) == ["P-C", "P-B"]
    header = re.search(r'<th scope="col" aria-sort="descending"><a href="\?([^"]+)">', html).group(1)
    assert f"organization={ministry_a.pk}" in header and "sort=planned_end" in header and "page" not in header
    assert re.search(r'aria-sort="none"><a href="\?[^"]*sort=name', html)
