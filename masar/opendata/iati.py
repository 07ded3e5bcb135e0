"""The IATI 2.03 activity file at /iati/activities.xml: the public projects with an external partner or funder.

Donors' systems and the IATI registry read the projects of international cooperation here. A project is
published when the public may read it (read through the project selector with `Reader.public()`, so a
project classified later leaves the next file) and it is funded by a donor or a public–private partnership
or has partner organizations. Each `iati-activity` holds:
- its identifier `<IATI_REPORTING_ORG_REF>-<project code>`, the reporting organisation (the publisher,
  government type 10), title and description in Arabic, French and English (the languages filled in);
- the participating organisations: the owner, accountable (2) and implementing (4); each partner,
  accountable (2); a donor, funding (1), named by its role since Masar keeps no funder record;
- its status (`ACTIVITY_STATUS`), planned start and end dates, and the actual ones where milestones tell
  them (the first milestone reached; the last one, once completed and every milestone reached);
- the recipient country (IATI_RECIPIENT_COUNTRY), one location per region, its DAC 5-digit sector
  (`masar.opendata.sectors`), its planned budget over the planned period;
- one expenditure transaction (type 4) per public approved monthly update, the rise of its spend to date;
- one output result per public indicator linked to the project: national baseline, targets and the
  approved national values of the targets' periods.
Never published: classification, managers and other staff, narratives, comments, reasons, notes.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.http import require_safe
from lxml import etree  # type: ignore[import-untyped]

from masar.core.months import month_end
from masar.core.policy import Reader
from masar.delivery.models import UpdateStatus
from masar.delivery.selectors import UpdateFilters, update_list
from masar.indicators.models import (
    Aggregation,
    Baseline,
    Direction,
    IndicatorKind,
    MeasurementStatus,
    Target,
    TargetKind,
)
from masar.indicators.periods import period_end
from masar.indicators.selectors import (
    IndicatorFilters,
    MeasurementFilters,
    finish,
    indicator_list,
    measurement_list,
    rule_expression,
)
from masar.opendata.publisher import publisher
from masar.opendata.sectors import DAC_VOCABULARY, dac_sector
from masar.organizations.models import Organization, OrganizationKind, RegionKind
from masar.portfolio.models import FundingKind, Milestone, Project, ProjectStatus
from masar.portfolio.rows import with_row_data
from masar.portfolio.selectors import ProjectFilters, project_list

PUBLIC = Reader.public()
VERSION = "2.03"
LANGUAGES = ("ar", "fr", "en")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EXTERNAL_FUNDING = (FundingKind.DONOR, FundingKind.PPP)
CACHE_SECONDS = 300


class ActivityStatus(enum.StrEnum):
    PIPELINE = "1"
    IMPLEMENTATION = "2"
    FINALISATION = "3"
    CLOSED = "4"
    CANCELLED = "5"
    SUSPENDED = "6"


class DateType(enum.StrEnum):
    PLANNED_START = "1"
    ACTUAL_START = "2"
    PLANNED_END = "3"
    ACTUAL_END = "4"


class Role(enum.StrEnum):
    FUNDING = "1"
    ACCOUNTABLE = "2"
    EXTENDING = "3"
    IMPLEMENTING = "4"


class OrganisationType(enum.StrEnum):
    GOVERNMENT = "10"
    OTHER_PUBLIC_SECTOR = "15"


class Measure(enum.StrEnum):
    UNIT = "1"
    PERCENTAGE = "2"


# IATI codes used once each, named by their codelist.
GENERAL_DESCRIPTION = "1"  # DescriptionType
ORIGINAL_BUDGET = "1"  # BudgetType
INDICATIVE_BUDGET = "1"  # BudgetStatus
EXPENDITURE = "4"  # TransactionType
OUTPUT = "1"  # ResultType
ACTIVITY_REACH = "1"  # GeographicLocationReach: the location is where the activity happens
ADMINISTRATIVE_REGION = "1"  # GeographicLocationClass
ISO_COUNTRY = "A4"  # GeographicVocabulary: ISO 3166-1 alpha-2

# A completed project is physically complete; its financial close is not recorded in Masar, hence finalisation.
ACTIVITY_STATUS: dict[str, ActivityStatus] = {
    ProjectStatus.PLANNED: ActivityStatus.PIPELINE,
    ProjectStatus.IN_PROGRESS: ActivityStatus.IMPLEMENTATION,
    ProjectStatus.COMPLETED: ActivityStatus.FINALISATION,
    ProjectStatus.CANCELLED: ActivityStatus.CANCELLED,
    ProjectStatus.SUSPENDED: ActivityStatus.SUSPENDED,
}
# GeoNames feature codes: a country, its first-order divisions (a region, a governorate), second-order ones.
FEATURE_DESIGNATION = {
    RegionKind.COUNTRY: "PCLI",
    RegionKind.REGION: "ADM1",
    RegionKind.GOVERNORATE: "ADM1",
    RegionKind.PROVINCE: "ADM2",
}
MEASURE = {IndicatorKind.PERCENTAGE: Measure.PERCENTAGE}  # counts, ratios and indexes are units


# Reading -----------------------------------------------------------------------------------------


def iati_projects() -> QuerySet[Project]:
    """Return the public projects IATI reports, with everything their activity reads, in a fixed number of queries."""
    partnered = Exists(Project.partners.through.objects.filter(project=OuterRef("pk")))
    projects = project_list(PUBLIC, ProjectFilters()).filter(Q(funding_kind__in=EXTERNAL_FUNDING) | partnered)
    updates = update_list(PUBLIC, UpdateFilters(status=UpdateStatus.APPROVED)).order_by("period")
    milestones = Milestone.objects.visible_to(PUBLIC).order_by("order")
    national = Q(region__isnull=True)
    indicators = indicator_list(PUBLIC, IndicatorFilters()).prefetch_related(
        Prefetch("baselines", queryset=Baseline.objects.visible_to(PUBLIC).filter(national), to_attr="iati_baselines"),
        Prefetch(
            "targets",
            queryset=Target.objects.visible_to(PUBLIC).filter(national, kind=TargetKind.TARGET).order_by("period"),
            to_attr="iati_targets",
        ),
    )
    return with_row_data(projects, PUBLIC).prefetch_related(
        Prefetch("partners", queryset=Organization.objects.order_by("path")),
        Prefetch("milestones", queryset=milestones, to_attr="iati_milestones"),
        Prefetch("updates", queryset=updates, to_attr="iati_updates"),
        Prefetch("indicators", queryset=indicators, to_attr="iati_indicators"),
    )


def national_actuals(projects: list[Any]) -> dict[tuple[int, datetime.date], float | None]:
    """Return {(indicator id, period): national value} of the public approved values of the targets' periods.

    One query: the values of each indicator and period rolled up by every rule; each indicator's own rule is
    then picked, as `masar.indicators.selectors.national_series` rolls them up.
    """
    indicators = {i.pk: i for p in projects for i in p.iati_indicators}
    periods = {t.period for i in indicators.values() for t in i.iati_targets}
    if not periods:
        return {}
    rules = {f"rolled_{rule}": rule_expression(rule) for rule in Aggregation.values}
    rows = (
        measurement_list(PUBLIC, MeasurementFilters(status=MeasurementStatus.APPROVED))
        .filter(indicator__in=list(indicators), period__in=periods)
        .order_by()
        .values("indicator", "period")
        .annotate(**rules)
    )
    actuals = {}
    for row in rows:
        indicator = indicators[row["indicator"]]
        raw = cast("dict[str, Any]", row)[f"rolled_{indicator.effective_aggregation()}"]
        actuals[row["indicator"], row["period"]] = finish(raw, kind=indicator.kind, factor=indicator.factor)
    return actuals


# Writing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every activity of one file shares."""

    reporting_ref: str
    reporting_names: dict[str, str]
    country: str
    actuals: dict[tuple[int, datetime.date], float | None]
    today: datetime.date


