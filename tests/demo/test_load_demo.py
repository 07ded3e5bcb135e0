"""load_demo: what the source documents say is in the database, word for word; the sample around it is
flagged; every record is audited; and a second run creates nothing."""

import datetime
import io
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from masar.accounts.models import Role, User
from masar.audit.models import Action, AuditEntry
from masar.decisions.models import Decision, Meeting
from masar.demo.data.sample import REFERENCE_DATE
from masar.demo.services import demo_load
from masar.organizations.models import Mission, Organization, Region
from masar.portfolio.models import Milestone, Project
from masar.strategy.models import Axis, Phase, Program, Strategy
from tests.html import without_isolates

DOMAIN_MODELS = [Organization, Mission, Region, Strategy, Axis, Program, Phase, Meeting, Decision, Project, Milestone]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module, as on the day the sample was drawn against, inside a transaction that is
    rolled back afterwards."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher, transaction.atomic():
        out = io.StringIO()
        result = demo_load(stdout=out, today=REFERENCE_DATE)
        yield result, out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


def rows():
    return {model.__name__: model.objects.count() for model in DOMAIN_MODELS} | {
        "users": User.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_the_2025_2026_program_has_four_axes_with_the_documents_planned_counts_and_as_many_projects(loaded):
    program = Strategy.objects.get(code="TN-PTN-2526")
    axes = list(program.axes.order_by("order"))
    assert [axis.name_ar for axis in axes] == [
        "التحول الرقمي للإدارة",
        "تعزيز الاقتصاد الرقمي",
        "الأمن السيبراني والثقة الرقمية",
        "البنية التحتية الرقمية",
    ]
    assert [axis.planned_project_count for axis in axes] == [99, 18, 12, 9]
    assert [axis.projects.count() for axis in axes] == [99, 18, 12, 9]
    assert axes[0].description_ar == "تطوير الخدمات عن بعد، التفاعل العام، وتسريع أنظمة المعلومات."
    assert program.projects.count() == program.planned_project_count == 138
    assert program.owner.code == "TN-MTC" and program.parent.code == "TN-VISION-2030"
    assert (program.period_start, program.period_end) == (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))


def test_each_project_of_the_program_sits_under_a_sample_program_of_its_own_axis(loaded):
    projects = Project.objects.filter(strategy__code="TN-PTN-2526").select_related("program", "axis")
    assert all(p.program.axis_id == p.axis_id and p.program.is_sample for p in projects)
    for axis in Axis.objects.filter(strategy__code="TN-PTN-2526"):
        assert 2 <= Program.objects.filter(axis=axis).count() <= 4
    assert sorted(projects.values_list("code", flat=True))[:2] == ["PTN-A1-001", "PTN-A1-002"]


def test_the_unified_vision_is_recorded_as_announced_not_adopted(loaded):
    vision = Strategy.objects.get(code="TN-VISION-2030")
    assert vision.name_ar == "الرؤية الوطنية الموحدة للرقمنة 2026-2030"
    assert vision.adopted_on is None and vision.owner.code == "TN-PM" and vision.source == "seed 003"
    assert (vision.period_start, vision.period_end) == (datetime.date(2026, 1, 1), datetime.date(2030, 12, 31))


def test_the_moroccan_directorates_hold_all_their_missions_in_the_documents_order_and_wording(loaded):
    sector = Organization.objects.get(code="MA-COM")
    assert sector.name_ar == "قطاع التواصل" and sector.parent.code == "MA-GOV" and sector.source == "seed 001"
    assert sector.missions.count() == 12
    fact_checking = "تطوير آليات التحقق من الأخبار الزائفة في مجال التواصل العمومي والحكومي؛"
    assert sector.missions.get(order=8).text_ar == fact_checking
    directorates = sector.children.filter(kind="directorate").order_by("order")
    assert [(d.name_ar, d.missions.count()) for d in directorates] == [
        ("مديرية التواصل والعلاقات مع الفاعلين الإعلاميين", 13),
        ("مديرية الدراسات وتحديث وسائل الإعلام", 10),
        ("مديرية تنمية صناعة الألعاب الإلكترونية ونظم المعلومات", 15),
        ("مديرية الموارد البشرية والمالية", 13),
    ]
    first, _, third, fourth = directorates
    assert first.missions.get(order=11).text_ar == "الرصد والتحليل الإخباري؛"
    # The documents' typos stay as written ("شجيع", "الوارد").
    assert third.missions.get(order=2).text_ar == "شجيع الابتكار في ميدان صناعة الألعاب الإلكترونية؛"
    assert fourth.missions.get(order=1).text_ar == "إعداد وتنفيذ استراتيجية القطاع المتعلقة بالوارد البشرية للقطاع:"
    assert all(m.text_fr and m.text_en for m in Mission.objects.filter(organization__in=directorates))
    kinds = set(sector.children.values_list("kind", flat=True))
    assert kinds == {"general_secretariat", "inspectorate", "directorate", "deconcentrated"}


