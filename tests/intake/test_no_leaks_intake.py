"""The pages that read texts show a reader nothing above what they may read: no confidential strategy or document of
another ministry in the names proposed, the documents offered or the crawl of the pages."""

import datetime

import pytest

from masar.core.models import Classification
from masar.core.services import model_create
from masar.documents.models import DocumentKind
from masar.documents.services import document_create
from masar.strategy.models import Strategy
from tests.html import crawl

TEXT = "تمتد الاستراتيجية الوطنية للأمن الرقمي من 2025 إلى 2030 وتتضمن محورين و12 مشروعا."


@pytest.fixture
def confidential_world(ministry_a, coordinator_a):
    model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind="strategy",
            code="S-CONFA",
            name_ar="الاستراتيجية الوطنية للأمن الرقمي",
            name_en="Digital security strategy CONFA",
            owner=ministry_a,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2030, 12, 31),
            classification=Classification.CONFIDENTIAL,
        ),
    )
    document_create(
        actor=coordinator_a,
        title="مرسوم-مكتوم-CONFA",
        kind=DocumentKind.LAW,
        classification=Classification.CONFIDENTIAL,
        organization=ministry_a,
        text="تتولى وزارة الأمن الرقمي المهام التالية: - حماية الشبكات CONFA",
    )


def _intake_pages(client):
    pages = crawl(client, start="/ar/intake/", within="/ar/intake/")
    pages["review"] = client.post("/ar/intake/", {"text": TEXT}).content.decode().replace(TEXT, "")
    return pages


def test_the_intake_pages_show_another_ministry_nothing_confidential(confidential_world, client_for, coordinator_b):
    pages = _intake_pages(client_for(coordinator_b))
    assert "/ar/intake/" in pages
    hidden = f"strategy:{Strategy.objects.get(code='S-CONFA').pk}"
    for url, body in pages.items():
        assert "CONFA" not in body, f"a confidential record of ministry A leaked on {url}"
        assert hidden not in body and "مرسوم-مكتوم" not in body, url


def test_the_intake_pages_show_the_owning_ministry_its_records(confidential_world, client_for, coordinator_a):
    """Positive control: the same pages offer ministry A its confidential document and strategy."""
    pages = _intake_pages(client_for(coordinator_a))
    assert "مرسوم-مكتوم-CONFA" in pages["/ar/intake/"]
    strategy = Strategy.objects.get(code="S-CONFA")
    assert f"strategy:{strategy.pk}" in pages["review"]


def test_an_anonymous_visitor_reaches_no_intake_page(confidential_world, client_for):
    response = client_for(None).get("/ar/intake/")
    assert response.status_code == 302
    assert "CONFA" not in response.content.decode()
