"""The demo's catalogue of services: about 60 sample services of the seeds' organizations with their documents, the
projects that digitize them, twelve months of usage, citizens' ratings and complaints, and the digitization
indicators they feed.

Every record is sample data (`is_sample`, source "sample"), written through the catalogue's own services (audited,
indexed for search) and dated from the load day: the usage runs over the twelve months before it, trending towards
the online channels, the ratings and complaints over the year before it. Everything is drawn from generators
seeded by each service's code, so the same day loads the same rows. Loading again creates nothing.
"""

from __future__ import annotations

import datetime
import io
import math
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from masar.accounts.models import User
from masar.catalogue.indicators import digitization_refresh_all
from masar.catalogue.models import (
    ONLINE_CHANNELS,
    Channel,
    Feedback,
    LifeEvent,
    ModerationAction,
    Rating,
    Service,
    ServiceCategory,
)
from masar.catalogue.services import (
    DocumentEntry,
    UsageEntry,
    service_create,
    service_documents_set,
    service_project_link,
    usage_record,
)
from masar.catalogue.voice import comment_moderate, feedback_answer, feedback_close, feedback_submit, rating_submit
from masar.core.months import previous_month
from masar.core.services import model_create
from masar.demo.data import catalogue as data
from masar.demo.data import sample
from masar.organizations.models import Organization
from masar.portfolio.models import Project

SAMPLE = {"is_sample": True, "source": sample.SOURCE}
NAMES = ("name_ar", "name_fr", "name_en")
PROGRAM = "TN-PTN-2526"
ADDRESS = "sample"  # the public's address of the sample's ratings and complaints (not throttled: is_sample)
# The share of a month's transactions made online, from the first to the twelfth month, by level.
ONLINE_TREND = {0: (0.0, 0.0), 1: (0.0, 0.0), 2: (0.08, 0.22), 3: (0.25, 0.5), 4: (0.5, 0.8), 5: (0.8, 0.95)}
ONLINE_SPLIT = {Channel.WEB: 0.6, Channel.MOBILE: 0.3, Channel.KIOSK: 0.1}
PENDING_DAYS = 10  # comments younger than this still wait for moderation
# The demo's people answering citizens, by the ministry they work in (others are answered by the national unit).
ANSWERERS = {"TN-MTC": "coord.mtc", "TN-SMP-02": "coord.finance"}


def _country(code: str) -> str:
    return code.split("-", 1)[0] if code.startswith(("TN-", "MA-")) else "GOV"


def _ministry_code(owner: str) -> str:
    """Return the code of the ministry (or government) an owner code belongs to: "TN-SMP-02-D1" -> "TN-SMP-02"."""
    head, _, tail = owner.rpartition("-")
    return head if tail.startswith("D") and tail[1:].isdigit() else owner


def service_codes() -> list[tuple[str, dict[str, Any]]]:
    """Return (code, spec) of every sample service: its ministry's code and its number within that ministry."""
    numbers: dict[str, int] = {}
    rows = []
    for spec in data.SERVICES:
        ministry = _ministry_code(spec["owner"])
        numbers[ministry] = numbers.get(ministry, 0) + 1
        rows.append((f"{ministry}-S{numbers[ministry]:02d}", spec))
    return rows


def _months(today: datetime.date) -> list[datetime.date]:
    """Return the twelve months before today's, oldest first."""
    months = [previous_month(today)]
    for _ in range(11):
        months.append(previous_month(months[-1]))
    return months[::-1]


