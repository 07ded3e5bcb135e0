"""The whole matrix of the one policy: every rule against every kind of reader.

Readers: the public, a viewer, a project manager, the project's ministry coordinator, another
ministry's coordinator, the national unit, a background job and another administration's system.
"""

import datetime
from types import SimpleNamespace

import pytest

from masar.accounts.models import Role, User
from masar.core import policy
from masar.core.models import Classification
from masar.core.policy import Reader, UnknownReader
from masar.decisions.models import Decision, Meeting, MeetingKind
from masar.indicators.models import Measurement
from masar.portfolio.models import Project
from tests.accounts.factories import make_user
from tests.indicators.factories import make_indicator
from tests.portfolio.factories import make_project

READERS = [
    "public",
    "viewer",
    "manager",
    "coordinator",
    "other_coordinator",
    "national",
    "inspector",
    "system",
    "client",
]


@pytest.fixture
def world(gov, ministry_a, ministry_b, axis):
    manager = make_user("pm", Role.PROJECT_MANAGER, ministry_a)
    coordinator = make_user("coord", Role.SECTOR_COORDINATOR, ministry_a)
    people = {
        "viewer": make_user("viewer", Role.VIEWER, ministry_a),
        "manager": manager,
        "coordinator": coordinator,
        "other_coordinator": make_user("coord_other", Role.SECTOR_COORDINATOR, ministry_b),
        "national": make_user("national", Role.NATIONAL_ADMIN, gov),
        # An inspector of another ministry: reads what the national unit reads, changes nothing.
        "inspector": make_user("inspector", Role.INSPECTOR, ministry_b),
    }
    api_client = SimpleNamespace(
        pk=7, organization=ministry_b, is_active=True, clearance="restricted", scopes=["projects:read"], grants=list
    )
    readers = {
        "public": Reader.public(),
        "system": Reader.system(),
        "client": Reader.client(api_client),
        **{name: Reader.of(user) for name, user in people.items()},
    }
    projects = {
        level: make_project(f"P-{level}", ministry_a, axis, classification=level, manager=manager)
        for level in Classification.values
    }
    meeting = Meeting.objects.create(
        kind=MeetingKind.COUNCIL_OF_MINISTERS,
        name_ar="مجلس",
        body_ar="مجلس الوزراء",
        owner=gov,
        classification=Classification.PUBLIC,
        decisions_published=True,
        date=datetime.date(2026, 1, 5),
    )
    decision = Decision.objects.create(
        meeting=meeting, order=1, text_ar="قرار", responsible=ministry_a, classification=Classification.PUBLIC
    )
    indicator = make_indicator("IND-1", ministry_a)
    measurement = Measurement(indicator=indicator, submitted_by=coordinator)
    return SimpleNamespace(
        readers=readers,
        projects=projects,
        decision=decision,
        indicator=indicator,
        measurement=measurement,
        coordinator=coordinator,
    )


def row(*allowed):
    return {name: name in allowed for name in READERS}


EVERYONE = READERS
SIGNED_IN = ["viewer", "manager", "coordinator", "other_coordinator", "national", "inspector"]

