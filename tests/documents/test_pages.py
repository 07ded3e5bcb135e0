"""The library's pages: the list, adding a document, a document beside its text, and the original's download."""

import pytest

from masar.core.models import Classification
from masar.documents.models import Document, TextStatus
from tests.documents.factories import (
    ARABIC_SENTENCE,
    ARABIC_TITLE,
    blank_pdf_bytes,
    make_document,
    pdf_bytes,
    upload,
)


@pytest.fixture
def confidential_pdf(coordinator_a):
    return make_document(
        coordinator_a,
        title="محضر-مكتوم",
        classification=Classification.CONFIDENTIAL,
        upload=upload("minutes.pdf", pdf_bytes()),
    )


@pytest.fixture
def restricted_pdf(coordinator_a):
    return make_document(
        coordinator_a,
        title="تقرير-محدود",
        classification=Classification.RESTRICTED,
        upload=upload("r.pdf", pdf_bytes()),
    )


@pytest.fixture
def public_pdf(coordinator_a):
    return make_document(
        coordinator_a, title="بلاغ-عمومي", classification=Classification.PUBLIC, upload=upload("p.pdf", pdf_bytes())
    )


def fetch(client, url):
    """Return a download's response with its content read and its file closed."""
    response = client.get(url)
    if response.streaming:
        response.body = b"".join(response.streaming_content)
        response.close()
    return response


def download_url(document, inline=False):
    url = f"/en/documents/versions/{document.versions.get().pk}/file/"
    return url + "?inline=1" if inline else url


def test_a_confidential_original_is_handed_only_to_its_readers(
    confidential_pdf, client_for, coordinator_a, viewer_a, coordinator_b
):
    for reader in (coordinator_a, viewer_a):  # who may change it, and a read-only colleague of the ministry
        response = fetch(client_for(reader), download_url(confidential_pdf))
        assert response.status_code == 200
        assert response.body.startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    for outsider in (coordinator_b, None):  # another ministry, and the public
        assert fetch(client_for(outsider), download_url(confidential_pdf)).status_code == 404
        assert client_for(outsider).get(f"/en/documents/{confidential_pdf.pk}/").status_code == 404


def test_a_restricted_original_is_for_civil_servants_and_a_public_one_for_all(
    restricted_pdf, public_pdf, client_for, viewer_a, coordinator_b
):
    assert fetch(client_for(None), download_url(restricted_pdf)).status_code == 404
    assert fetch(client_for(coordinator_b), download_url(restricted_pdf)).status_code == 200  # every civil servant
    assert fetch(client_for(viewer_a), download_url(restricted_pdf)).status_code == 200
    assert fetch(client_for(None), download_url(public_pdf)).status_code == 200


def test_a_pdf_is_shown_inline_in_a_sandbox(public_pdf, client_for):
    response = fetch(client_for(None), download_url(public_pdf, inline=True))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"


def test_the_list_shows_each_reader_what_they_may_read(
    confidential_pdf, restricted_pdf, public_pdf, client_for, viewer_a, coordinator_b
):
    mine = client_for(viewer_a).get("/en/documents/").content.decode()
    assert "محضر-مكتوم" in mine and "تقرير-محدود" in mine and "بلاغ-عمومي" in mine
    other = client_for(coordinator_b).get("/en/documents/").content.decode()
    assert "محضر-مكتوم" not in other and "تقرير-محدود" in other
    public = client_for(None).get("/en/documents/").content.decode()
    assert "بلاغ-عمومي" in public and "تقرير-محدود" not in public and "محضر-مكتوم" not in public


def test_the_list_filters_by_kind(coordinator_a, client_for):
    make_document(coordinator_a, title="قانون-أول", kind="law")
    make_document(coordinator_a, title="تقرير-ثان", kind="report")
    page = client_for(coordinator_a).get("/en/documents/?kind=law").content.decode()
    assert "قانون-أول" in page and "تقرير-ثان" not in page


def test_the_page_shows_the_text_beside_the_original(confidential_pdf, client_for, viewer_a, coordinator_a):
    page = client_for(viewer_a).get(f"/en/documents/{confidential_pdf.pk}/").content.decode()
    assert ARABIC_SENTENCE in page and 'dir="auto" lang="ar"' in page
    assert f'src="{download_url(confidential_pdf)}?inline=1"' in page
    assert "Add a new version" not in page  # a viewer reads only
    assert (
        "Add a new version" in client_for(coordinator_a).get(f"/en/documents/{confidential_pdf.pk}/").content.decode()
    )


def test_links_are_shown_only_to_those_who_may_read_the_linked_record(
    coordinator_a, client_for, viewer_a, coordinator_b, ministry_a, axis, manager_a
):
    from tests.portfolio.factories import make_project

    hidden = make_project("DOC-CONF", ministry_a, axis, manager=manager_a, classification=Classification.CONFIDENTIAL)
    document = make_document(coordinator_a, title="وثيقة-مرتبطة", projects=[hidden])
    mine = client_for(viewer_a).get(f"/en/documents/{document.pk}/").content.decode()
    assert f"/projects/{hidden.pk}/" in mine  # positive control: the ministry's staff see the link
    other = client_for(coordinator_b).get(f"/en/documents/{document.pk}/").content.decode()
    assert "وثيقة-مرتبطة" in other and f"/projects/{hidden.pk}/" not in other


def test_a_document_is_added_from_the_page_and_a_scan_is_kept_with_a_warning(coordinator_a, client_for, ministry_a):
    client = client_for(coordinator_a)
    assert client.get("/en/documents/new/").status_code == 200
    response = client.post(
        "/en/documents/new/",
        {
            "title": "مسح ضوئي",
            "kind": "minutes",
            "organization": ministry_a.pk,
            "language": "ar",
            "classification": "restricted",
            "file": upload("scan.pdf", blank_pdf_bytes()),
        },
        follow=True,
    )
    assert response.status_code == 200
    document = Document.objects.get()
    assert document.text_status == TextStatus.NO_TEXT_LAYER
    assert "no text layer" in response.content.decode()


def test_a_misnamed_file_is_refused_on_the_page_with_the_reason(coordinator_a, client_for, ministry_a):
    response = client_for(coordinator_a).post(
        "/en/documents/new/",
        {
            "title": "مزيف",
            "kind": "law",
            "organization": ministry_a.pk,
            "language": "ar",
            "classification": "restricted",
            "file": upload("law.pdf", b"<html><body><p>not a pdf</p></body></html>"),
        },
    )
    assert response.status_code == 400
    assert "does not match its content" in response.content.decode()
    assert not Document.objects.exists()


def test_a_viewer_and_the_public_cannot_add(client_for, viewer_a):
    assert client_for(viewer_a).get("/en/documents/new/").status_code == 403
    assert client_for(None).get("/en/documents/new/").status_code == 302  # to sign in


def test_a_new_version_is_added_from_the_page(coordinator_a, client_for):
    document = make_document(coordinator_a, text="الأولى")
    response = client_for(coordinator_a).post(
        f"/en/documents/{document.pk}/versions/new/",
        {"expected_version": document.version, "file": upload("v2.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert ARABIC_TITLE in document.text and document.versions.count() == 2