def usage_plan(code: str, spec: dict[str, Any], months: list[datetime.date]) -> list[UsageEntry]:
    """Return the sample usage of one service: every month and channel, drawn from a generator seeded by its code.

    The share made online grows month by month (by level, ONLINE_TREND); the counter keeps the rest, the call
    centre a twentieth; the actual processing time hovers around the target, longer at the counter.
    """
    rng = random.Random(f"usage:{code}")
    channels = spec["channels"]
    online = [c for c in channels if c in ONLINE_CHANNELS]
    start, end = ONLINE_TREND[spec["level"]]
    start, end = (max(0.0, min(1.0, x + rng.uniform(-0.05, 0.05))) for x in (start, end))
    if online and Channel.COUNTER not in channels:
        start = end = 1.0  # no counter: everything not done by phone is online
    entries = []
    for i, month in enumerate(months):
        total = spec["volume"] * (1 + 0.01 * i) * rng.uniform(0.9, 1.1)
        phone = 0.05 * total if Channel.CALL_CENTRE in channels else 0.0
        share = (start + (end - start) * i / (len(months) - 1)) if online else 0.0
        weights = {c: ONLINE_SPLIT[c] for c in online}
        for channel in channels:
            if channel in ONLINE_CHANNELS:
                count = (total - phone) * share * weights[channel] / sum(weights.values())
            elif channel == Channel.CALL_CENTRE:
                count = phone
            else:
                count = (total - phone) * (1 - share)
            days = spec["days"]
            slower = 1.0 if channel in ONLINE_CHANNELS else 1.3
            entries.append(
                UsageEntry(
                    month=month,
                    channel=channel,
                    transactions=max(0, round(count)),
                    processing_days=Decimal(str(round(days * slower * rng.uniform(0.7, 1.2), 1))) if days else None,
                    backlog=round(count * rng.uniform(0.0, 0.04)) if channel == Channel.COUNTER else None,
                )
            )
    return entries


