"""The search API as other systems call it: add a document, find it, only what the caller may read."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from masar.core.models import Classification
from masar.documents.models import Document
from tests.api.factories import bearer

pytestmark = pytest.mark.usefixtures("thesaurus")

TEXT = "قرر مجلس الوزراء إحداث منصة وطنية لتبادل المعطيات بين الإدارات ورقمنة الخدمات العمومية."


def post_document(api, **fields):
    data = {"title": "بلاغ المجلس الوزاري", "text": TEXT, "kind": "other", "classification": "public", **fields}
    return api.post("/api/v1/documents/", data)


def test_a_document_posted_as_a_form_is_found_by_its_words(coordinator_a):
    api = bearer(coordinator_a)
    created = post_document(api)
    assert created.status_code == 201, created.content
    document_id = created.json()["id"]
    assert Document.objects.filter(pk=document_id).exists()
    for q in ["تبادل البيانات", "انشاء منصه", "الخدمات العامة", "رقمنه الخدمات", "مجلس الوزراء"]:
        answer = api.get("/api/v1/search/", {"q": q, "type": "document", "limit": 100})
        assert answer.status_code == 200
        body = answer.json()
        assert set(body) >= {"count", "results"}
        assert [r["id"] for r in body["results"]] == [document_id], q
        hit = body["results"][0]
        assert hit["type"] == "document" and hit["title"] == "بلاغ المجلس الوزاري"
        assert hit["url"].startswith("http") and str(document_id) in hit["url"]
        assert "<mark>" in hit["snippet"] and isinstance(hit["score"], float)


def test_search_answers_best_first_and_counts_what_it_found(coordinator_a):
    api = bearer(coordinator_a)
    in_text = post_document(api, title="محضر", text="تم الاتفاق على إطلاق المنصة الوطنية للخدمات").json()["id"]
    in_title = post_document(api, title="المنصة الوطنية", text="نص قصير").json()["id"]
    body = api.get("/api/v1/search/?q=المنصة الوطنية&type=document").json()
    assert [r["id"] for r in body["results"]] == [in_title, in_text]
    assert body["count"] == 2
    assert body["results"][0]["score"] > body["results"][1]["score"]


def test_a_confidential_document_is_found_only_by_those_who_may_read_it(coordinator_a, coordinator_b, ministry_a):
    mine = bearer(coordinator_a)
    created = post_document(mine, classification=Classification.CONFIDENTIAL, organization=ministry_a.code)
    assert created.status_code == 201
    assert mine.get("/api/v1/search/?q=تبادل المعطيات&type=document").json()["count"] == 1  # positive control
    other = bearer(coordinator_b).get("/api/v1/search/?q=تبادل المعطيات&type=document").json()
    assert other == {"count": 0, "results": [], "message": "", "corrected": {}}
    assert Client().get("/api/v1/search/?q=تبادل").status_code == 401


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("q=" + "مشروع " * 1000, 200),
        ("q=", 200),
        ("q=ـــ", 200),
        ('q="*:%26|!NEAR', 200),
        ("q=منصة&type=nothing", 422),
        ("q=منصة&limit=101", 422),
        ("q=منصة&limit=0", 422),
        ("q=منصة&type=document&type=project", 200),
    ],
)
def test_bad_queries_get_an_answer_not_an_error(coordinator_a, query, status):
    response = bearer(coordinator_a).get(f"/api/v1/search/?{query}")
    assert response.status_code == status, response.content
    if status == 200 and query in ("q=", "q=ـــ"):
        assert response.json()["count"] == 0 and response.json()["message"]


def test_the_api_token_command_prints_a_token_that_searches(coordinator_a):
    out = io.StringIO()
    call_command("api_token", coordinator_a.username, stdout=out)
    token = out.getvalue().strip()
    response = Client().get("/api/v1/search/?q=منصة", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


@pytest.mark.parametrize("q", ["%00", "منصة%00", "x%00y%00z", "%ED%A0%80"])
def test_characters_no_database_keeps_are_dropped_from_a_query(coordinator_a, q):
    response = bearer(coordinator_a).get(f"/api/v1/search/?q={q}")
    assert response.status_code in (200, 422), response.content
