"""`bench.load_data verify`: every acknowledged write looked for in the database, every job built twice counted."""

import json

import pytest

from bench.load_data import verify
from masar.core.roles import Role
from masar.exports.models import Export, ExportStatus
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def export(user, status):
    return Export.objects.create(user=user, kind="projects", format="csv", query="", language="ar", status=status)


def figures(capsys, acks_path, acks):
    acks_path.write_text("".join(json.dumps(ack) + "\n" for ack in acks))
    verify(acks_path)
    return dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())


def test_it_counts_an_acknowledged_write_missing_from_the_database(tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user("analyst", Role.NATIONAL_ADMIN, None)
    kept = export(user, ExportStatus.DONE)
    acks = [{"kind": "export_request", "key": kept.pk}, {"kind": "export_request", "key": kept.pk + 1000}]
    result = figures(capsys, tmp_path / "acks.jsonl", acks)
    assert result["acknowledged_writes"] == "2"
    assert result["lost_writes"] == "1"
    assert result["lost_export_request"] == "1"


def test_nothing_is_lost_when_every_acknowledged_write_is_there(tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user("analyst", Role.NATIONAL_ADMIN, None)
    acks = [{"kind": "export_request", "key": export(user, ExportStatus.DONE).pk}]
    result = figures(capsys, tmp_path / "acks.jsonl", acks)
    assert (result["lost_writes"], result["jobs_unfinished"]) == ("0", "0")


def test_a_job_built_twice_leaves_two_files_and_is_a_duplicate(tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user("analyst", Role.NATIONAL_ADMIN, None)
    twice, once, stuck = (
        export(user, ExportStatus.DONE),
        export(user, ExportStatus.DONE),
        export(user, ExportStatus.RUNNING),
    )
    folder = tmp_path / "media" / "exports"
    folder.mkdir(parents=True)
    for name in (f"{twice.pk}-projects.csv", f"{twice.pk}-projects_Ab12Cd3.csv", f"{once.pk}-projects.csv"):
        (folder / name).write_text("x")
    acks = [{"kind": "export_request", "key": job.pk} for job in (twice, once, stuck)]
    result = figures(capsys, tmp_path / "acks.jsonl", acks)
    assert result["duplicate_jobs"] == "1"
    assert result["jobs_unfinished"] == "1"