class _Loader:
    def __init__(self, out: Any, today: datetime.date) -> None:
        self.out, self.today = out, today
        self.users = {u.username: u for u in User.objects.filter(username__in=["admin", *ANSWERERS.values()])}
        self.admin = self.users["admin"]
        codes = {spec["owner"] for spec in data.SERVICES} | {h for _n, h in data.DOCUMENTS.values() if h}
        self.organizations = {o.code: o for o in Organization.objects.filter(code__in=codes | {"GOV-004"})}
        self.services: dict[str, Service] = {}  # slug -> service
        self.counts = {"services": 0, "usage": 0, "links": 0, "ratings": 0, "feedback": 0}

    def themes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Create the life events and categories that are missing; return them by code."""
        return _themes(LifeEvent, data.LIFE_EVENTS), _themes(ServiceCategory, data.CATEGORIES)

    def service(self, code: str, spec: dict[str, Any], events: dict, categories: dict) -> Service:
        country = _country(spec["owner"])
        currency, domain = data.COUNTRIES[country]
        rng = random.Random(f"service:{code}")
        name = spec["name"]
        basis = {
            f"legal_basis_{lang}": template.format(
                number=rng.randint(100, 2999), year=rng.randint(2005, 2022), short=rng.randint(10, 22), name=text
            )
            for lang, template, text in zip(("ar", "fr", "en"), data.LEGAL_BASIS[country], name, strict=True)
        }
        fields = {
            "code": code,
            "owner": self.organizations[spec["owner"]],
            **dict(zip(("name_ar", "name_fr", "name_en"), name, strict=True)),
            **dict(zip(("description_ar", "description_fr", "description_en"), spec["description"], strict=True)),
            **dict(zip(("steps_ar", "steps_fr", "steps_en"), data.STEPS[spec["level"]], strict=True)),
            **basis,
            "level": spec["level"],
            "channels": spec["channels"],
            "audiences": spec["audiences"],
            "life_event": events.get(spec["event"]),
            "category": categories[spec["category"]],
            "processing_days": spec["days"],
            "online_url": f"{domain}{spec['slug']}" if spec["level"] >= 2 else "",
            **SAMPLE,
        }
        if spec["fee"] is not None and currency:
            fields |= {"fee": Decimal(spec["fee"]), "fee_currency": currency}
            fields |= dict(zip(("fee_note_ar", "fee_note_fr", "fee_note_en"), data.FEE_NOTES[country], strict=True))
        service = service_create(actor=self.admin, data=fields, refresh=False)  # refreshed once at the end
        documents = []
        for key in spec["documents"]:
            names, holder = data.DOCUMENTS[key]
            # A document is held by an administration of the service's own country only.
            held_by = self.organizations.get(holder) if holder and _country(holder) == country else None
            documents.append(DocumentEntry(*names, held_by=held_by))
        if documents:
            service_documents_set(actor=self.admin, service=service, documents=documents)
        return service

    def links(self, service: Service, spec: dict[str, Any], projects: dict[tuple[str, str], list[Project]]) -> None:
        """Link the program's projects on the service's subject, and STR-004's for the government of document 004."""
        ministry = _ministry_code(spec["owner"])
        targets: list[tuple[Project, int]] = []
        if spec["subject"] is not None and ministry.startswith("TN-"):
            subjects = sample.MTC_SUBJECTS if ministry == "TN-MTC" else _subjects(ministry)
            for project in projects.get((ministry, subjects[spec["subject"]][2]), []):
                # The data-exchange program's projects fetch the documents instead of asking for them (once only).
                once_only = project.program is not None and project.program.order == 2
                targets.append((project, 5 if once_only else min(5, max(3, spec["level"] + 1))))
        if spec["slug"] in data.STR_004_LINKS:
            number, level = data.STR_004_LINKS[spec["slug"]]
            found = Project.objects.filter(code=f"S004-{number:03d}").first()
            if found is not None:
                targets.append((found, level))
        for project, level in targets:
            if level <= spec["level"] and spec["level"] < 5:
                level = spec["level"] + 1
            date = project.planned_end
            service_project_link(
                actor=self.admin, service=service, project=project, target_level=level, target_date=date
            )
            self.counts["links"] += 1

    def usage(self, code: str, service: Service, spec: dict[str, Any], months: list[datetime.date]) -> None:
        for entry in usage_plan(code, spec, months):
            usage_record(
                actor=self.admin, service=service, entry=entry, source=sample.SOURCE, is_sample=True, refresh=False
            )
            self.counts["usage"] += 1

    def moment(self, days_ago: int, rng: random.Random) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=days_ago)
        hour = datetime.time(rng.randint(8, 21), rng.randint(0, 59))
        return timezone.make_aware(datetime.datetime.combine(day, hour))

    def ratings(self, code: str, service: Service, spec: dict[str, Any]) -> None:
        """Rate a service as its users would: scores that rise with its level, some with a comment, moderated."""
        rng = random.Random(f"ratings:{code}")
        languages = ("ar",) if _country(spec["owner"]) == "GOV" else ("ar", "fr")
        dated = []
        for _ in range(1 + round(math.sqrt(spec["volume"]) / 20)):
            score = max(1, min(5, round(rng.gauss(2.6 + 0.35 * spec["level"], 1.0))))
            tone = "good" if score >= 4 else "fair" if score == 3 else "poor"
            pool = [c for c in data.COMMENTS[tone] if c[0] in languages]
            language, comment = rng.choice(pool) if rng.random() < 0.3 else (rng.choice(languages), "")
            rating = rating_submit(
                service=service, score=score, comment=comment, language=language, address=ADDRESS, is_sample=True
            )
            days_ago = rng.randint(0, 364)
            if comment and days_ago >= PENDING_DAYS:
                rating = comment_moderate(
                    actor=self.answerer(spec), rating=rating, action=ModerationAction.APPROVE, version=rating.version
                )
            dated.append((rating.pk, self.moment(days_ago, rng)))
            self.counts["ratings"] += 1
        for pk, moment in dated:
            moderated = min(moment + datetime.timedelta(days=2), self.moment(0, rng))
            Rating.objects.filter(pk=pk).update(created_at=moment)
            Rating.objects.filter(pk=pk, moderated_at__isnull=False).update(moderated_at=moderated)

    def answerer(self, spec: dict[str, Any]) -> User:
        return self.users.get(ANSWERERS.get(_ministry_code(spec["owner"]), ""), self.admin)

    def voice(self, specs: dict[str, dict[str, Any]]) -> None:
        """Send the sample's complaints and suggestions, answer some and close one; and one comment to reject."""
        rng = random.Random("feedback")
        for slug, kind, language, text, contact, answer, closed, days_ago in data.FEEDBACK:
            service = self.services[slug]
            feedback = feedback_submit(
                service=service,
                kind=kind,
                text=text,
                contact=contact,
                language=language,
                address=ADDRESS,
                is_sample=True,
            )
            moment = self.moment(days_ago, rng)
            dates: dict[str, Any] = {"created_at": moment}
            if answer:
                actor = self.answerer(specs[slug])
                feedback = feedback_answer(actor=actor, feedback=feedback, answer=answer, version=feedback.version)
                dates["answered_at"] = moment + datetime.timedelta(days=3)
                if closed:
                    feedback = feedback_close(actor=actor, feedback=feedback, version=feedback.version)
                    dates["closed_at"] = moment + datetime.timedelta(days=5)
            Feedback.objects.filter(pk=feedback.pk).update(**dates)
            self.counts["feedback"] += 1
        spam_service = self.services["birth-extract"]
        language, text = data.OFF_TOPIC
        spam = rating_submit(
            service=spam_service, score=1, comment=text, language=language, address=ADDRESS, is_sample=True
        )
        moderator = self.answerer(specs["birth-extract"])
        comment_moderate(actor=moderator, rating=spam, action=ModerationAction.REJECT, version=spam.version)
        Rating.objects.filter(pk=spam.pk).update(created_at=self.moment(15, rng))
        self.counts["ratings"] += 1