def _sub(parent: etree._Element, tag: str, **attributes: Any) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        if value is not None:
            element.set(name.replace("_", "-"), str(value))
    return element


def _texts(obj: Any, field: str) -> dict[str, str]:
    return {language: (getattr(obj, f"{field}_{language}", "") or "").strip() for language in LANGUAGES}


def _narratives(parent: etree._Element, texts: dict[str, str]) -> etree._Element:
    """Add one narrative per language whose text is filled in."""
    for language in LANGUAGES:
        if texts.get(language):
            narrative = etree.SubElement(parent, "narrative")
            narrative.set(XML_LANG, language)
            narrative.text = texts[language]
    return parent


def _labels(label: Any) -> dict[str, str]:
    """Return a translatable label in each language."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(label)
    return texts


def _number(value: Decimal | float) -> str:
    """Return a number as xsd:decimal writes it, without an exponent or trailing zeros (1200000, 18.5)."""
    return format(Decimal(str(value)).normalize(), "f")


def _organisation(parent: etree._Element, organization: Organization, role: str) -> None:
    kind = OrganisationType.OTHER_PUBLIC_SECTOR if organization.kind == OrganizationKind.BODY else None
    element = _sub(parent, "participating-org", role=role, type=kind or OrganisationType.GOVERNMENT)
    _narratives(element, _texts(organization, "name"))


def _dates(activity: etree._Element, project: Any) -> None:
    _sub(activity, "activity-date", type=DateType.PLANNED_START, iso_date=project.planned_start.isoformat())
    reached = sorted(m.actual_date for m in project.iati_milestones if m.actual_date is not None)
    if reached and project.status != ProjectStatus.PLANNED:
        _sub(activity, "activity-date", type=DateType.ACTUAL_START, iso_date=reached[0].isoformat())
    _sub(activity, "activity-date", type=DateType.PLANNED_END, iso_date=project.planned_end.isoformat())
    all_reached = len(reached) == len(project.iati_milestones)
    if reached and all_reached and project.status == ProjectStatus.COMPLETED:
        _sub(activity, "activity-date", type=DateType.ACTUAL_END, iso_date=reached[-1].isoformat())


def _location(activity: etree._Element, region: Any, country: str) -> None:
    location = _sub(activity, "location", ref=region.code)
    _sub(location, "location-reach", code=ACTIVITY_REACH)
    _narratives(_sub(location, "name"), _texts(region, "name"))
    _sub(location, "administrative", vocabulary=ISO_COUNTRY, level="0", code=country)
    _sub(location, "location-class", code=ADMINISTRATIVE_REGION)
    if region.kind in FEATURE_DESIGNATION:
        _sub(location, "feature-designation", code=FEATURE_DESIGNATION[region.kind])


def _money(parent: etree._Element, amount: Decimal, day: datetime.date, currency: str) -> None:
    value = _sub(parent, "value", currency=currency, value_date=day.isoformat())
    value.text = _number(amount)


def _transactions(activity: etree._Element, project: Any, today: datetime.date) -> None:
    """Add one expenditure per public approved update: the rise of the spend it reports since the one before."""
    spent = Decimal(0)
    for update in project.iati_updates:
        rise, spent = update.spend_to_date - spent, max(spent, update.spend_to_date)
        if rise <= 0:
            continue
        day = min(month_end(update.period), today)
        transaction = _sub(activity, "transaction")
        _sub(transaction, "transaction-type", code=EXPENDITURE)
        _sub(transaction, "transaction-date", iso_date=day.isoformat())
        _money(transaction, rise, day, project.currency)


def _result(activity: etree._Element, indicator: Any, actuals: dict[tuple[int, datetime.date], float | None]) -> None:
    result = _sub(activity, "result", type=OUTPUT)
    _narratives(_sub(result, "title"), _texts(indicator, "name"))
    ascending = "1" if indicator.direction == Direction.INCREASE else "0"
    element = _sub(result, "indicator", measure=MEASURE.get(indicator.kind, Measure.UNIT), ascending=ascending)
    _narratives(_sub(element, "title"), _texts(indicator, "name"))
    description = _texts(indicator, "description")
    if any(description.values()):
        _narratives(_sub(element, "description"), description)
    for baseline in indicator.iati_baselines:
        _sub(
            element,
            "baseline",
            year=baseline.date.year,
            iso_date=baseline.date.isoformat(),
            value=_number(baseline.value),
        )
    for target in indicator.iati_targets:
        period = _sub(element, "period")
        _sub(period, "period-start", iso_date=target.period.isoformat())
        _sub(period, "period-end", iso_date=period_end(target.period, indicator.frequency).isoformat())
        _sub(period, "target", value=_number(target.value))
        actual = actuals.get((indicator.pk, target.period))
        if actual is not None:
            _sub(period, "actual", value=_number(actual))


def activity_element(project: Any, context: Context) -> etree._Element:
    """Return the iati-activity of a project read through `iati_projects`."""
    activity = etree.Element("iati-activity")
    activity.set("last-updated-datetime", project.updated_at.isoformat(timespec="seconds"))
    activity.set(XML_LANG, "ar")
    activity.set("default-currency", project.currency)
    _sub(activity, "iati-identifier").text = f"{context.reporting_ref}-{project.code}"
    reporting = _sub(activity, "reporting-org", ref=context.reporting_ref, type=OrganisationType.GOVERNMENT)
    _narratives(reporting, context.reporting_names)
    _narratives(_sub(activity, "title"), _texts(project, "name"))
    description = _texts(project, "description")
    if not any(description.values()):
        description = _texts(project, "name")  # IATI requires a description: a project without one is its name
    _narratives(_sub(activity, "description", type=GENERAL_DESCRIPTION), description)
    if project.funding_kind == FundingKind.DONOR:
        _narratives(_sub(activity, "participating-org", role=Role.FUNDING), _labels(FundingKind.DONOR.label))
    _organisation(activity, project.owner, Role.ACCOUNTABLE)
    for partner in project.partners.all():
        _organisation(activity, partner, Role.ACCOUNTABLE)
    _organisation(activity, project.owner, Role.IMPLEMENTING)
    _sub(activity, "activity-status", code=ACTIVITY_STATUS[project.status])
    _dates(activity, project)
    _sub(activity, "recipient-country", code=context.country, percentage="100")
    for region in project.regions.all():
        _location(activity, region, context.country)
    _sub(activity, "sector", vocabulary=DAC_VOCABULARY, code=dac_sector(project), percentage="100")
    if project.planned_budget is not None:
        budget = _sub(activity, "budget", type=ORIGINAL_BUDGET, status=INDICATIVE_BUDGET)
        _sub(budget, "period-start", iso_date=project.planned_start.isoformat())
        _sub(budget, "period-end", iso_date=project.planned_end.isoformat())
        _money(budget, project.planned_budget, project.planned_start, project.currency)
    _transactions(activity, project, context.today)
    for indicator in project.iati_indicators:
        _result(activity, indicator, context.actuals)
    return activity


def activities_document(now: datetime.datetime | None = None) -> etree._Element:
    """Return the iati-activities document of every project IATI reports, as the public may read them."""
    now = now or timezone.now()
    projects = list(iati_projects())
    organization = publisher()
    context = Context(
        reporting_ref=settings.IATI_REPORTING_ORG_REF,
        reporting_names=_texts(organization, "name") if organization else {"ar": settings.IATI_REPORTING_ORG_REF},
        country=settings.IATI_RECIPIENT_COUNTRY,
        actuals=national_actuals(projects),
        today=timezone.localdate(now),
    )
    root = etree.Element("iati-activities", version=VERSION)
    root.set("generated-datetime", now.isoformat(timespec="seconds"))
    for project in projects:
        root.append(activity_element(project, context))
    return root


@require_safe
def activities(request: HttpRequest) -> HttpResponse:
    """Return the IATI activity file (generated from the database at each request)."""
    body = etree.tostring(activities_document(), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [path("iati/activities.xml", activities, name="opendata-iati-activities")]
