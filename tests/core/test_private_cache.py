"""What a signed-in person reads, and every downloaded file, is `Cache-Control: private, no-store`; public
pages stay cacheable, and static files keep WhiteNoise's long-lived headers."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from masar.attachments.services import attachment_add
from masar.core.models import Classification
from masar.delivery.models import ObstacleCategory, Severity
from masar.delivery.services import obstacles as obstacle_services
from masar.exchange.services import token_issue
from masar.exports.models import Export, ExportFormat, ExportKind, ExportStatus
from masar.reports.models import CouncilPack, PackStatus
from tests.attachments.factories import upload
from tests.portfolio.factories import make_project

PRIVATE = "private, no-store"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(ministry_a, axis, manager_a):
    return make_project("P-PUB", ministry_a, axis, manager=manager_a, classification=Classification.PUBLIC)


def cache_control(response):
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, as a browser would, so the file is closed
    return response.get("Cache-Control", "")


def test_public_pages_stay_cacheable_and_signed_in_pages_are_private(project, client_for, viewer_a):
    pages = ["/ar/", "/ar/projects/", f"/ar/projects/{project.pk}/", "/ar/dashboards/public/"]
    anonymous, signed_in = client_for(None), client_for(viewer_a)
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in cache_control(response), url
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert cache_control(response) == PRIVATE, url
    # An htmx fragment (the search box's suggestions) is private too, and a redirect answered to a signed-in person.
    fragment = signed_in.get("/ar/search/suggest/", {"q": "مشروع"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and cache_control(fragment) == PRIVATE
    assert "no-store" not in cache_control(anonymous.get("/ar/search/suggest/", {"q": "مشروع"}, HTTP_HX_REQUEST="true"))


def test_api_calls_with_a_token_are_private(project, national):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=national, name='t', actor=None).secret}")
    response = client.get("/api/v1/projects/")
    assert response.status_code == 200 and cache_control(response) == PRIVATE
    refused = Client(HTTP_AUTHORIZATION="Bearer msr_not-a-token").get("/api/v1/projects/")
    assert refused.status_code == 401 and cache_control(refused) == PRIVATE


def test_every_download_is_private_whoever_asks(project, client_for, manager_a, coordinator_a, national):
    anonymous_export = client_for(None).get("/ar/exports/projects.csv")
    assert anonymous_export.status_code == 200 and anonymous_export["Content-Disposition"].startswith("attachment")
    assert cache_control(anonymous_export) == PRIVATE
    export = Export.objects.create(
        user=national, kind=ExportKind.PROJECTS, format=ExportFormat.CSV, language="ar", status=ExportStatus.DONE
    )
    export.file.save("projects.csv", ContentFile(b"code\nP-PUB\n"))
    pack = CouncilPack.objects.create(
        requested_by=national, classification=Classification.PUBLIC, status=PackStatus.DONE
    )
    pack.file.save("pack.pdf", ContentFile(PDF_BYTES))
    national_client = client_for(national)
    for url in (f"/ar/exports/{export.pk}/download/", f"/ar/reports/packs/{pack.pk}/pdf/"):
        response = national_client.get(url)
        assert response.status_code == 200, url
        assert cache_control(response) == PRIVATE, url
    obstacle = obstacle_services.obstacle_report(
        project=project,
        actor=manager_a,
        category=ObstacleCategory.FUNDING,
        severity=Severity.HIGH,
        description="الاعتمادات لم تصرف",
        must_act=project.owner,
    )
    attachment = attachment_add(
        record=obstacle, actor=manager_a, upload=upload("محضر.pdf", PDF_BYTES, "application/pdf")
    )
    response = client_for(coordinator_a).get(f"/ar/attachments/{attachment.pk}/")
    assert response.status_code == 200 and cache_control(response) == PRIVATE


def test_static_files_and_the_versioned_chart_bundle_keep_their_long_lived_headers(client_for, viewer_a):
    from masar.indicators.views import vega_version

    client = client_for(viewer_a)
    css = client.get("/static/masar/masar.css")
    assert css.status_code == 200 and "no-store" not in cache_control(css)
    bundle = client.get(f"/ar/indicators/assets/vega-{vega_version()}.js")
    assert bundle.status_code == 200 and cache_control(bundle) == "public, max-age=31536000, immutable"