def _themes(model: Any, rows: list[tuple[str, data.Texts]]) -> dict[str, Any]:
    existing = {row.code: row for row in model.objects.all()}
    for order, (code, names) in enumerate(rows, start=1):
        if code not in existing:
            fields = {"code": code, "order": order, **dict(zip(NAMES, names, strict=True))}
            existing[code] = model_create(model=model, actor=None, data=fields)
    return existing


def _subjects(ministry: str) -> Any:
    return next(m["subjects"] for m in sample.MINISTRIES if m["code"] == ministry)


def _program_projects() -> dict[tuple[str, str], list[Project]]:
    """Return the program's projects of the remote-services and data-exchange programs by (owner, subject in
    English), as their names give it ("Online services: passport")."""
    found: dict[tuple[str, str], list[Project]] = {}
    projects = Project.objects.filter(strategy__code=PROGRAM, program__order__in=(1, 2)).select_related(
        "owner", "program"
    )
    for project in projects.order_by("code"):
        subject = project.name_en.rpartition(": ")[2]
        found.setdefault((project.owner.code, subject), []).append(project)
    return found


@transaction.atomic
def catalogue_demo_load(*, stdout: Any = None, today: datetime.date | None = None) -> dict[str, int]:
    """Create the sample catalogue once (found by its first service's code), then bring its indicators in step.

    Returns what was created, by kind; loading again creates nothing.
    """
    out = stdout or io.StringIO()
    today = today or timezone.localdate()
    rows = service_codes()
    if Service.objects.filter(code=rows[0][0]).exists():
        out.write("catalogue: the sample services are already loaded\n")
        return {"services": 0, "usage": 0, "links": 0, "ratings": 0, "feedback": 0}
    loader = _Loader(out, today)
    events, categories = loader.themes()
    projects, months = _program_projects(), _months(today)
    specs = {}
    for code, spec in rows:
        service = loader.service(code, spec, events, categories)
        loader.services[spec["slug"]], specs[spec["slug"]] = service, spec
        loader.links(service, spec, projects)
        loader.usage(code, service, spec, months)
        loader.ratings(code, service, spec)
        loader.counts["services"] += 1
    loader.voice(specs)
    refreshed = digitization_refresh_all(today=today)
    counts = loader.counts
    out.write(
        f"catalogue: created {counts['services']} sample services, {counts['links']} project links, "
        f"{counts['usage']} months of usage by channel, {counts['ratings']} ratings, {counts['feedback']} complaints "
        f"and suggestions; {refreshed.indicators} digitization indicators with {refreshed.created} values\n"
    )
    return counts
