"""The demo's catalogue: about sixty sample services of the seeds' organizations, every one labelled sample, at mixed
levels, with documents, projects, a year of usage, ratings and complaints, feeding each ministry's digitization
indicators; the public finds them."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.db import transaction
from django.test.utils import override_settings

from masar.catalogue.indicators import SOURCE
from masar.catalogue.models import (
    ONLINE_CHANNELS,
    CommentStatus,
    Feedback,
    FeedbackStatus,
    Rating,
    RequiredDocument,
    Service,
    ServiceProject,
    ServiceUsage,
)
from masar.catalogue.selectors import ServiceFilters, service_list
from masar.core.months import month_start, previous_month
from masar.core.policy import Reader
from masar.core.templatetags.masar import sample_badge
from masar.demo.catalogue import catalogue_demo_load, service_codes, usage_plan
from masar.demo.data.catalogue import SERVICES
from masar.demo.data.sample import REFERENCE_DATE
from masar.demo.services import demo_load
from masar.indicators.models import Indicator, Measurement
from masar.organizations.models import Organization, OrganizationKind
from tests.html import without_isolates

TODAY = REFERENCE_DATE
EXAMPLE_DOMAINS = (
    "https://services.example.gov.tn/",
    "https://services.example.gov.ma/",
    "https://services.gov.example/",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module on the day the sample was drawn against, rolled back afterwards."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher, transaction.atomic():
        out = io.StringIO()
        demo_load(stdout=out, today=TODAY)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


def test_about_sixty_sample_services_across_the_seeds_organizations_at_mixed_levels(loaded):
    services = Service.objects.select_related("owner")
    assert 55 <= services.count() <= 65
    assert set(services.values_list("is_sample", "source")) == {(True, "sample")}
    levels = Counter(services.values_list("level", flat=True))
    assert set(levels) == {0, 1, 2, 3, 4, 5}
    assert sum(levels[level] for level in (1, 2, 3)) > services.count() / 2  # most at 1–3
    roots = {service.owner.path.split("/")[1] for service in services}
    governments = Organization.objects.filter(kind=OrganizationKind.GOVERNMENT)
    assert roots == {str(pk) for pk in governments.values_list("pk", flat=True)}  # Tunisia, Morocco, document 004
    for service in services:
        assert service.name_ar and service.name_fr and service.name_en, service.code
        assert service.description_ar and service.description_fr and service.description_en, service.code
        assert "عيّنة" in service.legal_basis_ar and "fictif" in service.legal_basis_fr, service.code
        assert "Sample text" in service.legal_basis_en and service.steps_ar and service.channels
        assert 'class="badge sample"' in sample_badge(service)


def test_online_addresses_are_only_on_example_domains_and_fees_in_the_countrys_currency(loaded):
    services = Service.objects.select_related("owner")
    online = services.exclude(online_url="")
    assert online.count() >= 30  # positive control
    for service in online:
        assert service.online_url.startswith(EXAMPLE_DOMAINS) and service.level >= 2, service.code
    currencies = Counter(
        (service.code.split("-")[0], service.fee_currency) for service in services.filter(fee__isnull=False)
    )
    assert set(currencies) == {("TN", "TND"), ("MA", "MAD")}
    assert not services.filter(code__startswith="GOV-004", fee__isnull=False).exists()


def test_required_documents_show_once_only_opportunities_held_in_the_same_country(loaded):
    documents = RequiredDocument.objects.select_related("service__owner", "held_by")
    opportunities = [d for d in documents if d.is_once_only_opportunity]
    assert len(opportunities) >= 20 and len(opportunities) < documents.count()
    for document in opportunities:
        assert document.held_by.code[:3] == document.service.owner.code[:3], document.name_en
    record = documents.filter(name_ar="بطاقة عدد 3").first()
    assert record is not None and record.held_by.code == "TN-SMP-06"


def test_services_link_projects_of_the_2025_2026_program_and_of_the_2021_strategy_with_targets(loaded):
    links = ServiceProject.objects.select_related("service", "project__strategy")
    strategies = Counter(link.project.strategy.code for link in links)
    assert strategies["TN-PTN-2526"] >= 20 and strategies["STR-004"] >= 3
    for link in links:
        assert link.target_date is not None, link.service.code
        assert link.target_level > link.service.level or link.service.level == 5, link.service.code
    # A link to a project the public may not read stays off the public's view of the service.
    hidden = links.exclude(project__classification="public")
    assert hidden.exists()
    public_links = ServiceProject.objects.visible_to(Reader.public())
    assert not public_links.filter(pk__in=hidden.values("pk")).exists() and public_links.exists()


def test_twelve_months_of_usage_per_service_and_channel_trending_online(loaded):
    last, first = previous_month(TODAY), month_start(datetime.date(TODAY.year - 1, TODAY.month, 1))
    for service in Service.objects.all():
        months = Counter(ServiceUsage.objects.filter(service=service).values_list("channel", flat=True))
        assert months == dict.fromkeys(service.channel_list, 12), service.code
    assert set(ServiceUsage.objects.values_list("is_sample", flat=True)) == {True}
    span = ServiceUsage.objects.values_list("month", flat=True)
    assert (min(span), max(span)) == (first, last)

    def online_share(month):
        rows = ServiceUsage.objects.filter(month=month)
        online = sum(r.transactions for r in rows if r.channel in ONLINE_CHANNELS)
        return online / sum(r.transactions for r in rows)

    assert online_share(last) > online_share(first) + 0.05


def test_the_usage_plan_is_the_same_for_the_same_service_and_day():
    code, spec = service_codes()[0]
    months = [datetime.date(2026, m, 1) for m in range(1, 13)]
    assert usage_plan(code, spec, months) == usage_plan(code, spec, months)
    other_code, other_spec = service_codes()[1]
    assert usage_plan(other_code, other_spec, months) != usage_plan(code, spec, months)


def test_ratings_and_complaints_some_moderated_some_pending_answered_and_closed(loaded):
    ratings = Rating.objects.all()
    assert 200 <= ratings.count() <= 400 and set(ratings.values_list("is_sample", flat=True)) == {True}
    statuses = Counter(ratings.values_list("comment_status", flat=True))
    assert statuses[CommentStatus.APPROVED] > 5 * statuses[CommentStatus.PENDING] > 0
    assert statuses[CommentStatus.REJECTED] == 1
    languages = Counter(ratings.exclude(comment="").values_list("language", flat=True))
    assert languages["ar"] and languages["fr"]
    for service in Service.objects.all():
        counted = Rating.objects.filter(service=service)
        assert service.rating_count == counted.count(), service.code
        assert service.rating_total == sum(counted.values_list("score", flat=True)), service.code
    assert all(r.created_at.date() <= TODAY for r in ratings)
    feedback = Feedback.objects.all()
    states = Counter(feedback.values_list("status", flat=True))
    assert states[FeedbackStatus.ANSWERED] >= 2 and states[FeedbackStatus.CLOSED] == 1 and states["received"] >= 2
    closed = feedback.get(status=FeedbackStatus.CLOSED)
    assert closed.contact == "" and closed.answer and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", closed.tracking_number)
    assert feedback.exclude(status=FeedbackStatus.CLOSED).exclude(contact="").exists()


def test_each_ministry_with_services_has_its_digitization_indicators_in_step(loaded, client):
    ministries = {
        service.owner.path.split("/")[2]
        for service in Service.objects.select_related("owner")
        if len(service.owner.path.split("/")) > 3
    }
    with_services = Organization.objects.filter(pk__in=ministries, kind=OrganizationKind.MINISTRY)
    assert with_services.count() >= 14  # the Tunisian ministries and the Moroccan sector
    for ministry in with_services:
        codes = set(Indicator.objects.filter(owner=ministry, source=SOURCE).values_list("code", flat=True))
        assert codes == {f"SRV-{ministry.code}-L3", f"SRV-{ministry.code}-L4", f"SRV-{ministry.code}-ONLINE"}
        online = Measurement.objects.filter(indicator__code=f"SRV-{ministry.code}-ONLINE")
        assert online.count() == 12 and set(online.values_list("is_sample", flat=True)) == {True}
        services = Service.objects.filter(owner__path__startswith=ministry.path)
        share = 100 * services.filter(level__gte=3).count() / services.count()
        level = Measurement.objects.get(indicator__code=f"SRV-{ministry.code}-L3", period=month_start(TODAY))
        assert float(level.value) == pytest.approx(share, abs=0.001), ministry.code
    league = without_isolates(client.get("/en/indicators/scorecards/").content.decode())
    shown = dict(
        re.findall(r'<tr data-ministry="([^"]+)">.*?<td class="num services-online">([^<]*)</td>', league, re.S)
    )
    assert shown["TN-SMP-02"] == "100%" and shown["MA-COM"] == "20%"


def test_the_anonymous_public_finds_the_services_by_name_each_labelled_sample(loaded, client):
    public = service_list(Reader.public(), ServiceFilters())
    assert public.count() == Service.objects.count() > 0
    found = list(service_list(Reader.public(), ServiceFilters(q="مضمون ولادة")).values_list("name_fr", flat=True))
    assert found and found[0] == "Extrait d'acte de naissance"
    directory = client.get("/ar/portal/services/?q=مضمون ولادة").content.decode()
    rows = re.findall(r'<li class="service-row">.*?</h2>', directory, re.S)
    assert rows and all('class="badge sample"' in row for row in rows)
    service = Service.objects.get(code="TN-SMP-06-S01")
    page = client.get(f"/fr/portal/services/{service.pk}/").content.decode()
    assert "Extrait du casier judiciaire" in page and 'class="badge sample"' in page


def test_the_demo_prints_what_its_catalogue_created_and_loading_again_creates_nothing(loaded):
    assert re.search(r"catalogue: created \d+ sample services", loaded)
    models = (Service, ServiceUsage, ServiceProject, Rating, Feedback, Indicator, Measurement)
    before = [model.objects.count() for model in models]
    out = io.StringIO()
    assert catalogue_demo_load(stdout=out, today=TODAY) == dict.fromkeys(
        ("services", "usage", "links", "ratings", "feedback"), 0
    )
    assert "already loaded" in out.getvalue()
    assert [model.objects.count() for model in models] == before


def test_the_data_names_each_service_once():
    slugs = [spec["slug"] for spec in SERVICES]
    codes = [code for code, _spec in service_codes()]
    assert len(set(slugs)) == len(slugs) and len(set(codes)) == len(codes)
