"""Jobs that survive their worker: one claim at a time, results recorded once, retried when a worker dies."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masar.audit.models import AuditEntry
from masar.core.context import current_request_id, reset_request_id, set_request_id
from masar.core.jobs import JobFailure, LeaseLost, job_claim, job_task, jobs_overview, jobs_sweep
from masar.exports.models import Export, ExportStatus
from masar.exports.services import export_build, export_request
from masar.imports.models import ExternalReference, ImportJob, ImportStatus
from masar.imports.services import import_run, import_start
from masar.portfolio.models import Project
from masar.reports.models import CouncilPack, PackStatus
from masar.reports.services import pack_build, pack_request
from tests.imports.factories import csv_file, project_row


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_MAX_ATTEMPTS = 3
    return tmp_path


@job_task
def request_id_seen():
    """A task that tells which request id it ran under."""
    return current_request_id()


def expire(model, pk):
    """Let a job's lease run out, as when its worker was killed."""
    model.objects.filter(pk=pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))


def tasks_for(task_name, pk):
    results = DBTaskResult.objects.order_by("enqueued_at")
    return [r for r in results if r.task_path.endswith(task_name) and r.args_kwargs["args"] == [pk]]


def completions(model, pk):
    return AuditEntry.objects.filter(content_type__model=model._meta.model_name, object_id=str(pk)).count()


def test_of_two_claims_on_one_job_only_one_takes_it(national):
    pack = CouncilPack.objects.create(requested_by=national, classification="restricted")
    first, second = job_claim(CouncilPack, pack.pk), job_claim(CouncilPack, pack.pk)
    assert first is not None and second is None
    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.claim_token) == (PackStatus.RUNNING, 1, first.token)
    assert pack.lease_expires_at > timezone.now()


def test_an_attempt_whose_lease_was_taken_over_records_nothing(national, media):
    pack = CouncilPack.objects.create(requested_by=national, classification="restricted")
    stale = job_claim(CouncilPack, pack.pk)
    expire(CouncilPack, pack.pk)
    fresh = job_claim(CouncilPack, pack.pk)
    assert fresh is not None and fresh.attempt == 2
    (media / "packs").mkdir()
    (media / "packs" / "stale.pdf").write_bytes(b"%PDF half")

    with pytest.raises(LeaseLost):
        stale.heartbeat(progress=90)
    with pytest.raises(LeaseLost):
        stale.finish(status=PackStatus.DONE, written="packs/stale.pdf", file="packs/stale.pdf", progress=100)
    assert stale.fail(error="late") is False

    pack.refresh_from_db()
    assert (pack.status, pack.progress, pack.file.name, pack.error) == (PackStatus.RUNNING, 0, "", "")
    assert pack.claim_token == fresh.token
    assert not (media / "packs" / "stale.pdf").exists()  # the stale attempt's file is not left behind
    assert completions(CouncilPack, pack.pk) == 0
    fresh.finish(status=PackStatus.DONE, progress=100)  # positive control: the holder records its result
    pack.refresh_from_db()
    assert (pack.status, pack.progress, pack.claim_token) == (PackStatus.DONE, 100, "")
    assert completions(CouncilPack, pack.pk) == 1


def test_building_a_pack_twice_builds_it_once(national, media):
    pack = pack_request(user=national, language="fr", classification="restricted")
    pack_build(pack_id=pack.pk)
    pack_build(pack_id=pack.pk)  # the task delivered a second time
    pack.refresh_from_db()
    assert (pack.status, pack.progress, pack.attempts) == (PackStatus.DONE, 100, 1)
    assert [p.name for p in (media / "packs").iterdir()] == [pack.file.name.split("/")[-1]]
    assert completions(CouncilPack, pack.pk) == 1


