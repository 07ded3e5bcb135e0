"""Anchors: the trail's head kept outside the table catches the removal of the newest entries and a rewrite."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from masar.audit.anchors import anchors_check, audit_anchor_write
from masar.audit.models import AuditEntry
from tests.audit.tampering import execute, hmac_with, rewrite
from tests.portfolio.factories import make_project


@pytest.fixture
def anchors(settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.AUDIT_ANCHOR_DIR


def verify_anchors():
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", "--anchors", stdout=out)
    return out.getvalue().splitlines(), caught.value


def test_an_anchor_is_a_signed_read_only_file_naming_the_head(anchors, ministry_a, axis):
    make_project("P-1", ministry_a, axis)
    out = io.StringIO()
    call_command("audit_anchor", stdout=out)
    (path,) = anchors.glob("anchor-*.json")
    head = AuditEntry.objects.order_by("-seq").first()
    anchor = json.loads(path.read_text())
    assert (anchor["seq"], anchor["entry_id"], anchor["hash"]) == (head.seq, head.pk, head.hash)
    assert len(anchor["signature"]) == 64 and str(path) in out.getvalue()
    assert path.stat().st_mode & 0o222 == 0
    call_command("audit_verify", "--anchors", stdout=io.StringIO())  # positive control: passes


def test_removing_the_newest_entries_is_caught_only_with_anchors(anchors, ministry_a, axis):
    make_project("P-1", ministry_a, axis)
    audit_anchor_write()
    anchored = AuditEntry.objects.order_by("-seq").first()
    make_project("P-2", ministry_a, axis)
    # Cut the trail from just before the anchored entry to the end: what is left is a whole chain.
    newest = AuditEntry.objects.filter(seq__gte=anchored.seq - 1).values_list("pk", flat=True)
    execute(f"DELETE FROM audit_auditentry WHERE id IN ({','.join(str(pk) for pk in newest)})")
    call_command("audit_verify", stdout=io.StringIO())  # the chain alone still looks whole
    lines, error = verify_anchors()
    assert "1 problem" in str(error)
    (line,) = lines
    assert line.startswith(
        f"BROKEN seq {anchored.seq} (entry #{anchored.pk}): the trail ends at seq {anchored.seq - 2}"
    )
    assert "the newest entries were removed" in line


def test_a_rewritten_anchored_entry_is_caught_even_with_the_key(anchors, ministry_a, axis):
    make_project("P-1", ministry_a, axis)
    audit_anchor_write()
    head = AuditEntry.objects.order_by("-seq").first()
    # Someone holding the key re-signs the entry: the chain verifies, the anchor does not match.
    from masar.audit import keys

    rewrite(head, changes={}, rehash=hmac_with(keys.current_key()[1]))
    call_command("audit_verify", stdout=io.StringIO())
    lines, _ = verify_anchors()
    assert len(lines) == 1 and lines[0].startswith(f"BROKEN seq {head.seq}") and "(rewritten)" in lines[0]


def test_a_forged_or_missing_anchor_is_reported(anchors, ministry_a, axis):
    assert [str(f) for f in anchors_check()] == [f"trail: no anchors in {anchors}: cannot check for truncation"]
    make_project("P-1", ministry_a, axis)
    path = audit_anchor_write()
    forged = json.loads(path.read_text())
    forged["seq"] += 100
    (anchors / "anchor-29990101T000000000000Z-seq999.json").write_text(json.dumps(forged))
    (problem,) = anchors_check()
    assert "bad signature" in str(problem)


def test_the_nightly_task_writes_an_anchor(anchors, ministry_a):
    from masar.delivery.tasks import nightly

    result = nightly.call()
    (anchor,) = anchors.glob("anchor-*.json")
    assert result["audit_anchor"] == str(anchor) and result["audit_drift"] == 0


def test_postgresql_refuses_update_and_delete_on_the_trail(ministry_a):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger of the tests' schema is PostgreSQL's")
    from django.db import ProgrammingError, transaction

    entry = AuditEntry.objects.first()
    for sql in (
        "UPDATE audit_auditentry SET changes = '{}' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).changes == entry.changes
