"""The synthetic councils and the inbox: meetings, their agendas and decisions with follow-up, notifications.

Drawn after the projects, from what their histories left (obstacles to escalate, updates under
review, re-baselines waiting), with a random generator of their own. A decision has at most one
closure waiting; escalated obstacles go to the first council after they were reported (and before
they were resolved); notifications store kinds and ids, as the services write them.
"""

import datetime
import random
from collections import defaultdict

from django.urls import reverse

from masar.core.models import Classification
from masar.decisions.models import (
    ActionUpdate,
    AgendaItem,
    ClosureStatus,
    Decision,
    DecisionClosure,
    Meeting,
    MeetingKind,
)
from masar.delivery.models import BLOCKING_SEVERITIES, BaselineStatus, Notification, Severity, UpdateStatus
from masar.demo.synthetic_delivery import at, months_back, months_from

SYNTHETIC = {"is_sample": True, "source": "synthetic"}
URL_KEY = 987654321  # stands for the key in a URL resolved once
DECISION_TEXTS = [
    ("تسريع إنجاز المشاريع المتأخرة وموافاة المجلس بتقرير.", "Accélérer les projets en retard et en rendre compte."),
    ("إصدار النصوص الترتيبية اللازمة في أجل شهرين.", "Publier les textes d'application sous deux mois."),
    ("تخصيص اعتمادات إضافية لاستكمال المنظومة.", "Allouer des crédits supplémentaires pour achever le système."),
    ("إحداث فريق عمل مشترك لحل إشكاليات الربط البيني.", "Créer une équipe commune pour l'interconnexion."),
    (
        "تعميم الخدمة على كامل الجهات قبل موفى السنة.",
        "Généraliser le service à toutes les régions avant la fin d'année.",
    ),
]
ACTION_TEXTS = ["تمت مراسلة الهياكل المعنية.", "انطلقت الأشغال.", "تم إعداد مشروع النص.", "عقدت جلسة تنسيق."]
EVIDENCE = "محضر الاستلام ونسخة من المنشور."
RETURN_REASON = "الإثباتات غير كافية."
BODIES = {
    MeetingKind.COUNCIL_OF_MINISTERS: ("مجلس الوزراء", "Conseil des ministres", "Council of ministers"),
    MeetingKind.MINISTERIAL_COUNCIL: ("مجلس وزاري", "Conseil ministériel", "Ministerial council"),
    MeetingKind.STOCKTAKE: ("جلسة متابعة", "Point d'étape", "Stocktake"),
}


