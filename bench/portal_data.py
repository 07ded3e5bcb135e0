"""A national catalogue of services for `bench.portal`, generated with a seeded random generator.

By default 5,000 services over about 500 organizations (24 ministries, each with central and regional
directorates), their names built from real administrative actions on real administrative objects in Arabic,
French and English (`bench.portal_words`); digitization levels spread 0–5; channels, audiences, life events and
categories; 3–6 required documents each (those another administration holds are once-only opportunities);
fees, processing times, legal basis; ratings (1–5, some with a comment, moderated or not) counted on each service;
complaints and suggestions; links to the projects of a national program for some; and the monthly usage of
each channel of each service over ten years (about two million rows).

Every record is flagged is_sample with the source "synthetic (bench.portal)"; one audit entry per model says
what was created in bulk. Rows are written with COPY on PostgreSQL and executemany elsewhere; the services are
then indexed for search by Masar's own `reindex`.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from bench.bulk import Writer, audit_bulk, next_id, sequences_follow
from bench.portal_structure import PREFIX, SOURCE, Sizes, organizations, program_and_projects, trio, vocabularies
from bench.portal_words import ACTIONS, DESCRIPTION, DOCUMENTS, LEGAL_BASIS, MINISTRIES, QUALIFIERS, STEPS

__all__ = ["PREFIX", "SOURCE", "Catalogue", "Sizes", "generate"]

SEED = 16
LEVEL_WEIGHTS = (10, 20, 25, 22, 15, 8)  # levels 0–5, in percent
COMMENTS = (
    ("خدمة سريعة وواضحة، شكرا", "ar"),
    ("الانتظار طويل في الشباك والموقع لا يعمل دائما", "ar"),
    ("الوثائق المطلوبة كثيرة", "ar"),
    ("Service rapide, formulaire clair", "fr"),
    ("Trop de pièces à fournir pour une simple demande", "fr"),
    ("The online form kept failing at the payment step", "en"),
    ("Quick and easy, got the result by e-mail", "en"),
)


@dataclass
class Catalogue:
    """What the generator made, for the benchmark to choose its requests from."""

    ministries: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    services: list[int] = field(default_factory=list)
    life_events: list[int] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


# The services and what hangs on them ------------------------------------------------------------------


@dataclass
class Drawn:
    """One service as drawn: what its usage, ratings and documents are generated from."""

    id: int
    ministry: str
    level: int
    channels: list[str]
    popularity: float  # transactions a month, all channels, at the start of the period
    scores: list[int]


def _french(action: str, obj: str) -> str:
    if action.endswith(" de") and obj[:1].lower() in "aeiouéèêh":
        return f"{action[:-3]} d'{obj}"
    return f"{action} {obj}"


def _names(action, obj, qualifier) -> dict[str, str]:
    names = [f"{action[0]} {obj[0]}", _french(action[1], obj[1]), f"{action[2]} {obj[2]}"]
    if qualifier:
        names = [f"{name} {qualifier[i]}" for i, name in enumerate(names)]
    return trio("name", names)


def _channels(level: int, rng: random.Random) -> list[str]:
    from masar.catalogue.models import Channel

    drawn = [
        (Channel.COUNTER, level < 5 or rng.random() < 0.5),
        (Channel.WEB, level >= 1 or rng.random() < 0.6),
        (Channel.MOBILE, rng.random() < 0.15 + 0.12 * level),
        (Channel.KIOSK, rng.random() < 0.4),
        (Channel.CALL_CENTRE, rng.random() < 0.55),
    ]
    return [str(channel) for channel, offered in drawn if offered] or [str(Channel.COUNTER)]


def _audiences(category: str, qualifier, rng: random.Random) -> str:
    from masar.catalogue.models import Audience, codes_join

    business = category in ("business", "agriculture", "digital") or (
        qualifier is not None
        and qualifier[2]
        in (
            "for businesses",
            "for associations",
            "for craftsmen",
        )
    )
    audiences = {Audience.BUSINESSES if business else Audience.CITIZENS}
    if rng.random() < 0.25:
        audiences.add(Audience.CITIZENS if business else Audience.BUSINESSES)
    if rng.random() < 0.05:
        audiences.add(Audience.ADMINISTRATIONS)
    return codes_join(audiences)


def _draws(sizes: Sizes, rng: random.Random, ministries: dict[str, dict]):
    """Yield (ministry entry, action, object, qualifier) for each service: distinct while combinations last."""
    combos = [
        (entry, action, obj, qualifier)
        for entry in MINISTRIES
        if entry[0] in ministries
        for obj in entry[4]
        for action in ACTIONS
        for qualifier in QUALIFIERS
    ]
    rng.shuffle(combos)
    return list(itertools.islice(itertools.cycle(combos), sizes.services))


def _service_row(pk: int, n: int, draw, level: int, channels: list[str], scores: list[int], owner: int, ids, rng):
    """Return the columns of one service (SERVICE_COLUMNS) as drawn."""
    from masar.catalogue.models import codes_join
    from masar.core.models import Classification

    (code, ministry_names, category, life_events, _objects), action, obj, qualifier = draw
    events, categories = ids
    names = list(_names(action, obj, qualifier).values())
    service_code = f"{PREFIX}-{code}-{n:05d}"
    fee = None if rng.random() < 0.15 else Decimal(rng.choice((0, 0, 0, 2, 5, 10, 20, 30, 50, 100, 250)))
    legal = {"n": rng.randint(100, 2500), "year": rng.randint(1995, 2024)}
    return (
        pk,
        service_code,
        owner,
        Classification.PUBLIC if rng.random() < 0.97 else Classification.RESTRICTED,
        _audiences(category, qualifier, rng),
        events[rng.choice([e for e in life_events if e in events])],
        categories[category],
        codes_join(channels),
        level,
        *names,
        *(DESCRIPTION[i].format(name=names[i], owner=ministry_names[i]) for i in range(3)),
        *(STEPS[i].format(object=obj[i]) for i in range(3)),
        fee,
        "TND" if fee else "",
        rng.choice((None, 1, 2, 3, 5, 7, 10, 15, 21, 30, 45, 60)),
        *(LEGAL_BASIS[i].format(**legal) for i in range(3)),
        f"https://e-services.example.gov/{service_code.lower()}" if level >= 2 else "",
        len(scores),
        sum(scores),
        True,
        SOURCE,
    )


SERVICE_COLUMNS = (
    *("id", "code", "owner_id", "classification", "audiences", "life_event_id", "category_id", "channels", "level"),
    *(f"{prefix}_{lang}" for prefix in ("name", "description", "steps") for lang in ("ar", "fr", "en")),
    *("fee", "fee_currency", "processing_days", "legal_basis_ar", "legal_basis_fr", "legal_basis_en", "online_url"),
    *("rating_count", "rating_total", "is_sample", "source"),
)


def services(writer: Writer, sizes: Sizes, rng: random.Random, ministries, ids) -> list[Drawn]:
    """Write the services (ratings counted on each) and return what was drawn for each."""
    from masar.catalogue.models import Service

    first = next_id(Service)
    rows, drawn = [], []
    for n, draw in enumerate(_draws(sizes, rng, ministries)):
        code = draw[0][0]
        level = rng.choices(range(6), LEVEL_WEIGHTS)[0]
        channels = _channels(level, rng)
        popularity = min(150_000.0, max(3.0, math.exp(rng.gauss(5.5, 1.6))))
        count = 0 if rng.random() < 0.1 else int(rng.random() * min(300, 1.5 * math.sqrt(popularity)))
        scores = [min(5, max(1, round(rng.gauss(2.6 + 0.3 * level, 1.0)))) for _ in range(count)]
        drawn.append(Drawn(first + n, code, level, channels, popularity, scores))
        owner = ministries[code]["id"] if rng.random() < 0.1 else rng.choice(ministries[code]["units"])
        rows.append(_service_row(first + n, n, draw, level, channels, scores, owner, ids, rng))
    writer.write(Service, SERVICE_COLUMNS, rows)
    return drawn


def documents(writer: Writer, rng: random.Random, drawn: list[Drawn], ministries) -> None:
    """Write 3–6 required documents per service; one another ministry holds is a once-only opportunity."""
    from masar.catalogue.models import RequiredDocument

    def rows():
        for service in drawn:
            for order, (ar, fr, en, holder) in enumerate(rng.sample(DOCUMENTS, rng.randint(3, 6)), start=1):
                held = ministries[holder]["id"] if holder in ministries and holder != service.ministry else None
                yield service.id, order, held, ar, fr, en

    writer.write(RequiredDocument, ("service_id", "order", "held_by_id", "name_ar", "name_fr", "name_en"), rows())


def project_links(writer: Writer, rng: random.Random, drawn: list[Drawn], projects, ministries) -> None:
    """Link a fifth of the services not yet proactive to a project of their ministry (public or restricted)."""
    from masar.catalogue.models import ServiceProject

    by_owner: dict[int, list[int]] = {}
    for project, owner in projects:
        by_owner.setdefault(owner, []).append(project)
    rows = []
    for service in drawn:
        if service.level >= 5 or rng.random() >= 0.2:
            continue
        candidates = by_owner.get(ministries[service.ministry]["id"]) or [p for p, _o in projects]
        for project in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 1, 2)))):
            target = datetime.date(rng.choice((2025, 2026, 2027)), rng.choice((3, 6, 9, 12)), 1)
            rows.append((service.id, project, rng.randint(service.level + 1, 5), target))
    writer.write(ServiceProject, ("service_id", "project_id", "target_level", "target_date"), rows)


def months_back(count: int) -> list[datetime.date]:
    """Return the first days of the count months before this one, oldest first."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - count
    return [datetime.date((index + m) // 12, (index + m) % 12 + 1, 1) for m in range(count)]


ONLINE_FINAL = (0.05, 0.1, 0.35, 0.6, 0.8, 0.9)  # the share of transactions made online at the end, per level
CHANNEL_WEIGHT = {"web": 0.6, "mobile": 0.3, "kiosk": 0.1, "counter": 0.85, "call_centre": 0.15}


def usage(writer: Writer, rng: random.Random, drawn: list[Drawn], months: list[datetime.date]) -> int:
    """Write the monthly usage of every channel of every service: volumes grow, online takes a growing share.

    Month after month, as the figures arrive (from the form, an import or the API): the rows of one month lie
    together on disk, as they do in production.
    """
    from masar.catalogue.models import ONLINE_CHANNELS, ServiceUsage

    online_codes = {str(c) for c in ONLINE_CHANNELS}
    steps = max(1, len(months) - 1)
    shapes = []
    for service in drawn:
        online = [c for c in service.channels if c in online_codes]
        offline = [c for c in service.channels if c not in online_codes]
        parts = []
        for group in (online, offline):
            total = sum(CHANNEL_WEIGHT[c] for c in group)
            parts += [(c, c in online_codes, CHANNEL_WEIGHT[c] / total) for c in group]
        shapes.append((service, bool(online), bool(offline), parts))

    def rows():
        for t, month in enumerate(months):
            season = (0.7 + 0.6 * t / steps) * (1 + 0.15 * math.sin(2 * math.pi * month.month / 12))
            for service, has_online, has_offline, parts in shapes:
                share = ONLINE_FINAL[service.level] * (0.2 + 0.8 * t / steps) if has_online else 0.0
                share = share if has_offline else 1.0
                volume = service.popularity * season
                for channel, online, weight in parts:
                    transactions = int(volume * (share if online else 1 - share) * weight * rng.uniform(0.85, 1.15))
                    days = rng.uniform(0.2, 3) if online else rng.uniform(2, 20)
                    backlog = int(transactions * rng.random() * 0.1)
                    yield service.id, month, channel, transactions, f"{days:.2f}", backlog, SOURCE, True

    names = ("service_id", "month", "channel", "transactions", "processing_days", "backlog", "source", "is_sample")
    return writer.write(ServiceUsage, names, rows())


def ratings(writer: Writer, rng: random.Random, drawn: list[Drawn]) -> None:
    """Write the ratings each service counts; a quarter carry a comment, most of them moderated."""
    from masar.catalogue.models import CommentStatus, Rating

    now = writer.now

    def rows():
        for service in drawn:
            for score in service.scores:
                created = now - datetime.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
                if rng.random() < 0.25:
                    comment, language = rng.choice(COMMENTS)
                    status = rng.choices(
                        (CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.REJECTED), (60, 25, 15)
                    )[0]
                    moderated = None if status == CommentStatus.PENDING else created + datetime.timedelta(days=1)
                else:
                    comment, language, status, moderated = "", "ar", CommentStatus.NONE, None
                yield service.id, score, comment, str(status), language, created, moderated, True

    names = ("service_id", "score", "comment", "comment_status", "language", "created_at", "moderated_at", "is_sample")
    writer.write(Rating, names, rows())


def feedback(writer: Writer, rng: random.Random, drawn: list[Drawn]) -> None:
    """Write complaints and suggestions (about one for two services), a third answered, some closed."""
    from masar.catalogue.models import Feedback, FeedbackKind, FeedbackStatus
    from masar.catalogue.voice import TRACKING_ALPHABET

    now = writer.now
    numbers: set[str] = set()
    rows = []
    for service in rng.sample(drawn, len(drawn) // 2):
        while (number := "".join(rng.choices(TRACKING_ALPHABET, k=8))) in numbers:
            pass
        numbers.add(number)
        created = now - datetime.timedelta(hours=rng.randrange(365 * 24))
        status = rng.choices(list(FeedbackStatus), (50, 35, 15))[0]
        answered = created + datetime.timedelta(days=3) if status != FeedbackStatus.RECEIVED else None
        rows.append(
            (
                service.id,
                str(rng.choice(list(FeedbackKind))),
                f"{number[:4]}-{number[4:]}",
                rng.choice(COMMENTS)[0],
                str(status),
                "تمت معالجة طلبكم" if answered else "",
                answered,
                answered if status == FeedbackStatus.CLOSED else None,
                created,
                True,
            )
        )
    names = ("service_id", "kind", "tracking_number", "text", "status", "answer", "answered_at", "closed_at")
    writer.write(Feedback, (*names, "created_at", "is_sample"), rows)


# The whole catalogue ------------------------------------------------------------------------------------------


def generate(sizes: Sizes, seed: int = SEED) -> Catalogue:
    """Generate the catalogue in one transaction, index its services for search, and return what it made."""
    from django.db import transaction

    from masar.catalogue.models import LifeEvent, Service, ServiceCategory
    from masar.organizations.models import Organization
    from masar.search.index import reindex

    rng = random.Random(seed)
    catalogue = Catalogue()
    writer = Writer(catalogue.counts)
    with transaction.atomic():
        ministries = organizations(writer, sizes, rng)
        ids = vocabularies(writer)
        sequences_follow([Organization, LifeEvent, ServiceCategory])
        projects = program_and_projects(sizes, rng, [m["id"] for m in ministries.values()])
        catalogue.counts["portfolio.Project"] += len(projects)
        drawn = services(writer, sizes, rng, ministries, ids)
        sequences_follow([Service])
        documents(writer, rng, drawn, ministries)
        project_links(writer, rng, drawn, projects, ministries)
        ratings(writer, rng, drawn)
        feedback(writer, rng, drawn)
        usage(writer, rng, drawn, months_back(sizes.months))
        audit_bulk(catalogue.counts, SOURCE, seed)
    catalogue.counts["search_entry"] = reindex(kinds=["service"])
    catalogue.ministries = [m["id"] for m in ministries.values()]
    catalogue.units = [u for m in ministries.values() for u in m["units"]]
    catalogue.services = [d.id for d in drawn]
    catalogue.life_events = list(ids[0].values())
    return catalogue
