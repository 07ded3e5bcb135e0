"""The leak crawl over the fact-check's doors: the portal page, the signed-in page and the API.

A restricted and a confidential program, each with figures no public record holds (7701, 7702 projects planned):
a text naming both, with wrong figures, is checked through every door as each kind of reader. A figure or a link
of a program the reader may not read must never appear in an answer, nor turn a verdict into "contradicted".
"""

import json

import pytest
from django.test import Client

from masar.core.models import Classification
from tests.api.factories import bearer
from tests.factcheck.factories import make_strategy

TEXT = (
    "يضم برنامج المنصة المحدودة 5 مشاريع، ويضم برنامج الخزينة المكتومة 6 مشاريع، ويضم برنامج البوابة العمومية 3 مشاريع."
)


@pytest.fixture
def classified_programs(ministry_a):
    restricted = make_strategy(
        ministry_a,
        "S-RSTR",
        "برنامج المنصة المحدودة",
        2025,
        2026,
        classification=Classification.RESTRICTED,
        planned_project_count=7701,
    )
    confidential = make_strategy(
        ministry_a,
        "S-CONF",
        "برنامج الخزينة المكتومة",
        2025,
        2026,
        classification=Classification.CONFIDENTIAL,
        planned_project_count=7702,
    )
    public = make_strategy(ministry_a, "S-PUBL", "برنامج البوابة العمومية", 2025, 2026, planned_project_count=7703)
    return {"RSTR": restricted, "CONF": confidential, "PUBL": public}


def _answers(page_client, api_client):
    """Return what each door answers to the text (the pages' HTML, the API's JSON)."""
    answers = {"/ar/portal/factcheck/": page_client.post("/ar/portal/factcheck/", {"text": TEXT}).content.decode()}
    signed_in = page_client.post("/ar/factcheck/", {"text": TEXT})
    if signed_in.status_code == 200:
        answers["/ar/factcheck/"] = signed_in.content.decode()
    api = api_client.post("/api/v1/factcheck/", data=json.dumps({"text": TEXT}), content_type="application/json")
    assert api.status_code == 200
    answers["/api/v1/factcheck/"] = api.content.decode()
    return answers


def _markers(program):
    return (str(program.planned_project_count), f"/strategies/{program.pk}/")


def _assert_absent(answers, programs):
    for url, body in answers.items():
        for program in programs:
            for marker in _markers(program):
                assert marker not in body, f"{marker} leaked on {url}"


def _assert_present(answers, program):
    for url, body in answers.items():
        assert all(marker in body for marker in _markers(program)), f"{program.code} missing on {url}"


def test_an_anonymous_reader_meets_only_the_public_program(classified_programs):
    answers = _answers(Client(), Client())
    _assert_present(answers, classified_programs["PUBL"])  # positive control
    _assert_absent(answers, (classified_programs["RSTR"], classified_programs["CONF"]))
    claims = json.loads(answers["/api/v1/factcheck/"])["claims"]
    assert [(c["text"], c["verdict"], c["platform_value"]) for c in claims] == [
        ("5 مشاريع", "unverifiable", None),
        ("6 مشاريع", "unverifiable", None),
        ("3 مشاريع", "contradicted", 7703),
    ]


def test_another_ministry_reads_the_restricted_program_but_not_the_confidential_one(
    classified_programs, coordinator_b, client_for
):
    answers = _answers(client_for(coordinator_b), bearer(coordinator_b))
    _assert_absent({"/ar/portal/factcheck/": answers.pop("/ar/portal/factcheck/")}, [classified_programs["RSTR"]])
    _assert_present(answers, classified_programs["RSTR"])
    _assert_absent(answers, [classified_programs["CONF"]])


def test_the_owning_ministry_reads_both_on_its_doors_and_only_the_public_one_on_the_portal(
    classified_programs, viewer_a, client_for
):
    answers = _answers(client_for(viewer_a), bearer(viewer_a))
    portal = answers.pop("/ar/portal/factcheck/")
    _assert_absent({"/ar/portal/factcheck/": portal}, (classified_programs["RSTR"], classified_programs["CONF"]))
    _assert_present({"/ar/portal/factcheck/": portal}, classified_programs["PUBL"])
    for program in classified_programs.values():
        _assert_present(answers, program)