def test_the_tunisian_ministry_holds_the_missions_of_document_000_with_its_tatweel(loaded):
    ministry = Organization.objects.get(code="TN-MTC")
    assert ministry.name_ar == "وزارة تكنولوجيات الاتصال" and ministry.parent.code == "TN-GOV"
    missions = list(ministry.missions.order_by("order").values_list("text_ar", flat=True))
    assert len(missions) == 17
    assert missions[0].startswith("تتولى وزارة تكنولوجيات الاتصال إقتراح السياسة العامة")
    assert missions[1] == "وضع الإستراتيجية الوطنية للقطاع والسهر على متابعة تنفيذها،"
    assert missions[6] == "العــمل على تأمين سلامة المـنظومات والشبـكات والمعـلومات والفضاء السيبرني،"
    assert not any(text.startswith(("-", "ـ ", "–")) for text in missions)


def test_the_2021_strategy_has_its_three_axes_twelve_unnamed_programs_and_three_phases(loaded):
    strategy = Strategy.objects.get(code="STR-004")
    assert strategy.adopted_on == datetime.date(2021, 8, 31) and strategy.adopted_by_ar == "مجلس الوزراء"
    assert strategy.planned_project_count == 49 and strategy.owner.code == "GOV-004"
    assert strategy.owner.kind == "government" and strategy.owner.parent is None
    assert list(strategy.axes.values_list("name_ar", flat=True)) == [
        "الخدمات الحكوميّة الالكترونيّة",
        "تحسين كفاءة الأداء الحكومي",
        "البيئة التّمكينيّة للتّحوّل الرّقمي",
    ]
    programs = strategy.programs.order_by("order")
    assert [p.name_ar for p in programs] == [f"البرنامج {n}" for n in range(1, 13)]
    assert all(p.axis_id is None and not p.is_sample for p in programs)
    phases = strategy.phases.order_by("order")
    assert [(p.start.year, p.end.year) for p in phases] == [(2021, 2023), (2023, 2027), (2027, 2030)]
    assert strategy.phases.get(order=1).name_ar == "المرحلة التّأسيسيّة"
    assert strategy.projects.count() == 12
    assert set(strategy.projects.values_list("owner__code", flat=True)) == {"GOV-004"}
    assert strategy.projects.values("axis").distinct().count() == 3


def test_the_ministerial_council_has_its_ten_decisions_in_the_documents_order(loaded):
    meeting = Meeting.objects.get(source="seed 003")
    assert meeting.kind == "ministerial_council" and meeting.date is None
    assert meeting.body_ar == "مجلس وزاري برئاسة رئيسة الحكومة" and meeting.place_ar == "قصر القصبة"
    assert meeting.owner.code == "TN-PM" and meeting.classification == "public"
    assert "العقبات" in meeting.summary_ar and "الحلول" in meeting.summary_ar
    decisions = list(meeting.decisions.order_by("order"))
    assert len(decisions) == 10
    assert decisions[0].text_ar == "دمج المشاريع الرقمية في المنصة الوطنية لمتابعة المشاريع العامة"
    assert decisions[8].text_ar == "دمج حلول الذكاء الاصطناعي للكشف المبكر عن الفساد والتهرب الضريبي"
    assert "2026-2030" in decisions[9].text_ar
    for decision in decisions:
        assert decision.responsible.code == "TN-MTC" and decision.due_date is not None  # a sample due date
        assert decision.source == "seed 003" and decision.text_fr and decision.text_en
        assert not decision.is_sample and set(decision.sample_fields) == {"responsible", "due_date", "projects"}


def test_regions_are_tunisias_24_governorates_and_moroccos_12_regions(loaded):
    governorates = Region.objects.filter(parent__code="TN")
    assert governorates.count() == 24 and set(governorates.values_list("kind", flat=True)) == {"governorate"}
    assert governorates.get(code="TN-61").name_fr == "Sfax"
    assert {"TN-11", "TN-83"} <= set(governorates.values_list("code", flat=True))
    assert Region.objects.filter(parent__code="MA", kind="region").count() == 12
    assert not Region.objects.filter(is_sample=True).exists()


