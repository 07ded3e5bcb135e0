"""POST /api/v1/intake/extract/: the contract an outside evaluation runs against, kept exactly."""

import json
from pathlib import Path

import pytest

from masar.api.intake import MAX_CHARS
from masar.intake.extract import extract
from tests.api.factories import bearer, make_system, system_bearer

URL = "/api/v1/intake/extract/"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "intake"
MANDATE_KEYS = {"organization", "parent_organization", "missions"}
STRATEGY_KEYS = {"name", "period", "axes", "programs", "phases", "total_projects", "budget"}
DECISION_KEYS = {"body", "date", "decisions"}
ALL_KEYS = {"kind"} | MANDATE_KEYS | STRATEGY_KEYS | DECISION_KEYS


def post(client, text):
    return client.post(URL, data=json.dumps({"text": text}), content_type="application/json")


def seed(prefix):
    return (FIXTURES / f"seed_{prefix}.txt").read_text(encoding="utf-8")


def test_the_strategy_is_read_with_every_key_of_the_contract(viewer_a):
    answer = post(bearer(viewer_a), seed("004"))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == ALL_KEYS
    assert body["kind"] == "strategy"
    assert body["period"] == {"start_year": 2021, "end_year": 2030}
    assert (body["total_projects"], body["programs"]["count"], len(body["phases"])) == (49, 12, 3)
    assert all(body[key] is None for key in MANDATE_KEYS | DECISION_KEYS)  # what does not apply to the kind is null
    assert body == json.loads(json.dumps(extract(seed("004"))))  # the door adds nothing to the reading


def test_a_mandate_is_read_with_its_missions(viewer_a):
    body = post(bearer(viewer_a), seed("000")).json()
    assert body["kind"] == "mandate" and len(body["missions"]) >= 5
    assert all(body[key] is None for key in DECISION_KEYS)


def test_another_administrations_system_may_ask_too(ministry_a):
    system = make_system(ministry_a, ["projects:read"])
    assert post(system_bearer(system), seed("000")).json()["kind"] == "mandate"


def test_no_one_reads_without_a_token(db, client):
    assert post(client, seed("003")).status_code == 401


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_text_is_refused_with_the_reason(viewer_a, text):
    answer = post(bearer(viewer_a), text)
    assert answer.status_code == 400
    assert "text" in answer.content.decode()


def test_a_two_megabyte_text_is_refused_with_the_limit(viewer_a):
    answer = post(bearer(viewer_a), "قرر المجلس " * 110_000)  # 2.2 MB: over the API's body limit
    assert answer.status_code == 413
    assert "2097152" in answer.json()["detail"]


def test_a_text_of_more_characters_than_read_is_refused_with_the_limit(viewer_a):
    answer = post(bearer(viewer_a), "Le conseil décide. " * (MAX_CHARS // 18))  # under the body limit, over the text's
    assert answer.status_code == 413
    assert str(MAX_CHARS) in answer.json()["detail"].replace(",", "").replace("\u202f", "").replace(" ", "")


def test_two_decrees_pasted_together_are_not_mixed_and_the_caller_is_told(viewer_a):
    first = (
        "مرسوم رقم 2.19.1086 بتحديد اختصاصات وزارة الانتقال الرقمي\n"
        "المادة الأولى: تتولى وزارة الانتقال الرقمي المهام التالية:\n- إعداد الاستراتيجية الرقمية؛\n- تتبع تنفيذها.\n"
    )
    second = "مرسوم رقم 2.20.55 بتحديد اختصاصات وزارة الصحة\nالمادة الأولى: تتولى وزارة الصحة:\n- تنظيم المستشفيات؛\n"
    answer = post(bearer(viewer_a), first + second)
    body = answer.json()
    assert (body["organization"], body["missions"]) == (
        "وزارة الانتقال الرقمي",
        ["إعداد الاستراتيجية الرقمية", "تتبع تنفيذها"],
    )
    assert answer["Masar-Notice"] == f"several_texts; texts=2; read=0-{len(first)}"
    assert set(body) == ALL_KEYS
    assert "Masar-Notice" not in post(bearer(viewer_a), first)


def test_a_text_in_french_only_is_read_as_far_as_the_rules_go(viewer_a):
    text = (
        "Le Conseil des ministres s'est réuni le 12 mars 2024 sous la présidence du Chef du gouvernement. "
        "Le Conseil a approuvé le projet de loi relatif aux données personnelles."
    )
    body = post(bearer(viewer_a), text).json()
    assert (body["kind"], body["body"], body["date"]) == ("decisions", "Conseil des ministres", "2024-03-12")
    assert body["decisions"] == ["le projet de loi relatif aux données personnelles"]


def test_a_text_with_nothing_recognized_says_so(viewer_a):
    answer = post(bearer(viewer_a), "lorem ipsum dolor sit amet")
    assert answer.status_code == 200
    assert answer["Masar-Notice"] == "not_recognized"
