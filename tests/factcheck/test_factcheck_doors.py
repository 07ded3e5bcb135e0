"""The fact-check's doors: the API contract, the public page and the signed-in page."""

import json
from pathlib import Path

from django.test import Client

from masar.core.models import Classification
from tests.api.factories import bearer
from tests.factcheck.factories import make_program_2526

SEED_003 = (Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "seed_003.txt").read_text(encoding="utf-8")
WRONG = SEED_003.replace("(99 مشروعًا)", "(95 مشروعًا)")
URL = "/api/v1/factcheck/"


def _post(client, text):
    return client.post(URL, data=json.dumps({"text": text}), content_type="application/json")


def _claim(answer, text):
    return next(c for c in answer["claims"] if c["text"] == text)


def test_the_api_answers_the_contract_exactly_for_an_anonymous_caller(ministry_a):
    program = make_program_2526(ministry_a)
    response = _post(Client(), WRONG)
    assert response.status_code == 200
    answer = response.json()
    assert list(answer) == ["claims"]
    for claim in answer["claims"]:
        assert list(claim) == ["text", "start", "end", "verdict", "platform_value", "url"]
        assert WRONG[claim["start"] : claim["end"]] == claim["text"]
        assert claim["verdict"] in ("consistent", "contradicted", "unverifiable")
    assert _claim(answer, "95 مشروعًا") == {
        "text": "95 مشروعًا",
        "start": WRONG.index("95 مشروعًا"),
        "end": WRONG.index("95 مشروعًا") + len("95 مشروعًا"),
        "verdict": "contradicted",
        "platform_value": 99,
        "url": f"http://testserver/ar/strategies/{program.pk}/",
    }
    assert _claim(answer, "138 مشروعًا")["verdict"] == "consistent"


def test_an_empty_text_is_a_problem_and_a_long_one_is_refused_with_the_limit(db):
    empty = _post(Client(), "  \n ")
    assert empty.status_code == 400
    assert empty["Content-Type"] == "application/problem+json"
    assert empty.json()["errors"][0]["pointer"] == "body.text"
    long = _post(Client(), "ا" * 10 + "x" * 1_000_000)
    assert long.status_code == 413
    assert long["Content-Type"] == "application/problem+json"


def test_a_bad_token_is_refused_rather_than_read_as_the_public(db):
    client = Client(HTTP_AUTHORIZATION="Bearer msr_not-a-token")
    assert _post(client, SEED_003).status_code == 401


def test_a_confidential_program_is_unverifiable_anonymously_and_contradicted_for_its_reader(
    ministry_a, viewer_a, coordinator_b
):
    make_program_2526(ministry_a, classification=Classification.CONFIDENTIAL)
    for client in (Client(), bearer(coordinator_b)):
        claim = _claim(_post(client, WRONG).json(), "95 مشروعًا")
        assert (claim["verdict"], claim["platform_value"], claim["url"]) == ("unverifiable", None, None)
    claim = _claim(_post(bearer(viewer_a), WRONG).json(), "95 مشروعًا")
    assert (claim["verdict"], claim["platform_value"]) == ("contradicted", 99)


def test_the_public_page_marks_each_claim_and_escapes_the_pasted_text(ministry_a):
    make_program_2526(ministry_a)
    text = "<script>alert(1)</script> " + WRONG
    response = Client().post("/ar/portal/factcheck/", {"text": text})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert '<mark class="verdict-contradicted"' in body and ">95 مشروعًا</mark>" in body
    assert '<mark class="verdict-consistent"' in body and ">138 مشروعًا</mark>" in body
    assert f'href="/ar/strategies/{ministry_a.strategies.get().pk}/"' in body


def test_the_public_page_reads_as_the_public_even_for_a_signed_in_reader(ministry_a, viewer_a, client_for):
    make_program_2526(ministry_a, classification=Classification.CONFIDENTIAL)
    client = client_for(viewer_a)
    public = client.post("/ar/portal/factcheck/", {"text": WRONG}).content.decode()
    assert "verdict-contradicted" not in public and "verdict-unverifiable" in public
    signed_in = client.post("/ar/factcheck/", {"text": WRONG}).content.decode()
    assert '<mark class="verdict-contradicted"' in signed_in


def test_the_pages_refuse_what_they_cannot_check(db, client_for, viewer_a):
    assert Client().get("/ar/portal/factcheck/").status_code == 200
    assert Client().post("/ar/portal/factcheck/", {"text": "x" * 100_001}).status_code == 400
    assert Client().post("/ar/portal/factcheck/", {"text": "   "}).status_code == 400
    assert Client().get("/ar/factcheck/").status_code == 302  # to the sign-in page
    assert client_for(viewer_a).get("/ar/factcheck/").status_code == 200


def test_the_public_page_is_throttled_per_address(db, settings):
    settings.PORTAL_FACTCHECKS_PER_HOUR = 2
    client = Client()
    answers = [client.post("/ar/portal/factcheck/", {"text": "138 مشروعا"}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    refused = answers[-1].content.decode()
    assert 'role="alert"' in refused and "verdict-" not in refused  # said, and nothing checked
    assert "138 مشروعا</textarea>" in refused  # the pasted text is kept, to be checked later


def test_the_page_shows_a_projects_state_in_the_readers_language(db, ministry_a, axis):
    from masar.portfolio.models import ProjectStatus
    from tests.portfolio.factories import make_project

    make_project("P-STATE", ministry_a, axis, name_ar="البوابة الوطنية للخدمات", status=ProjectStatus.IN_PROGRESS)
    page = Client().post("/ar/portal/factcheck/", {"text": "اكتمل مشروع البوابة الوطنية للخدمات."}).content.decode()
    assert '<bdi class="factcheck-figure">قيد الإنجاز</bdi>' in page  # the state's name, not its code