def test_an_export_run_twice_writes_one_file(coordinator_a, media):
    export = export_request(user=coordinator_a, kind="projects", fmt="csv", query="", language="en", total=0)
    export_build(export=export)
    finished_at = Export.objects.get(pk=export.pk).finished_at
    export_build(export=export)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.finished_at) == (ExportStatus.DONE, 1, finished_at)
    assert len(list((media / "exports").iterdir())) == 1
    assert completions(Export, export.pk) == 1


def test_an_import_run_twice_saves_its_rows_once(axis, coordinator_a, settings):
    settings.IMPORT_WORKER_ROWS = 0  # every file goes to the worker
    rows = [project_row(), project_row("P2", "IMP-2")]
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    assert job.status == ImportStatus.QUEUED and not Project.objects.exists()

    import_run(job.pk)
    trail, references = AuditEntry.objects.count(), ExternalReference.objects.count()
    again = import_run(job.pk)  # delivered twice

    assert (again.status, again.created_count, again.attempts) == (ImportStatus.DONE, 2, 1)
    assert Project.objects.count() == 2 and ExternalReference.objects.count() == references > 0
    assert AuditEntry.objects.count() == trail


def test_an_import_whose_worker_died_is_saved_once_by_the_retry(axis, coordinator_a, settings):
    settings.IMPORT_WORKER_ROWS = 0
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file([project_row()]), dry_run=False)
    dead = job_claim(ImportJob, job.pk)  # a worker took it, then was killed before committing anything
    expire(ImportJob, job.pk)

    retried = import_run(job.pk)

    assert (retried.status, retried.created_count, retried.attempts) == (ImportStatus.DONE, 1, 2)
    with pytest.raises(LeaseLost):
        dead.finish(status=ImportStatus.DONE, created_count=99)
    assert ImportJob.objects.get(pk=job.pk).created_count == 1
    assert Project.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweep_queues_a_job_whose_worker_died_and_it_then_completes_once(national, client_for):
    token = set_request_id("req-pack-1")
    try:
        pack = pack_request(user=national, language="ar", classification="restricted")
    finally:
        reset_request_id(token)
    assert len(tasks_for("build_council_pack", pack.pk)) == 1
    assert job_claim(CouncilPack, pack.pk) is not None  # the worker took it and died
    assert jobs_sweep().requeued == 0  # a living lease is left alone
    expire(CouncilPack, pack.pk)

    outcome = jobs_sweep()

    pack.refresh_from_db()
    assert (outcome.requeued, outcome.failed, pack.status, pack.attempts) == (1, 0, PackStatus.QUEUED, 1)
    queued = tasks_for("build_council_pack", pack.pk)
    assert len(queued) == 2 and queued[-1].args_kwargs["kwargs"] == {"request_id": "req-pack-1"}
    page = client_for(national).get(f"/en/reports/packs/{pack.pk}/").content.decode()
    assert "The worker preparing it stopped; it will be tried again (attempt 2 of 3)." in page

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.progress) == (PackStatus.DONE, 2, 100)
    assert completions(CouncilPack, pack.pk) == 1
    assert jobs_sweep().requeued == 0


def test_after_its_last_attempt_a_job_fails_and_says_why(national, client_for):
    pack = CouncilPack.objects.create(requested_by=national, classification="restricted")
    CouncilPack.objects.filter(pk=pack.pk).update(attempts=2)
    assert job_claim(CouncilPack, pack.pk).attempt == 3
    page = client_for(national).get(f"/en/reports/packs/{pack.pk}/").content.decode()
    assert "Attempt 3 of 3." in page
    expire(CouncilPack, pack.pk)
    assert jobs_overview()["reports.councilpack"]["stalled"] == 1
    assert "seems to have stopped" in client_for(national).get(f"/en/reports/packs/{pack.pk}/").content.decode()

    outcome = jobs_sweep()

    pack.refresh_from_db()
    assert (outcome.requeued, outcome.failed) == (0, 1)
    assert (pack.status, pack.failure, pack.claim_token) == (PackStatus.FAILED, JobFailure.WORKER_LOST, "")
    assert job_claim(CouncilPack, pack.pk) is None
    page = client_for(national).get(f"/en/reports/packs/{pack.pk}/").content.decode()
    assert str(JobFailure.WORKER_LOST.label) in page
    assert jobs_overview()["reports.councilpack"] == {
        "queued": 0,
        "running": 0,
        "stalled": 0,
        "waiting": 0,
        "failed": 1,
        "worker_lost": 1,
    }


