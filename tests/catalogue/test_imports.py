"""Imports of the services catalogue and of monthly usage: all of a file or nothing, every error by row and column."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from masar.audit.models import AuditEntry
from masar.catalogue.import_words import read_month
from masar.catalogue.imports import CatalogueImportInvalid, CatalogueImportKind, catalogue_import
from masar.catalogue.models import (
    LifeEvent,
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceProject,
    ServiceUsage,
)
from masar.catalogue.services import UsageEntry, service_create, usage_record
from masar.core.models import Classification
from masar.imports.values import CellError
from tests.portfolio.factories import make_project

SERVICES = CatalogueImportKind.SERVICES
USAGE = CatalogueImportKind.USAGE


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def birth(db):
    return LifeEvent.objects.create(code="birth", name_ar="ولادة طفل", name_fr="Naissance")


@pytest.fixture
def civil(db):
    return ServiceCategory.objects.create(code="civil", name_ar="الحالة المدنية", name_fr="État civil")


def _service(actor, code, owner, **extra):
    data = {"code": code, "name_ar": f"خدمة {code}", "owner": owner, "channels": ["counter"], **extra}
    return service_create(actor=actor, data=data)


@pytest.fixture
def service_a(national, ministry_a):
    return _service(national, "A-1", ministry_a, level=1)


@pytest.fixture
def service_b(national, ministry_b):
    return _service(national, "B-1", ministry_b, level=2)


@pytest.fixture
def project_a(ministry_a, axis):
    return make_project("A-P", ministry_a, axis)


@pytest.fixture
def secret_project_b(ministry_b, axis):
    return make_project("B-P", ministry_b, axis, classification=Classification.CONFIDENTIAL)


def csv(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx(*rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state():
    """Return what an import may change: the rows of every catalogue table, the versions, the audit trail."""
    return {
        "services": sorted(Service.objects.values_list("code", "version", "level", "name_ar")),
        "documents": RequiredDocument.objects.count(),
        "links": ServiceProject.objects.count(),
        "usage": sorted(ServiceUsage.objects.values_list("service_id", "month", "channel", "transactions")),
        "audit": AuditEntry.objects.count(),
    }


def refused(actor, kind, content, filename="file.csv", language="en"):
    """Import a file that must be refused; return its errors as {(row, column): reason}."""
    with translation.override(language), pytest.raises(CatalogueImportInvalid) as raised:
        catalogue_import(actor=actor, kind=kind, content=content, filename=filename)
    return {(error.row, error.column): error.reason for error in raised.value.errors}


# Services -------------------------------------------------------------------------------------------------


SERVICE_HEADER = (
    "code,name_ar,name_fr,owner,classification,audiences,channels,life_event,category,level,fee,fee_currency,"
    "processing_days,online_url,steps_ar,documents,projects"
)


def test_a_services_file_creates_a_service_and_updates_another(
    coordinator_a, ministry_a, ministry_b, service_a, birth, civil, project_a
):
    content = csv(
        SERVICE_HEADER,
        'A-2,مضمون ولادة,Extrait de naissance,MIN-A,public,"المواطنون؛ businesses","Guichet, web",birth,civil,٣,'
        '"12,5",TND,٢,https://example.tn/birth,قدم الطلب,"مضمون ولادة الأب|MIN-B; صورة شمسية",A-P|4|2026-12-31',
        "A-1,,,,,,,,,4,,,,,,,",
    )
    with translation.override("fr"):
        report = catalogue_import(actor=coordinator_a, kind=SERVICES, content=content, filename="services.csv")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    created = Service.objects.get(code="A-2")
    assert created.owner == ministry_a and created.name_fr == "Extrait de naissance"
    assert created.audience_list == ["businesses", "citizens"]
    assert created.channel_list == ["counter", "web"]
    assert (created.life_event, created.category, created.level) == (birth, civil, 3)
    assert (created.fee, created.fee_currency, created.processing_days) == (Decimal("12.5"), "TND", 2)
    assert created.online_url == "https://example.tn/birth" and created.source == "services.csv"
    documents = [(d.name_ar, d.held_by, d.is_once_only_opportunity) for d in created.documents.order_by("order")]
    assert documents == [("مضمون ولادة الأب", ministry_b, True), ("صورة شمسية", None, False)]
    link = ServiceProject.objects.get(service=created)
    assert (link.project, link.target_level, link.target_date) == (project_a, 4, datetime.date(2026, 12, 31))
    service_a.refresh_from_db()
    assert (service_a.level, service_a.version, service_a.name_ar) == (4, 2, "خدمة A-1")  # empty cells: unchanged
    assert AuditEntry.objects.for_object(service_a).filter(version=2).exists()


def test_an_xlsx_file_with_arabic_headers_is_imported(national, ministry_a):
    content = xlsx(
        ("الرمز", "الاسم بالعربية", "الهيكل المالك", "القنوات", "مستوى الرقمنة", "المعلوم"),
        ("A-9", "بطاقة تعريف", "MIN-A", "الشباك؛ الهاتف الجوال", 4, 0),
    )
    report = catalogue_import(actor=national, kind=SERVICES, content=content, filename="services.xlsx")
    assert report.created == 1
    service = Service.objects.get(code="A-9")
    assert (service.name_ar, service.owner, service.level, service.fee) == ("بطاقة تعريف", ministry_a, 4, 0)
    assert service.channel_list == ["counter", "mobile"]


def test_the_same_file_sent_twice_changes_nothing_the_second_time(coordinator_a, ministry_a, birth):
    content = csv("code,name_ar,owner,level,life_event,documents", "A-3,خدمة,MIN-A,2,birth,وثيقة|MIN-A")
    catalogue_import(actor=coordinator_a, kind=SERVICES, content=content)
    before = state()
    report = catalogue_import(actor=coordinator_a, kind=SERVICES, content=content)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert state() == before


def test_bad_service_rows_are_all_reported_and_nothing_changes(
    coordinator_a, service_a, service_b, birth, project_a, secret_project_b
):
    content = csv(
        "code,name_ar,owner,channels,level,fee,fee_currency,life_event,documents,projects",
        "A-1,,,,7,,,,,",  # level 7
        "A-5,خدمة,MIN-Z,,,,,,,",  # unknown owner
        "A-6,خدمة,MIN-A,fax,,,,,,",  # unknown channel
        "A-7,خدمة,MIN-A,,,-5,,,,",  # negative fee
        "B-1,خدمة معدلة,,,,,,,,",  # another ministry's service
        "A-8,خدمة,MIN-A,,,,,,,B-P|4|2026-12-31",  # a project the importer may not read
        "A-9,,MIN-A,,,,,,,",  # a new service without its Arabic name
        "A-6,خدمة,MIN-A,,,,,,,",  # the same code twice
        "A-10,خدمة,MIN-A,,,,tnd,wedding,,",  # a currency and a life event that are not
        "A-11,خدمة,MIN-A,,,,,,وثيقة|MIN-Z|x,A-P|9",  # a document and a project badly written
        "A-12,خدمة,MIN-A,,٣,,,,,",  # a good row: refused with the file
    )
    before = state()
    errors = refused(coordinator_a, SERVICES, content)
    assert sorted(errors) == [
        (2, "level"),
        (3, "owner"),
        (4, "channels"),
        (5, "fee"),
        (6, "code"),
        (7, "projects"),
        (8, "name_ar"),
        (9, ""),
        (10, "fee_currency"),
        (10, "life_event"),
        (11, "documents"),
        (11, "projects"),
    ]
    assert errors[(2, "level")] == "Choose a level between 0 and 5."
    assert errors[(3, "owner")] == "No organization has the code “MIN-Z”."
    assert "fax" in errors[(4, "channels")]
    assert errors[(6, "code")] == "You may not change this service."
    assert errors[(7, "projects")] == "There is no such project among those you may read."
    assert errors[(9, "")] == "Row 4 already gives the same record."
    assert state() == before
    assert not Service.objects.filter(code="A-12").exists()


def test_the_reasons_are_worded_in_the_importers_language(coordinator_a):
    errors = refused(coordinator_a, SERVICES, csv("code,name_ar,owner", "A-5,خدمة,MIN-Z"), language="fr")
    assert errors[(2, "owner")] == "Aucune structure n’a pour code «\u00a0MIN-Z\u00a0»."
    errors = refused(coordinator_a, SERVICES, csv("code,name_ar,owner", "A-5,خدمة,MIN-Z"), language="ar")
    assert errors[(2, "owner")] == "لا يوجد هيكل رمزه «MIN-Z»."


def test_each_row_is_judged_by_the_policy(ministry_a, coordinator_a, viewer_a, coordinator_b, service_a):
    content = csv("code,name_ar,owner,level", "A-4,خدمة,MIN-A,1", "A-1,,,5")
    before = state()
    for reader in (viewer_a, coordinator_b):
        errors = refused(reader, SERVICES, content)
        assert errors == {
            (2, "code"): "You may not add services for this organization.",
            (3, "code"): "You may not change this service.",
        }
    assert state() == before
    catalogue_import(actor=coordinator_a, kind=SERVICES, content=content)  # positive control
    assert Service.objects.get(code="A-1").level == 5 and Service.objects.filter(code="A-4").exists()


def test_a_row_that_changes_nothing_is_still_refused_to_another_ministry(coordinator_b, service_a):
    errors = refused(coordinator_b, SERVICES, csv("code,name_ar,level", "A-1,خدمة A-1,1"))
    assert errors == {(2, "code"): "You may not change this service."}


def test_a_coordinator_may_not_give_a_service_to_another_ministry(coordinator_a, service_a, ministry_b):
    errors = refused(coordinator_a, SERVICES, csv("code,owner", "A-1,MIN-B"))
    assert errors == {(2, "code"): "You may not give this service to that organization or at that classification."}
    assert Service.objects.get(code="A-1").owner.code == "MIN-A"


def test_files_that_cannot_be_imported_say_why(coordinator_a):
    assert refused(coordinator_a, SERVICES, csv("name_ar,colour", "خدمة,أحمر")) == {
        (1, "colour"): "“colour” is not a column of this kind of import.",
        (1, "code"): "The column “code” is missing.",
    }
    assert refused(coordinator_a, SERVICES, csv("code,name_ar")) == {(2, ""): "The file has no rows below its header."}
    assert refused(coordinator_a, SERVICES, b"PK\x03\x04broken", filename="x.xlsx") == {
        (0, ""): "The file cannot be read as XLSX."
    }
    formula = refused(coordinator_a, SERVICES, csv("code,name_ar,owner", "A-5,=HYPERLINK(1),MIN-A"))
    assert list(formula) == [(2, "name_ar")]


def test_a_file_longer_than_the_page_takes_is_refused_whole(coordinator_a, ministry_a, settings):
    settings.CATALOGUE_IMPORT_MAX_ROWS = 2
    content = csv("code,name_ar,owner", "A-5,خدمة,MIN-A", "A-6,خدمة,MIN-A", "A-7,خدمة,MIN-A")
    errors = refused(coordinator_a, SERVICES, content)
    assert errors[(4, "")] == "The file has more than 2 rows; split it (a large file goes faster as CSV)."
    assert not Service.objects.exists()


def test_a_dry_run_checks_every_row_and_keeps_nothing(coordinator_a, ministry_a):
    before = state()
    report = catalogue_import(
        actor=coordinator_a, kind=SERVICES, content=csv("code,name_ar,owner", "A-5,خدمة,MIN-A"), dry_run=True
    )
    assert (report.created, report.dry_run) == (1, True)
    assert state() == before


# Usage ----------------------------------------------------------------------------------------------------


def test_read_month_reads_months_as_people_write_them():
    assert read_month("2026-10") == datetime.date(2026, 10, 1)
    assert read_month("٢٠٢٦-٠٣") == datetime.date(2026, 3, 1)
    assert read_month("جانفي 2026") == datetime.date(2026, 1, 1)
    assert read_month("كانون الثاني ٢٠٢٦") == datetime.date(2026, 1, 1)
    assert read_month("octobre 2026") == datetime.date(2026, 10, 1)
    assert read_month("Feb 2026") == datetime.date(2026, 2, 1)
    assert read_month(datetime.date(2026, 5, 17)) == datetime.date(2026, 5, 1)
    for text in ("2026-13", "octobre", "2026", "قريبا 2026"):
        with pytest.raises(CellError):
            read_month(text)


def test_a_usage_file_records_months_and_refreshes_the_indicators_once(
    coordinator_a, service_a, django_capture_on_commit_callbacks
):
    usage_record(
        actor=coordinator_a,
        service=service_a,
        entry=UsageEntry(month=datetime.date(2025, 12, 1), channel="web", transactions=40),
    )
    content = csv(
        "service,month,channel,transactions,cumulative,processing_days,backlog",
        "A-1,فيفري ٢٠٢٦,web,,130,,",  # before January in the file: written after it
        'A-1,جانفي 2026,الويب,,100,"2,5",3',
        "A-1,2026-01,guichet,٧٠,,,",
        "A-1,2025-12,web,40,,,",  # as recorded: unchanged
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = catalogue_import(actor=coordinator_a, kind=USAGE, content=content, filename="usage.csv")
    assert (report.created, report.updated, report.unchanged) == (3, 0, 1)
    assert len(callbacks) == 1  # one refresh of the indicators for the whole file
    recorded = {
        (u.month.month, u.channel): (u.transactions, u.processing_days, u.backlog) for u in service_a.usage.all()
    }
    assert recorded == {
        (12, "web"): (40, None, None),
        (1, "web"): (60, Decimal("2.5"), 3),  # the running total less what was recorded before
        (2, "web"): (30, None, None),
        (1, "counter"): (70, None, None),
    }
    assert report.organization_ids == {service_a.owner_id}
    assert report.months == {datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)}


def test_bad_usage_rows_are_all_reported_and_nothing_changes(coordinator_a, service_a, service_b):
    usage_record(
        actor=coordinator_a,
        service=service_a,
        entry=UsageEntry(month=datetime.date(2026, 1, 1), channel="web", transactions=100),
    )
    content = csv(
        "service,month,channel,transactions,cumulative",
        "A-1,2026-02,web,-5,",  # a negative count
        "A-1,2026-03,web,,50",  # a running total below what is recorded
        "A-1,2026-02,fax,10,",  # an unknown channel
        "A-404,2026-02,web,10,",  # an unknown service
        "B-1,2026-02,web,10,",  # another ministry's service
        "A-1,2026-13,web,10,",  # not a month
        "A-1,2026-04,counter,10,20",  # both counts
        "A-1,2026-05,counter,10,",
        "A-1,2026-05,counter,11,",  # the same month and channel twice
        "A-1,2026-06,counter,3000000000,",  # more than any database column holds
    )
    before = state()
    errors = refused(coordinator_a, USAGE, content)
    assert sorted(errors) == [
        (2, "transactions"),
        (3, "cumulative"),
        (4, "channel"),
        (5, "service"),
        (6, "service"),
        (7, "month"),
        (8, "transactions"),
        (10, ""),
        (11, "transactions"),
    ]
    assert errors[(2, "transactions")] == "A count cannot be negative."
    assert "never decreases" in errors[(3, "cumulative")]
    assert errors[(5, "service")] == "No service has the code “A-404”."
    assert errors[(6, "service")] == "You may not report the usage of this service."
    assert state() == before


def test_a_reader_who_may_not_read_a_service_is_told_it_does_not_exist(coordinator_a, national, ministry_b):
    _service(national, "B-9", ministry_b, classification=Classification.CONFIDENTIAL)
    errors = refused(coordinator_a, USAGE, csv("service,month,channel,transactions", "B-9,2026-01,web,1"))
    assert errors == {(2, "service"): "No service has the code “B-9”."}


def test_usage_is_reported_by_those_who_change_the_service(viewer_a, coordinator_a, coordinator_b, service_a):
    content = xlsx(("الخدمة", "الشهر", "القناة", "عدد المعاملات"), ("A-1", datetime.date(2026, 1, 1), "web", 5))
    for reader in (viewer_a, coordinator_b):
        errors = refused(reader, USAGE, content, filename="usage.xlsx")
        assert errors == {(2, "الخدمة"): "You may not report the usage of this service."}
    assert not ServiceUsage.objects.exists()
    catalogue_import(actor=coordinator_a, kind=USAGE, content=content, filename="usage.xlsx")
    assert ServiceUsage.objects.get().transactions == 5


# The page -------------------------------------------------------------------------------------------------


def test_the_page_imports_a_file_or_lists_every_error(client_for, coordinator_a, service_a):
    with translation.override("ar"):
        page = reverse("catalogue-import")
    caller = client_for(coordinator_a)
    answer = caller.get(page)
    assert answer.status_code == 200
    assert reverse("catalogue-import-template", args=["usage", "csv"]) in answer.content.decode()
    bad = io.BytesIO(csv("service,month,channel,transactions", "A-1,2026-01,web,-3"))
    bad.name = "usage.csv"
    before = state()
    answer = caller.post(page, {"kind": "usage", "file": bad, "dry_run": "0"})
    assert answer.status_code == 400
    with translation.override("ar"):  # the page speaks its prefix's language
        assert translation.gettext("A count cannot be negative.") in answer.content.decode()
    assert state() == before
    good = io.BytesIO(csv("service,month,channel,transactions", "A-1,2026-01,web,3"))
    good.name = "usage.csv"
    answer = caller.post(page, {"kind": "usage", "file": good, "dry_run": "0"})
    assert answer.status_code == 302
    assert ServiceUsage.objects.get(service=service_a).transactions == 3


def test_the_page_is_for_people_who_sign_in(client_for, viewer_a):
    assert client_for(None).get(reverse("catalogue-import")).status_code == 302
    assert client_for(viewer_a).get(reverse("catalogue-import")).status_code == 200  # each row is judged


def test_the_templates_name_the_columns(client_for, coordinator_a):
    answer = client_for(coordinator_a).get(reverse("catalogue-import-template", args=["services", "csv"]))
    assert answer.status_code == 200
    header = answer.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["code", "name_ar"] and "documents" in header
    answer = client_for(coordinator_a).get(reverse("catalogue-import-template", args=["usage", "xlsx"]))
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    assert client_for(coordinator_a).get(reverse("catalogue-import-template", args=["x", "csv"])).status_code == 404


def test_a_services_file_brings_the_ministrys_digitization_indicators_in_step_once(
    coordinator_a, ministry_a, django_capture_on_commit_callbacks
):
    from masar.indicators.models import Measurement

    content = csv("code,name_ar,owner,level", "A-7,خدمة أولى,MIN-A,3", "A-8,خدمة ثانية,MIN-A,1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        catalogue_import(actor=coordinator_a, kind=SERVICES, content=content, filename="services.csv")
    assert len(callbacks) == 1  # one refresh for the file, not one per row
    value = Measurement.objects.get(indicator__code=f"SRV-{ministry_a.code}-L3")
    assert value.value == Decimal("50")
