"""The keyed chain: tampering by someone who can write the table but does not hold the key is caught, and
every problem is reported, one line each."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from masar.audit import keys
from masar.audit.models import AuditEntry
from masar.audit.services import audit_verify
from masar.core.context import reset_request_id, set_request_id
from tests.audit.tampering import execute, hmac_with, plain_sha256, rewrite
from tests.portfolio.factories import make_project

OTHER_KEY = "k" * 40


def verify_lines():
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as error:
        return out.getvalue().splitlines(), error
    return out.getvalue().splitlines(), None


@pytest.fixture
def trail(ministry_a, axis):
    for number in range(1, 5):
        make_project(f"P-{number}", ministry_a, axis)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))  # positive control: numbered 1..n
    assert audit_verify().intact
    return entries


def test_an_intact_trail_verifies_and_says_its_head(trail):
    lines, error = verify_lines()
    assert error is None
    assert lines == [f"audit trail intact: {len(trail)} entries, head seq {trail[-1].seq} hash {trail[-1].hash}"]


def test_entries_are_signed_with_the_current_key_not_plain_sha256(trail):
    entry = trail[3]
    key_id, key = keys.current_key()
    assert entry.key_id == key_id
    assert entry.hash == hmac_with(key)(entry) != plain_sha256(entry)


@pytest.mark.parametrize("rehash", [plain_sha256, hmac_with(OTHER_KEY.encode())], ids=["sha256", "wrong-key"])
def test_a_rewritten_entry_with_a_recomputed_hash_is_caught(trail, rehash):
    target = trail[3]
    rewrite(target, changes={"name_ar": [None, "مزور"]}, rehash=rehash)
    lines, error = verify_lines()
    assert error is not None and "2 problem" in str(error)
    after = trail[4]
    assert lines == [
        f"BROKEN seq {target.seq} (entry #{target.pk}): hash does not match the entry's content and key (altered)",
        # The forged hash no longer matches what the next entry recorded.
        f"BROKEN seq {after.seq} (entry #{after.pk}): prev_hash does not match the hash of the entry before "
        "(chain relinked)",
    ]


def test_a_rewritten_chain_from_an_entry_on_is_caught_at_every_entry(trail):
    prev_hash = trail[1].hash
    for entry in trail[2:]:
        entry.prev_hash = prev_hash
        execute("UPDATE audit_auditentry SET prev_hash = %s WHERE id = %s", [prev_hash, entry.pk])
        rewrite(entry, changes={"forged": [None, True]}, rehash=plain_sha256)
        prev_hash = entry.hash
    lines, error = verify_lines()
    assert error is not None
    assert [line.split(":")[0] for line in lines] == [f"BROKEN seq {e.seq} (entry #{e.pk})" for e in trail[2:]]


def test_a_deleted_middle_entry_is_reported_as_a_missing_number(trail):
    execute("DELETE FROM audit_auditentry WHERE id = %s", [trail[2].pk])
    lines, error = verify_lines()
    assert error is not None
    assert lines == ["BROKEN seq 3: missing: no entry numbered 3 (deleted?)"]


def test_several_breaks_are_all_reported(trail):
    rewrite(trail[1], changes={}, rehash=plain_sha256)
    execute("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [trail[4].pk, trail[5].pk])
    execute("UPDATE audit_auditentry SET actor_name = 'someone' WHERE id = %s", [trail[7].pk])
    lines, error = verify_lines()
    assert error is not None and "4 problem" in str(error)
    assert lines == [
        f"BROKEN seq 2 (entry #{trail[1].pk}): hash does not match the entry's content and key (altered)",
        f"BROKEN seq 3 (entry #{trail[2].pk}): prev_hash does not match the hash of the entry before (chain relinked)",
        "BROKEN seq 5: missing: no entry numbered 5-6 (deleted?)",
        f"BROKEN seq 8 (entry #{trail[7].pk}): hash does not match the entry's content and key (altered)",
    ]


def test_a_rolled_back_change_leaves_no_hole_in_the_numbers(trail, ministry_a, axis):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_project("P-9", ministry_a, axis)
        raise RuntimeError("undo")
    make_project("P-10", ministry_a, axis)
    last = AuditEntry.objects.order_by("-seq").first()
    assert last.seq == trail[-1].seq + 1 and "P-10" in last.object_repr
    assert audit_verify().intact


def test_after_a_key_rotation_old_entries_verify_with_the_fallback(trail, settings, ministry_a, axis):
    old_id, old_key = keys.current_key()
    settings.AUDIT_KEY = OTHER_KEY
    make_project("P-9", ministry_a, axis)
    newest = AuditEntry.objects.order_by("-seq").first()
    assert newest.key_id == keys.key_id(OTHER_KEY.encode()) != old_id
    settings.SECRET_KEY_FALLBACKS = []
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789"
    report = audit_verify()
    assert len(report.findings) == len(trail)  # the old key is gone: every old entry is unverifiable
    assert "unknown key id" in str(report.findings[0])
    settings.AUDIT_KEY_FALLBACKS = [old_key.decode()]
    assert audit_verify().intact


def test_a_short_audit_key_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="AUDIT_KEY"):
        keys.current_key()


def test_the_key_can_come_from_a_file(settings, tmp_path, ministry_a, axis):
    path = tmp_path / "audit.key"
    path.write_text(OTHER_KEY + "\n")
    settings.AUDIT_KEY_FILE = str(path)
    assert keys.current_key() == (keys.key_id(OTHER_KEY.encode()), OTHER_KEY.encode())


def test_each_entry_records_the_request_id_and_the_hash_covers_it(ministry_a, axis):
    token = set_request_id("req-1234")
    try:
        project = make_project("P-1", ministry_a, axis)
    finally:
        reset_request_id(token)
    entry = AuditEntry.objects.for_object(project).get()
    assert entry.request_id == "req-1234"
    assert audit_verify().intact
    execute("UPDATE audit_auditentry SET request_id = 'req-9999' WHERE id = %s", [entry.pk])
    assert [f.seq for f in audit_verify().findings] == [entry.seq]


def test_the_hash_does_not_depend_on_the_actor_foreign_key(coordinator_a, ministry_a, axis):
    from masar.portfolio.services import project_update

    project = make_project("P-1", ministry_a, axis)
    project_update(project=project, actor=coordinator_a, expected_version=1, name_ar="جديد")
    entry = AuditEntry.objects.for_object(project).latest("seq")
    assert entry.actor_ref == coordinator_a.pk
    execute("UPDATE audit_auditentry SET actor_id = NULL WHERE id = %s", [entry.pk])
    assert audit_verify().intact
    execute("UPDATE audit_auditentry SET actor_ref = %s WHERE id = %s", [coordinator_a.pk + 1, entry.pk])
    assert [f.seq for f in audit_verify().findings] == [entry.seq]


def test_the_deploy_check_asks_for_a_separate_key_and_refuses_a_short_one(settings):
    from masar.audit.checks import audit_key_check

    settings.AUDIT_KEY, settings.AUDIT_KEY_FILE = "", ""
    assert [c.id for c in audit_key_check()] == ["audit.W001"]
    settings.AUDIT_KEY = "short"
    assert [c.id for c in audit_key_check()] == ["audit.E001"]
    settings.AUDIT_KEY = OTHER_KEY
    assert audit_key_check() == []