RULES = {
    # Deny by default: a client of another ministry reads nothing of ministry A without an agreement.
    "read public project": (lambda w, r: policy.may_read(r, w.projects["public"]), row(*EVERYONE[:-1])),
    "read restricted project": (
        lambda w, r: policy.may_read(r, w.projects["restricted"]),
        row(*SIGNED_IN, "system"),
    ),
    "read confidential project": (
        lambda w, r: policy.may_read(r, w.projects["confidential"]),
        row("viewer", "manager", "coordinator", "national", "inspector", "system"),
    ),
    "change project": (
        lambda w, r: policy.may_write(r, w.projects["public"]),
        row("manager", "coordinator", "national"),
    ),
    "review updates": (
        lambda w, r: policy.may_review(r, w.projects["public"]),
        row("coordinator", "national"),
    ),
    "escalate obstacle": (
        lambda w, r: policy.may_escalate(r, w.projects["public"]),
        row("coordinator", "national"),
    ),
    "decide re-baseline": (lambda w, r: policy.may_decide_baseline(r), row("national")),
    "follow up decision": (lambda w, r: policy.may_follow_up(r, w.decision), row("coordinator", "national")),
    "validate closure": (lambda w, r: policy.may_validate_closure(r, w.decision), row("national")),
    "manage meetings": (lambda w, r: policy.may_manage_meetings(r), row("national")),
    "enter values": (lambda w, r: policy.may_enter_values(r, w.indicator), row("coordinator", "national")),
    # The coordinator submitted this value: nobody approves their own.
    "decide value": (lambda w, r: policy.may_decide_value(r, w.measurement), row("national")),
    "set weights": (lambda w, r: policy.may_set_weights(r), row("national")),
    "publish internal material": (lambda w, r: policy.may_publish(r), row("national")),
    "lower classification": (
        lambda w, r: policy.may_set_classification(r, w.projects["confidential"], Classification.PUBLIC),
        row("coordinator", "national"),
    ),
    "see staff names": (lambda w, r: policy.may_see_staff(r), row(*SIGNED_IN)),
    "read audit trail": (lambda w, r: policy.may_read_audit(r), row(*SIGNED_IN)),
    "ask confidential pack": (
        lambda w, r: policy.may_request_pack(r, Classification.CONFIDENTIAL),
        row("coordinator", "other_coordinator", "national", "inspector"),
    ),
    "ask restricted pack": (
        lambda w, r: policy.may_request_pack(r, Classification.RESTRICTED),
        row(*SIGNED_IN),
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_every_rule_answers_every_reader_as_the_matrix_says(world, rule):
    ask, expected = RULES[rule]
    answers = {name: bool(ask(world, world.readers[name])) for name in READERS}
    assert answers == expected
    # Positive and negative controls: every rule lets someone through and stops someone.
    assert any(answers.values()) and not all(answers.values()) or rule == "read public project"


def test_raising_a_classification_is_part_of_changing_the_record(world):
    public = world.projects["public"]
    assert policy.may_set_classification(world.readers["manager"], public, Classification.CONFIDENTIAL)
    assert not policy.may_set_classification(world.readers["manager"], world.projects["restricted"], "public")


def test_max_clearance_per_reader(world):
    got = {name: policy.max_clearance(world.readers[name]) for name in READERS}
    assert got == {
        "public": Classification.PUBLIC,
        "viewer": Classification.RESTRICTED,
        "manager": Classification.RESTRICTED,
        "coordinator": Classification.CONFIDENTIAL,
        "other_coordinator": Classification.CONFIDENTIAL,
        "national": Classification.CONFIDENTIAL,
        "inspector": Classification.CONFIDENTIAL,
        "system": Classification.CONFIDENTIAL,
        "client": Classification.RESTRICTED,  # its clearance
    }


def test_cache_scopes_are_shared_only_by_readers_who_see_the_same_records(world):
    scopes = {name: policy.cache_scope(world.readers[name]) for name in READERS}
    assert scopes["national"] == scopes["system"]
    others = [scopes[n] for n in READERS if n not in ("national", "system")]
    assert len(set(others)) == len(others) and scopes["national"] not in others
    capped = world.readers["national"].capped(Classification.RESTRICTED)
    assert policy.cache_scope(capped) != scopes["national"]


def test_a_capped_reader_sees_nothing_above_the_ceiling_and_changes_nothing(world):
    capped = world.readers["national"].capped(Classification.RESTRICTED)
    seen = set(Project.objects.visible_to(capped).values_list("classification", flat=True))
    assert seen == {Classification.PUBLIC, Classification.RESTRICTED}
    assert Project.objects.visible_to(world.readers["national"]).filter(classification="confidential").exists()
    assert not policy.may_write(capped, world.projects["public"])
    assert capped.capped(Classification.CONFIDENTIAL).ceiling == Classification.RESTRICTED


def test_an_api_client_reads_another_ministrys_records_only_where_an_agreement_grants_them(world, ministry_a):
    def client(**kwargs):
        values = {"pk": 8, "organization": None, "clearance": "confidential", "scopes": ["projects:read"]}
        return Reader.client(SimpleNamespace(**{**values, **kwargs}))

    restricted_grant = policy.Grant(record_type="projects", owner_path=ministry_a.path, level="restricted")
    granted = client(grants=lambda: [restricted_grant])
    assert policy.may_read(granted, world.projects["restricted"])
    assert policy.may_read(granted, world.projects["public"])
    assert not policy.may_read(granted, world.projects["confidential"])  # above the agreement's level
    assert not policy.may_read(world.readers["client"], world.projects["restricted"])
    # The agreement names one kind of record: it opens no indicator of the same ministry.
    indicator_reader = client(grants=lambda: [restricted_grant], scopes=["indicators:read"])
    assert not policy.may_read(indicator_reader, world.indicator)
    # The client's clearance caps what an agreement opens.
    capped = client(grants=lambda: [restricted_grant], clearance="public")
    assert not policy.may_read(capped, world.projects["restricted"])
    assert policy.may_read(capped, world.projects["public"])


def test_an_api_client_reads_and_writes_its_own_organizations_records_within_its_scopes(world, ministry_a):
    def client(scopes, clearance="restricted"):
        return Reader.client(
            SimpleNamespace(pk=9, organization=ministry_a, clearance=clearance, scopes=scopes, is_active=True)
        )

    reader = client(["projects:read"])
    assert policy.may_read(reader, world.projects["restricted"])
    assert not policy.may_read(reader, world.projects["confidential"])
    assert not policy.may_write(reader, world.projects["restricted"])
    assert not policy.may_read(client([]), world.projects["public"])  # a new client sees nothing
    writer = client(["projects:read", "projects:write", "progress_updates:write"])
    assert policy.may_write(writer, world.projects["restricted"])
    assert policy.may_write_about(writer, world.projects["restricted"], "progress_updates")
    assert not policy.may_write_about(writer, world.projects["restricted"], "obstacles")
    assert not policy.may_write_about(writer, world.projects["confidential"], "progress_updates")
    assert not policy.may_review(writer, world.projects["restricted"])
    assert not policy.may_enter_values(writer, world.indicator)
    assert policy.may_enter_values(client(["measurements:write"], "confidential"), world.indicator)


def test_the_object_helper_answers_the_record_and_whether_it_may_change_from_one_lookup(
    world, django_assert_num_queries
):
    project = world.projects["public"]
    for name, may in [("manager", True), ("viewer", False), ("national", True), ("public", False)]:
        with django_assert_num_queries(1):
            got = policy.get_for_reader(Project.objects.all(), world.readers[name], project.pk)
        assert got == project and got.may_change is may


def test_a_reader_the_policy_does_not_know_is_refused(world):
    forged = User(is_superuser=True)  # never saved: not a reader
    for stranger in (forged, "admin", object(), 42):
        with pytest.raises(UnknownReader):
            Reader.of(stranger)
        with pytest.raises(UnknownReader):
            Project.objects.visible_to(stranger).count()
    with pytest.raises(UnknownReader):
        Reader.client(None)
    with pytest.raises(UnknownReader):
        world.readers["viewer"].capped("secret")
    assert Project.objects.visible_to(world.readers["public"]).count() == 1


def test_people_who_are_told_are_those_who_may_read(world, ministry_b):
    confidential = world.projects["confidential"]
    stranger = make_user("coord_far", Role.SECTOR_COORDINATOR, ministry_b)
    kept = policy.readers_among([world.coordinator, stranger, world.coordinator], confidential)
    assert kept == [world.coordinator]
    assert list(policy.reviewers_of(confidential)) == [world.coordinator]
