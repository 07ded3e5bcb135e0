"""Finished exports and council packs lose their file after the retention period; their pages say so,
each deletion is in the audit trail, and the nightly job does it."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from masar.audit.models import Action, AuditEntry
from masar.core.models import Classification
from masar.exports.models import Export, ExportFormat, ExportKind, ExportStatus
from masar.exports.retention import files_expire
from masar.reports.models import CouncilPack, PackStatus

NOW = timezone.now()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def finished_export(user, *, days_ago, status=ExportStatus.DONE):
    export = Export.objects.create(
        user=user, kind=ExportKind.PROJECTS, format=ExportFormat.CSV, language="ar", status=status
    )
    export.file.save("projects.csv", ContentFile(b"code\nP-1\n"))
    Export.objects.filter(pk=export.pk).update(finished_at=NOW - datetime.timedelta(days=days_ago))
    export.refresh_from_db()
    return export


def finished_pack(user, *, days_ago):
    pack = CouncilPack.objects.create(requested_by=user, classification=Classification.PUBLIC, status=PackStatus.DONE)
    pack.file.save("pack.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    CouncilPack.objects.filter(pk=pack.pk).update(finished_at=NOW - datetime.timedelta(days=days_ago))
    pack.refresh_from_db()
    return pack


def test_files_past_their_retention_are_deleted_and_the_rest_kept(national, media, settings):
    settings.EXPORT_RETENTION_DAYS, settings.PACK_RETENTION_DAYS = 7, 30
    old_export, new_export = finished_export(national, days_ago=8), finished_export(national, days_ago=6)
    old_pack, new_pack = finished_pack(national, days_ago=31), finished_pack(national, days_ago=29)
    old_paths = [media / old_export.file.name, media / old_pack.file.name]
    assert all(path.exists() for path in old_paths)
    assert files_expire(now=NOW) == {"exports_expired": 1, "packs_expired": 1}
    assert not any(path.exists() for path in old_paths)
    for row in (old_export, old_pack):
        row.refresh_from_db()
        assert row.file.name == "" and row.is_expired
    for row in (new_export, new_pack):  # within their period: untouched
        row.refresh_from_db()
        assert row.file.name and (media / row.file.name).exists() and not row.is_expired
    entries = AuditEntry.objects.filter(action=Action.UPDATE, changes__has_key="file")
    assert {(e.content_type.model, e.object_id) for e in entries} == {
        ("export", str(old_export.pk)),
        ("councilpack", str(old_pack.pk)),
    }
    assert files_expire(now=NOW) == {"exports_expired": 0, "packs_expired": 0}  # running twice changes nothing more
    assert AuditEntry.objects.filter(action=Action.UPDATE, changes__has_key="file").count() == 2


def test_a_file_already_missing_still_expires_its_row(national, media):
    export = finished_export(national, days_ago=30)
    (media / export.file.name).unlink()
    assert files_expire(now=NOW)["exports_expired"] == 1
    export.refresh_from_db()
    assert export.is_expired


def test_the_pages_say_the_file_has_expired_instead_of_a_404(national, client_for, settings):
    settings.EXPORT_RETENTION_DAYS, settings.PACK_RETENTION_DAYS = 7, 30
    export, pack = finished_export(national, days_ago=8), finished_pack(national, days_ago=31)
    client = client_for(national)
    link = f'href="/en/exports/{export.pk}/download/"'
    assert link in client.get(f"/en/exports/{export.pk}/").content.decode()  # positive control
    files_expire(now=NOW)
    page = client.get(f"/en/exports/{export.pk}/")
    assert page.status_code == 200 and "This file was deleted 7 days after it was made" in page.content.decode()
    assert link not in page.content.decode()
    download = client.get(f"/en/exports/{export.pk}/download/")
    assert download.status_code == 302 and download["Location"] == f"/en/exports/{export.pk}/"
    page = client.get(f"/en/reports/packs/{pack.pk}/")
    assert page.status_code == 200 and "This PDF was deleted 30 days after it was prepared" in page.content.decode()
    download = client.get(f"/en/reports/packs/{pack.pk}/pdf/")
    assert download.status_code == 302 and download["Location"] == f"/en/reports/packs/{pack.pk}/"


def test_the_command_and_the_nightly_job_expire_the_files(national):
    export = finished_export(national, days_ago=8)
    out = io.StringIO()
    call_command("files_expire", stdout=out)
    assert out.getvalue().strip() == "exports_expired=1 packs_expired=0"
    export.refresh_from_db()
    assert export.is_expired
    from masar.delivery.tasks import nightly

    pack = finished_pack(national, days_ago=31)
    nightly.call()
    pack.refresh_from_db()
    assert pack.is_expired
