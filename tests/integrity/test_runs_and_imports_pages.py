"""The detection runs page (progress, a run asked for now) and the import page (all of a file or nothing)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from masar.integrity.detection import detection_run
from masar.integrity.models import DetectionRun, Supplier, TaxStatus, Tender
from tests.integrity.factories import make_inspector, make_supplier, make_tender


def _release(ocid, amount):
    bid = {"id": "b", "status": "valid", "value": {"amount": amount, "currency": "TND"}}
    return {"ocid": ocid, "id": f"{ocid}-1", "date": "2025-05-01T00:00:00Z", "tag": ["tender"],
            "initiationType": "tender", "tender": {"id": ocid, "title": "صفقة"},
            "bids": {"details": [bid]}}  # fmt: skip


def test_the_runs_page_shows_progress_and_queues_a_run_for_the_inspectorate(gov, ministry_a, client_for, coordinator_a):
    make_tender(buyer=ministry_a)
    detection_run(codes=["R003"], statistics=False)
    inspector = client_for(make_inspector(gov))
    page = inspector.get("/en/integrity/runs/")
    assert page.status_code == 200 and "R003" in page.content.decode()
    assert inspector.post("/en/integrity/runs/").status_code == 302
    queued = DBTaskResult.objects.filter(task_path__endswith="integrity_scan")
    assert queued.count() == 1  # the worker will run it
    refused = client_for(coordinator_a)
    assert refused.get("/en/integrity/runs/").status_code == 403
    assert refused.post("/en/integrity/runs/").status_code == 403
    assert queued.count() == 1
    assert DetectionRun.objects.count() == 1


def test_the_national_unit_imports_ocds_and_a_bad_file_changes_nothing(national, ministry_a, client_for):
    client = client_for(national)
    bad = json.dumps({"releases": [_release("ocds-page-1", 10), _release("ocds-page-2", -1)]}).encode()
    form = {"kind": "ocds", "owner": ministry_a.pk, "classification": "restricted"}
    answer = client.post("/en/integrity/import/", {**form, "file": SimpleUploadedFile("p.json", bad)})
    assert answer.status_code == 400
    assert "/releases/1/bids/details/0/value/amount" in answer.content.decode()
    assert not Tender.objects.exists()
    good = json.dumps({"releases": [_release("ocds-page-1", 10)]}).encode()
    answer = client.post("/en/integrity/import/", {**form, "file": SimpleUploadedFile("p.json", good)})
    assert answer.status_code == 302
    assert Tender.objects.get().owner == ministry_a


def test_tax_reports_are_imported_from_a_file_and_others_may_not(national, ministry_a, client_for, coordinator_a):
    make_supplier("TAXP-1", owner=ministry_a)
    csv = "identifier,status,as_of\nTAXP-1,غير ملتزم,2025-06-30\n".encode()
    assert client_for(coordinator_a).get("/en/integrity/import/").status_code == 403
    answer = client_for(national).post(
        "/en/integrity/import/",
        {"kind": "tax_csv", "classification": "restricted", "file": SimpleUploadedFile("t.csv", csv)},
    )
    assert answer.status_code == 302
    assert Supplier.objects.get(identifier="TAXP-1").tax_status == TaxStatus.NON_COMPLIANT
