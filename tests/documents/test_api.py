"""The document library through the API: adding as multipart/form-data, reading what the caller may read."""

from masar.core.models import Classification
from masar.documents.models import Document, TextStatus
from tests.api.factories import bearer, ids, make_system, system_bearer
from tests.documents.factories import ARABIC_TITLE, blank_pdf_bytes, make_document, pdf_bytes, upload

URL = "/api/v1/documents/"


def post(client, **data):
    return client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_person_adds_a_pdf_and_gets_201_with_its_id(coordinator_a, ministry_a):
    response = post(
        bearer(coordinator_a),
        title="استراتيجية",
        kind="strategy",
        classification="restricted",
        date="2021-08-31",
        file=upload("strategie.pdf", pdf_bytes()),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    document = Document.objects.get(pk=body["id"])
    assert ARABIC_TITLE in document.text
    assert body["organization"]["code"] == ministry_a.code and body["date"] == "2021-08-31"
    assert body["text_status"] == TextStatus.EXTRACTED and body["warning"] is None
    assert body["url"].endswith(f"/documents/{document.pk}/")


def test_a_pasted_text_and_an_organization_code_are_taken(coordinator_a, directorate_a):
    response = post(
        bearer(coordinator_a),
        title="بلاغ",
        kind="communique",
        classification="public",
        text="نص البلاغ",
        organization="MIN-A-D1",
    )
    assert response.status_code == 201, response.content
    assert Document.objects.get(pk=response.json()["id"]).organization == directorate_a


def test_a_scan_is_kept_with_a_warning(coordinator_a):
    response = post(
        bearer(coordinator_a), title="مسح", classification="restricted", file=upload("s.pdf", blank_pdf_bytes())
    )
    assert response.status_code == 201
    assert response.json()["text_status"] == TextStatus.NO_TEXT_LAYER and "no text layer" in response.json()["warning"]


def test_bad_files_and_fields_are_problems_naming_the_field(coordinator_a):
    client = bearer(coordinator_a)
    misnamed = post(client, title="مزيف", classification="restricted", file=upload("x.pdf", b"<html><p>x</p></html>"))
    assert misnamed.status_code == 400 and misnamed["Content-Type"] == "application/problem+json"
    assert misnamed.json()["errors"][0]["pointer"] == "body.file"
    assert "does not match its content" in misnamed.json()["errors"][0]["detail"]
    secret = post(client, title="سري", classification="secret", text="نص")
    assert secret.status_code == 422 and "secret" in secret.content.decode()
    missing = post(client, classification="restricted", text="نص")
    assert missing.status_code == 422
    unknown = post(client, title="ع", classification="public", text="نص", organization="NOPE")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["pointer"] == "body.organization"
    assert not Document.objects.exists()


def test_a_viewer_and_another_ministry_may_not_add(viewer_a, coordinator_b, ministry_a, coordinator_a):
    assert post(bearer(viewer_a), title="ع", classification="public", text="نص").status_code == 403
    assert (
        post(bearer(coordinator_b), title="ع", classification="public", text="نص", organization="MIN-A").status_code
        == 403
    )
    assert not Document.objects.exists()
    assert post(bearer(coordinator_a), title="ع", classification="public", text="نص").status_code == 201


def test_a_system_writes_documents_only_with_the_scope(ministry_a, ministry_b):
    writer = make_system(ministry_a, ["documents:read", "documents:write"], name="writer")
    reader = make_system(ministry_a, ["documents:read"], name="reader")
    refused = post(system_bearer(reader), title="ع", classification="public", text="نص")
    assert refused.status_code == 403 and "may not write documents" in refused.json()["detail"]
    assert (
        post(system_bearer(writer), title="ع", classification="public", text="نص", organization="MIN-B").status_code
        == 403
    )
    created = post(system_bearer(writer), title="ع", classification="restricted", text="نص")
    assert created.status_code == 201 and created.json()["organization"]["code"] == "MIN-A"
    assert Document.objects.count() == 1


def test_reading_gives_each_caller_what_they_may_read(coordinator_a, viewer_a, coordinator_b):
    confidential = make_document(coordinator_a, title="مكتوم", classification=Classification.CONFIDENTIAL)
    restricted = make_document(coordinator_a, title="محدود", classification=Classification.RESTRICTED)
    assert ids(bearer(viewer_a).get(URL)) == {confidential.pk, restricted.pk}
    assert ids(bearer(coordinator_b).get(URL)) == {restricted.pk}
    read = bearer(viewer_a).get(f"{URL}{confidential.pk}/")
    assert read.status_code == 200 and read.json()["text"] == "نص الوثيقة" and len(read.json()["versions"]) == 1
    assert bearer(coordinator_b).get(f"{URL}{confidential.pk}/").status_code == 404
    assert bearer(coordinator_b).get(f"{URL}{restricted.pk}/").status_code == 200


def test_a_system_reads_only_its_organizations_documents(coordinator_a, coordinator_b, ministry_b):
    mine = make_document(coordinator_b, title="ب", classification=Classification.RESTRICTED)
    theirs = make_document(coordinator_a, title="أ", classification=Classification.PUBLIC)
    system = system_bearer(make_system(ministry_b, ["documents:read"]))
    assert ids(system.get(URL)) == {mine.pk}
    assert system.get(f"{URL}{theirs.pk}/").status_code == 404


def test_the_list_is_paged(coordinator_a):
    for n in range(3):
        make_document(coordinator_a, title=f"و{n}")
    first = bearer(coordinator_a).get(f"{URL}?limit=1").json()
    assert first["count"] == 3 and len(first["results"]) == 1 and first["next"]


def test_a_body_over_the_documents_limit_is_refused_before_it_is_read(coordinator_a, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    response = bearer(coordinator_a).post(
        URL, data=b"x" * 10, content_type="multipart/form-data; boundary=b", CONTENT_LENGTH=str(3 * 1024 * 1024)
    )
    assert response.status_code == 413