@pytest.mark.django_db(transaction=True)
def test_a_request_with_the_queue_away_is_answered_and_the_job_queued_when_it_returns(national, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:18401/0", "DEFAULT_TIMEOUT": 60}}  # nobody there

    response = client_for(national).post("/en/reports/packs/new/", {"language": "ar", "classification": "restricted"})

    pack = CouncilPack.objects.get()
    assert response.status_code == 302 and (pack.status, pack.enqueued_at) == (PackStatus.QUEUED, None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the queue is back
    assert jobs_sweep().resent == 1
    assert len(tasks_for("build_council_pack", pack.pk)) == 1
    assert CouncilPack.objects.get().enqueued_at is not None
    assert jobs_sweep().resent == 0  # queued once, not at every sweep


@pytest.mark.django_db(transaction=True)
def test_a_task_runs_under_the_request_id_it_was_queued_with():
    from masar.core.jobs import task_enqueue

    token = set_request_id("req-42")
    try:
        assert task_enqueue(request_id_seen)
    finally:
        reset_request_id(token)
    assert current_request_id() == ""

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    result = DBTaskResult.objects.get()
    assert (result.status, result.return_value) == ("SUCCESSFUL", "req-42")


def test_every_job_model_shares_the_lease_statuses():
    from masar.core.jobs import JobStatus, job_models

    models = job_models()
    assert {m.__name__ for m in models} == {"CouncilPack", "Export", "ImportJob"}
    for model in models:
        assert set(JobStatus.values) <= {value for value, _label in model._meta.get_field("status").choices}


def test_a_webhook_delivery_whose_task_was_lost_is_sent_once_by_the_sweep(ministry_a, axis, settings):
    from masar.portfolio.services import project_update
    from masar.webhooks.models import DeliveryStatus, EventType, WebhookDelivery
    from tests.portfolio.factories import make_project
    from tests.webhooks.factories import Receiver, make_client, subscribe

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    with Receiver() as receiver:
        subscribe(make_client(ministry_a), receiver, EventType.PROJECT_CHANGED)
        project = make_project("P-LOST", ministry_a, axis)
        project_update(project=project, actor=None, expected_version=project.version, name_en="Changed")
        # The commit's task never ran (the test's transaction is not committed): as if Redis had been away.
        delivery = WebhookDelivery.objects.get()
        assert jobs_sweep().resent == 0  # not overdue yet: its task may still be in the queue
        WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))

        assert jobs_sweep().resent == 1
        assert jobs_sweep().resent == 0

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, len(receiver.requests)) == (DeliveryStatus.DELIVERED, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_an_import_on_postgresql_extends_its_lease_through_a_second_connection(coordinator_a):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("the second connection is PostgreSQL's (set DATABASE_URL to run it)")
    job = ImportJob.objects.create(user=coordinator_a, kind="projects", format="csv", filename="f.csv")
    claim = job_claim(ImportJob, job.pk)
    side = connections.create_connection("default")
    try:
        ImportJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
        claim.heartbeat(via=side, processed_rows=7)
        job.refresh_from_db()
        assert job.processed_rows == 7 and job.lease_expires_at > timezone.now() + datetime.timedelta(seconds=10)
        expire(ImportJob, job.pk)
        assert job_claim(ImportJob, job.pk) is not None  # another attempt took it over
        with pytest.raises(LeaseLost):
            claim.heartbeat(via=side, processed_rows=9)
        assert ImportJob.objects.get(pk=job.pk).processed_rows == 7
    finally:
        side.close()