class CouncilDraw:
    """Draw and insert the meetings with their agendas, decisions, action updates and closures."""

    def __init__(self, *, run, seed, people, delivery, reference, months):
        self.run = run
        self.rng = random.Random(f"{seed}:council")
        self.people = people
        self.delivery = delivery
        self.reference = reference
        last = delivery.last_month
        self.months = months_from(months_back(last, months - 1), last) if months else []
        self.decisions = []
        self.closures = []
        self.escalations = []  # (agenda item, obstacle, project)

    def meetings(self, root, ministries, projects_by_ministry, indicators_by_ministry):
        rng = self.rng
        drawn = []
        for n, month in enumerate(self.months):
            drawn.append((MeetingKind.COUNCIL_OF_MINISTERS, root, month + datetime.timedelta(days=rng.randint(3, 20))))
            drawn.append((MeetingKind.STOCKTAKE, root, month + datetime.timedelta(days=rng.randint(10, 25))))
            drawn += [
                (MeetingKind.MINISTERIAL_COUNCIL, ministry, month + datetime.timedelta(days=rng.randint(1, 27)))
                for m, ministry in enumerate(ministries)
                if (n + m) % 3 == 0
            ]
        if self.months:
            upcoming = self.reference + datetime.timedelta(days=10)
            drawn.append((MeetingKind.COUNCIL_OF_MINISTERS, root, upcoming))
        drawn.sort(key=lambda row: (row[2], row[0], row[1].pk))
        meetings = [self._meeting(kind, owner, day) for kind, owner, day in drawn]
        self.run.insert(Meeting, meetings, "meetings", dated=True)
        self.run.audit(Meeting, len(meetings))
        for meeting in meetings:
            if meeting.decisions_published:
                self._decisions(meeting, ministries, projects_by_ministry, indicators_by_ministry)
        self._insert_decisions()
        agenda = self._agenda(meetings, projects_by_ministry)
        self.run.insert(AgendaItem, agenda, "agenda items")
        self.run.audit(AgendaItem, len(agenda))

    def _meeting(self, kind, owner, day):
        ar, fr, en = BODIES[kind]
        published = day <= self.reference - datetime.timedelta(days=7)
        return Meeting(
            kind=kind,
            name_ar=f"{ar} {owner.name_ar if kind == MeetingKind.MINISTERIAL_COUNCIL else ''} {day:%Y-%m-%d}".replace(
                "  ", " "
            ),
            name_fr=f"{fr} {day:%d/%m/%Y}",
            name_en=f"{en} {day:%Y-%m-%d}",
            body_ar=ar if kind != MeetingKind.MINISTERIAL_COUNCIL else owner.name_ar,
            body_fr=fr,
            body_en=en,
            date=day,
            place_ar="قصر الحكومة" if kind == MeetingKind.COUNCIL_OF_MINISTERS else "مقر الوزارة",
            summary_ar="متابعة تقدم إنجاز المشاريع والقرارات السابقة." if published else "",
            decisions_published=published,
            decisions_published_at=at(day + datetime.timedelta(days=3), 18) if published else None,
            owner=owner,
            classification=Classification.PUBLIC
            if kind == MeetingKind.COUNCIL_OF_MINISTERS
            else Classification.RESTRICTED,
            updated_at=at(min(day + datetime.timedelta(days=3), self.reference), 18),
            **SYNTHETIC,
        )

    def _decisions(self, meeting, ministries, projects_by_ministry, indicators_by_ministry):
        rng = self.rng
        count = {MeetingKind.COUNCIL_OF_MINISTERS: (4, 8), MeetingKind.STOCKTAKE: (1, 3)}.get(meeting.kind, (2, 5))
        for order in range(1, rng.randint(*count) + 1):
            ministry = meeting.owner if meeting.kind == MeetingKind.MINISTERIAL_COUNCIL else rng.choice(ministries)
            ar, fr = DECISION_TEXTS[rng.randrange(len(DECISION_TEXTS))]
            decision = Decision(
                meeting=meeting,
                order=order,
                text_ar=ar,
                text_fr=fr,
                responsible=ministry,
                due_date=meeting.date + datetime.timedelta(days=rng.choice((30, 60, 90, 120, 180))),
                classification=meeting.classification,
                updated_at=meeting.updated_at,
                **SYNTHETIC,
            )
            projects = projects_by_ministry.get(ministry.pk, [])
            decision.project_ids = rng.sample(projects, min(len(projects), rng.choice((0, 1, 1, 2, 3))))
            indicators = indicators_by_ministry.get(ministry.pk, [])
            decision.indicator_ids = rng.sample(indicators, min(len(indicators), rng.choice((0, 0, 1))))
            self.decisions.append(decision)

    def _insert_decisions(self):
        run, rng = self.run, self.rng
        run.insert(Decision, self.decisions, "decisions", dated=True)
        project_link, indicator_link = Decision.projects.through, Decision.indicators.through
        links = [project_link(decision_id=d.pk, project_id=p) for d in self.decisions for p in d.project_ids]
        run.insert(project_link, links, "decision projects")
        links = [indicator_link(decision_id=d.pk, indicator_id=i) for d in self.decisions for i in d.indicator_ids]
        run.insert(indicator_link, links, "decision indicators")
        updates = []
        for decision in self.decisions:
            coordinators = self.people.coordinators.get(decision.responsible_id) or self.people.national
            closed = self._closures(decision, coordinators)
            last = closed or self.reference
            for _ in range(rng.choice((0, 1, 1, 2, 3, 4))):
                day = decision.meeting.date + datetime.timedelta(
                    days=rng.randint(1, max((last - decision.meeting.date).days, 1))
                )
                day = min(day, self.reference)
                updates.append(
                    ActionUpdate(
                        decision=decision,
                        reported_on=day,
                        text=ACTION_TEXTS[rng.randrange(len(ACTION_TEXTS))],
                        author=coordinators[rng.randrange(len(coordinators))],
                        created_at=at(day, 13),
                        **SYNTHETIC,
                    )
                )
        run.insert(ActionUpdate, updates, "action updates", dated=True)
        run.insert(DecisionClosure, self.closures, "decision closures", dated=True)
        for model, count in (
            (Decision, len(self.decisions)),
            (ActionUpdate, len(updates)),
            (DecisionClosure, len(self.closures)),
        ):
            run.audit(model, count)

    def _closures(self, decision, coordinators):
        """Draw the decision's closure requests; return the day it was closed, if it was."""
        rng = self.rng
        held = decision.meeting.date
        age = (self.reference - held).days
        if age < 20:
            return None
        r = rng.random()
        national = self.people.national
        requester = coordinators[rng.randrange(len(coordinators))]
        reviewer = national[rng.randrange(len(national))]

        def closure(status, requested, reviewed=None, reason=""):
            self.closures.append(
                DecisionClosure(
                    decision=decision,
                    status=status,
                    evidence=EVIDENCE,
                    requested_by=requester,
                    requested_at=at(requested, 10),
                    reviewed_by=reviewer if reviewed else None,
                    reviewed_at=at(reviewed, 16) if reviewed else None,
                    return_reason=reason,
                    updated_at=at(reviewed or requested, 16),
                    version=2 if reviewed else 1,
                    **SYNTHETIC,
                )
            )

        def day_after(day, low, high):
            return min(day + datetime.timedelta(days=rng.randint(low, high)), self.reference)

        if r < 0.17 and age > 40:
            returned = day_after(held, 15, age // 2)
            closure(ClosureStatus.RETURNED, returned, day_after(returned, 2, 10), RETURN_REASON)
            if rng.random() < 0.5:
                closure(ClosureStatus.REQUESTED, day_after(returned, 12, 30))
            return None
        if r < 0.27:
            closure(ClosureStatus.REQUESTED, day_after(held, max(age - 30, 1), age))
            return None
        if r < 0.8:
            requested = day_after(held, 10, max(age - 5, 10))
            accepted = day_after(requested, 1, 20)
            closure(ClosureStatus.ACCEPTED, requested, accepted)
            return accepted
        return None

    def _agenda(self, meetings, projects_by_ministry):
        """Projects to review, escalated obstacles and earlier decisions falling due, per meeting."""
        rng = self.rng
        councils = [m for m in meetings if m.kind == MeetingKind.COUNCIL_OF_MINISTERS]
        escalated = defaultdict(list)
        for obstacle, project, resolved in self.delivery.obstacles:
            if obstacle.severity not in BLOCKING_SEVERITIES or rng.random() >= 0.35:
                continue
            ready = obstacle.reported_at.date() + datetime.timedelta(days=14)
            meeting = next((m for m in councils if m.date >= ready), None)
            if meeting is not None and (resolved is None or meeting.date <= resolved):
                escalated[meeting.pk].append((obstacle, project))
        by_meeting = defaultdict(list)
        for decision in self.decisions:
            by_meeting[decision.meeting_id].append(decision)
        earlier, items = [], []
        all_projects = [p for ids in projects_by_ministry.values() for p in ids]
        for meeting in meetings:
            if meeting.kind == MeetingKind.MINISTERIAL_COUNCIL:
                pool = projects_by_ministry.get(meeting.owner_id, [])
            else:
                pool = all_projects
            rows = [
                dict(title_ar="مراجعة تقدم المشروع", title_fr="Revue de l'avancement du projet", project_id=project_id)
                for project_id in rng.sample(pool, min(len(pool), rng.randint(2, 5)))
            ]
            rows += [
                dict(title_ar=obstacle.description[:400], obstacle=obstacle, project=project)
                for obstacle, project in escalated.get(meeting.pk, [])
            ]
            horizon = meeting.date + datetime.timedelta(days=45)
            due = [d for d in earlier if meeting.date <= d.due_date <= horizon]
            rows += [
                dict(
                    title_ar=f"قرار حل أجله: {decision.text_ar[:300]}",
                    title_fr="Décision arrivant à échéance",
                    decision=decision,
                )
                for decision in rng.sample(due, min(len(due), 2))
            ]
            for order, fields in enumerate(rows, start=1):
                items.append(AgendaItem(meeting=meeting, order=order, **fields, **SYNTHETIC))
                if fields.get("obstacle") is not None:
                    self.escalations.append((items[-1], fields["obstacle"], fields["project"]))
            earlier += by_meeting.get(meeting.pk, [])
        return items


class InboxDraw:
    """Draw the notifications the services would have left for the synthetic people, read or not."""

    def __init__(self, *, seed, people, delivery, council, reference):
        self.rng = random.Random(f"{seed}:inbox")
        self.people = people
        self.delivery = delivery
        self.council = council
        self.reference = reference
        self.rows = []
        self.keys = set()
        self.urls = {}

    def url(self, name, pk):
        """Return reverse(name, args=[pk]), resolving each name once (reverse is slow at 60,000 calls)."""
        if name not in self.urls:
            self.urls[name] = reverse(name, args=[URL_KEY])
        return self.urls[name].replace(f"/{URL_KEY}/", f"/{pk}/")

    def notify(self, users, kind, params, url, day, *, key="", read=None):
        rng = self.rng
        age = (self.reference - day).days
        for user in users:
            if key and (user.pk, key) in self.keys:
                continue
            self.keys.add((user.pk, key)) if key else None
            seen = read if read is not None else rng.random() < (0.9 if age > 14 else 0.3)
            created = at(day, 8 + rng.randrange(10))
            self.rows.append(
                Notification(
                    user=user,
                    kind=kind,
                    params=params,
                    url=url,
                    key=key,
                    created_at=created,
                    read_at=created + datetime.timedelta(hours=rng.randint(1, 72)) if seen else None,
                    emailed_at=created if rng.random() < 0.5 else None,
                )
            )

    def draw(self):
        self._updates()
        self._obstacles()
        self._baselines()
        self._decisions()
        return self.rows

    def _updates(self):
        K, people = Notification.Kind, self.people
        for update, project in self.delivery.recent_updates:
            url = self.url("delivery-update-detail", update.pk)
            params = {"project": project.code, "period": update.period.strftime("%Y-%m")}
            pending = update.status == UpdateStatus.SUBMITTED
            self.notify(
                people.reviewers(project.owner_id),
                K.UPDATE_SUBMITTED,
                params,
                url,
                update.submitted_at.date(),
                read=None if pending else True,
            )
            if update.status == UpdateStatus.APPROVED:
                self.notify([update.submitted_by], K.UPDATE_APPROVED, params, url, update.reviewed_at.date())
            elif update.status == UpdateStatus.RETURNED:
                self.notify(
                    [update.submitted_by],
                    K.UPDATE_RETURNED,
                    {**params, "reason": update.return_reason},
                    url,
                    update.reviewed_at.date(),
                )
        due_day = self.delivery.last_month + datetime.timedelta(days=9)
        for project, month in self.delivery.missing:
            if month == months_back(self.delivery.last_month, 1):
                self.notify(
                    [project.manager],
                    K.UPDATE_DUE,
                    {"project": project.code, "period": month.strftime("%Y-%m")},
                    self.url("delivery-update-create", project.pk),
                    due_day,
                    key=f"update-due:{project.pk}:{month:%Y-%m}",
                )

    def _obstacles(self):
        K, people = Notification.Kind, self.people
        national = people.national
        recent = self.reference - datetime.timedelta(days=180)
        for obstacle, project, _resolved in self.delivery.obstacles:
            reported = obstacle.reported_at.date()
            if obstacle.severity == Severity.CRITICAL and reported >= recent:
                users = {
                    u.pk: u for u in [*people.reviewers(project.owner_id), *people.reviewers(obstacle.must_act_id)]
                }
                self.notify(
                    users.values(),
                    K.OBSTACLE_CRITICAL,
                    {"project": project.code, "obstacle_id": obstacle.pk},
                    self.url("delivery-obstacle-detail", obstacle.pk),
                    reported,
                )
        for agenda_item, obstacle, project in self.council.escalations:
            meeting = agenda_item.meeting
            day = min(meeting.date - datetime.timedelta(days=7), self.reference)
            users = {u.pk: u for u in [*people.reviewers(obstacle.must_act_id), *national, project.manager]}
            self.notify(
                users.values(),
                K.OBSTACLE_ESCALATED,
                {"project": project.code, "meeting_id": meeting.pk},
                self.url("decisions-meeting-detail", meeting.pk),
                max(day, obstacle.reported_at.date()),
            )

    def _baselines(self):
        K, people = Notification.Kind, self.people
        for baseline, project in self.delivery.baseline_events:
            url = self.url("delivery-baseline-list", project.pk)
            requested = baseline.requested_at.date()
            told = {u.pk: u for u in [*people.national, *people.reviewers(project.owner_id)]}
            params = {"project": project.code, "number": baseline.number}
            pending = baseline.status == BaselineStatus.PROPOSED
            self.notify(told.values(), K.BASELINE_REQUESTED, params, url, requested, read=None if pending else True)
            if not pending:
                told = {u.pk: u for u in [baseline.requested_by, *people.reviewers(project.owner_id)]}
                approved = baseline.status == BaselineStatus.APPROVED
                self.notify(
                    told.values(),
                    K.BASELINE_DECIDED,
                    {**params, "approved": approved, "note": baseline.decision_note},
                    url,
                    baseline.decided_at.date(),
                )

    def _decisions(self):
        K, people = Notification.Kind, self.people
        horizon = self.reference + datetime.timedelta(days=14)
        closed = {c.decision_id for c in self.council.closures if c.status == ClosureStatus.ACCEPTED}
        for decision in self.council.decisions:
            url = self.url("decisions-meeting-detail", decision.meeting_id) + f"#decision-{decision.pk}"
            if (
                decision.pk not in closed
                and decision.due_date <= horizon
                and decision.due_date >= self.reference - datetime.timedelta(days=60)
            ):
                users = {u.pk: u for u in [*people.coordinators.get(decision.responsible_id, []), *people.national]}
                self.notify(
                    users.values(),
                    K.DECISION_DUE,
                    {"decision_id": decision.pk, "due": decision.due_date.isoformat()},
                    url,
                    max(decision.due_date - datetime.timedelta(days=14), decision.meeting.date),
                    key=f"decision-due:{decision.pk}:{decision.due_date.isoformat()}",
                )
        recent = self.reference - datetime.timedelta(days=90)
        for closure in self.council.closures:
            requested = closure.requested_at.date()
            params = {"decision_id": closure.decision_id}
            url = self.url("decisions-meeting-detail", closure.decision.meeting_id) + f"#decision-{closure.decision_id}"
            if closure.status == ClosureStatus.REQUESTED or requested >= recent:
                pending = closure.status == ClosureStatus.REQUESTED
                self.notify(
                    people.national, K.CLOSURE_REQUESTED, params, url, requested, read=None if pending else True
                )
            if closure.reviewed_at and closure.reviewed_at.date() >= recent:
                kind = K.CLOSURE_ACCEPTED if closure.status == ClosureStatus.ACCEPTED else K.CLOSURE_RETURNED
                extra = {"reason": closure.return_reason} if closure.return_reason else {}
                self.notify([closure.requested_by], kind, {**params, **extra}, url, closure.reviewed_at.date())