def test_sample_records_are_flagged_and_source_records_are_not(loaded):
    assert not Project.objects.filter(is_sample=False).exists()
    assert set(Project.objects.values_list("source", flat=True)) == {"sample"}
    assert not Milestone.objects.filter(is_sample=False).exists()
    for code in ("TN-GOV", "TN-PM", "TN-MTC", "MA-GOV", "MA-COM", "MA-COM-D1", "GOV-004"):
        organization = Organization.objects.get(code=code)
        assert not organization.is_sample and organization.source.startswith("seed ")
    assert Organization.objects.get(code="TN-SMP-01").is_sample
    assert not Strategy.objects.filter(is_sample=True).exists()
    assert not Mission.objects.filter(is_sample=True).exists()
    assert set(Program.objects.filter(strategy__code="TN-PTN-2526").values_list("is_sample", flat=True)) == {True}


def test_the_sample_portfolio_is_spread_plausibly(loaded):
    projects = Project.objects.filter(strategy__code="TN-PTN-2526")
    owners = Counter(projects.values_list("owner__code", flat=True))
    assert len(owners) >= 10 and owners["TN-MTC"] >= 10
    statuses = Counter(projects.values_list("status", flat=True))
    assert statuses.most_common(1)[0][0] == "in_progress" and statuses["suspended"] >= 1
    # The council announced the program's 138 projects publicly; the demo's restricted and
    # confidential projects are among the sample projects of STR-004.
    assert set(projects.values_list("classification", flat=True)) == {"public"}
    others = Counter(Project.objects.filter(strategy__code="STR-004").values_list("classification", flat=True))
    assert others == {"public": 7, "restricted": 3, "confidential": 2}
    for project in projects.prefetch_related("regions", "milestones"):
        assert 1 <= len(project.regions.all()) <= 3
        assert all(region.code.startswith("TN-") for region in project.regions.all())
        assert 3 <= len(project.milestones.all()) <= 5
        original = project.baselines.filter(number=1).first() or project
        assert project.planned_start.year in (2025, 2026) and original.planned_end.year in (2025, 2026, 2027)
        assert project.currency == "TND" and project.planned_budget > 0
    assert not Milestone.objects.filter(actual_date__gt=REFERENCE_DATE).exists()
    assert Milestone.objects.filter(actual_date__isnull=False).exists()


def test_the_demo_sign_ins_exist_with_their_roles_and_the_demo_password(loaded):
    admin = User.objects.get(username="admin")
    assert admin.role == Role.NATIONAL_ADMIN and admin.is_superuser and admin.is_staff
    assert admin.organization.code == "TN-PM" and admin.check_password("masar-demo")
    assert User.objects.get(username="viewer").role == Role.VIEWER
    assert User.objects.get(username="inspector").role == Role.INSPECTOR
    pm = User.objects.get(username="pm.mtc")
    assert pm.role == Role.PROJECT_MANAGER and pm.managed_projects.count() == 10
    assert set(pm.managed_projects.values_list("owner__code", flat=True)) == {"TN-MTC"}
    other = User.objects.get(username="pm.finance")
    assert other.managed_projects.exists() and set(other.managed_projects.values_list("owner", flat=True)) == {
        other.organization_id
    }
    assert User.objects.get(username="coord.finance").organization == other.organization


def test_every_created_record_has_its_audit_entry_and_the_chain_verifies(loaded):
    for model in DOMAIN_MODELS:
        entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), action=Action.CREATE)
        assert entries.count() == model.objects.count(), model.__name__
    project_type = ContentType.objects.get_for_model(Project)
    assert AuditEntry.objects.filter(content_type=project_type, action=Action.CREATE).count() == 138 + 12
    # one sample re-baseline was approved: the project's new plan is audited as an update
    assert AuditEntry.objects.filter(content_type=project_type, action=Action.UPDATE).count() == 1
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()


def test_the_first_load_prints_what_it_created(loaded):
    _, output = loaded
    assert "created  150 projects" in output and "created   10 decisions" in output


def test_loading_again_creates_nothing_and_prints_the_sign_ins(loaded):
    before = rows()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert rows() == before
    output = out.getvalue()
    assert "Nothing to create" in output
    assert "masar-demo" in output and "coord.mtc" in output and "sector_coordinator" in output


def test_an_anonymous_visitor_of_the_demo_sees_the_program_and_no_restricted_record(loaded, client):
    import re

    from masar.strategy.models import Strategy

    program = Strategy.objects.get(code="TN-PTN-2526")
    page = without_isolates(client.get(f"/ar/strategies/{program.pk}/").content.decode())
    assert re.search(r'class="project-count">138<', page)
    assert re.search(r'class="axis-count">4<', page)
    hidden = Project.objects.filter(strategy__code="STR-004").exclude(classification="public")
    listing = client.get("/en/projects/?strategy=" + str(Strategy.objects.get(code="STR-004").pk)).content.decode()
    assert 'data-count="7"' in listing
    for project in hidden:
        assert project.code not in listing
        assert client.get(f"/en/projects/{project.pk}/").status_code == 404
