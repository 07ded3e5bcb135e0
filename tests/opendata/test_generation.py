"""Published files hold the public rows only, checked again at every generation."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.utils.translation import override

from masar.core.errors import Invalid
from masar.core.models import Classification
from masar.opendata.models import PublicationStatus, Resource
from masar.opendata.services import publication_propose, publications_refresh
from masar.portfolio.services import project_update
from tests.opendata.factories import make_dataset, make_publication


def _codes(publication, fmt):
    content = bytes(Resource.objects.get(publication=publication, format=fmt).content)
    if fmt == "csv":
        return {row["code"] for row in csv.DictReader(io.StringIO(content.decode("utf-8")))}
    if fmt == "json":
        return {row["code"] for row in json.loads(content)["data"]}
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("code")
    return {row[column] for row in rows[1:]}


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_files_hold_the_public_projects_only(open_projects, fmt):
    publication, shown, restricted, hidden = open_projects
    assert publication.status == PublicationStatus.PUBLISHED
    assert _codes(publication, fmt) == {shown.code}


def test_a_project_classified_later_leaves_the_next_generation(open_projects, national):
    publication, shown, _restricted, _hidden = open_projects
    before = Resource.objects.get(publication=publication, format="csv")
    project_update(
        actor=national, project=shown, classification=Classification.RESTRICTED, expected_version=shown.version
    )
    counts = publications_refresh()
    assert counts["changed"] == 1
    assert _codes(publication, "csv") == set()
    after = Resource.objects.get(publication=publication, format="csv")
    assert after.modified_at > before.modified_at and after.sha256 != before.sha256


def test_an_unchanged_dataset_keeps_its_files_and_dates(open_projects):
    publication, *_ = open_projects
    before = {r.format: (r.sha256, r.modified_at) for r in Resource.objects.filter(publication=publication)}
    counts = publications_refresh(force=False)
    assert counts == {"checked": 1, "generated": 0, "changed": 0}
    assert publications_refresh(force=True)["changed"] == 1  # forced: written again, same rows
    after = {r.format: r.sha256 for r in Resource.objects.filter(publication=publication)}
    assert after["csv"] == before["csv"][0] and after["json"] == before["json"][0]


def test_the_files_never_hold_classification_staff_or_notes(open_projects):
    publication, *_ = open_projects
    document = json.loads(bytes(Resource.objects.get(publication=publication, format="json").content))
    names = {field["name"] for field in document["schema"]["fields"]}
    assert "code" in names
    assert not names & {"classification", "manager", "comment", "reason", "email"}


def test_a_confidential_dataset_is_refused_with_the_reason(gov, national, program):
    dataset = make_dataset("secret-ish", gov, by=national, classification=Classification.CONFIDENTIAL)
    publication = make_publication("confidential-one", dataset, by=national, strategy=program)
    with override("en"), pytest.raises(Invalid, match="only public data is published"):
        publication_propose(actor=national, publication=publication)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.DRAFT


def test_a_file_is_served_with_its_etag_and_answers_304_when_unchanged(open_projects, client):
    publication, shown, *_ = open_projects
    response = client.get(f"/opendata/files/{publication.name}.csv")
    assert response.status_code == 200
    assert shown.code in response.content.decode("utf-8")
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(f"/opendata/files/{publication.name}.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_withdrawn_or_unknown_file_is_not_found(open_projects, client, national):
    from masar.opendata.models import PublicationAction
    from masar.opendata.services import publication_decide

    publication, *_ = open_projects
    assert client.get(f"/opendata/files/{publication.name}.json").status_code == 200
    publication_decide(actor=national, publication=publication, action=PublicationAction.WITHDRAW, reason="خطأ")
    assert client.get(f"/opendata/files/{publication.name}.json").status_code == 404
    assert client.get("/opendata/files/nothing-here.json").status_code == 404


def test_a_failed_generation_keeps_the_previous_files_and_tells_the_steward(
    open_projects, settings, axis, ministry_a, program, national
):
    from masar.delivery.models import Notification
    from tests.portfolio.factories import make_project

    publication, shown, *_ = open_projects
    before = Resource.objects.get(publication=publication, format="json")
    settings.OPEN_DATA_MAX_ROWS = 1
    make_project("OPEN-2", ministry_a, axis, strategy=program)
    counts = publications_refresh()
    assert counts["generated"] == 1 and counts["changed"] == 0
    publication.refresh_from_db()
    assert "1" in publication.last_error and publication.last_error_at is not None
    assert _codes(publication, "json") == {shown.code}  # the previous version stays published
    assert Resource.objects.get(publication=publication, format="json").sha256 == before.sha256
    told = Notification.objects.filter(user=national, kind=Notification.Kind.OPEN_DATA_FAILED)
    assert told.count() == 1
    settings.OPEN_DATA_MAX_ROWS = 1000
    assert publications_refresh()["changed"] == 1  # the next run, within the limit, publishes and clears the error
    publication.refresh_from_db()
    assert publication.last_error == "" and _codes(publication, "json") == {shown.code, "OPEN-2"}


def test_control_characters_typed_in_a_name_do_not_break_the_spreadsheet(open_projects, national):
    publication, shown, *_ = open_projects
    project_update(actor=national, project=shown, name_fr="Portail\x0bnational", expected_version=shown.version)
    assert publications_refresh()["changed"] == 1
    publication.refresh_from_db()
    assert publication.last_error == ""
    assert _codes(publication, "xlsx") == {shown.code}


def test_progress_comes_from_public_approved_updates_only(open_projects, national, manager_a):
    from masar.core.services import model_update
    from tests.delivery.factories import make_update

    publication, shown, *_ = open_projects
    shown.manager = manager_a
    shown.save()

    def spend():
        document = json.loads(bytes(Resource.objects.get(publication=publication, format="json").content))
        return [row["spend_to_date"] for row in document["data"] if row["code"] == shown.code]

    update = make_update(shown, datetime.date(2026, 3, 1), 4200, by=manager_a, reviewer=national)
    publications_refresh()
    assert spend() == [None]  # restricted by default: internal material
    model_update(
        instance=update, actor=national, data={"classification": Classification.PUBLIC}, expected_version=update.version
    )
    assert publications_refresh()["changed"] == 1  # the update's change is seen, though the project did not change
    assert spend() == [4200]
