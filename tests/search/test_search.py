"""Search through the index: what it finds, how it ranks, what it shows, and who sees what."""

import pytest

from masar.core.models import Classification
from masar.core.policy import Reader
from masar.core.services import model_update
from masar.delivery.models import ObstacleCategory, Severity
from masar.delivery.services.obstacles import obstacle_report, obstacle_update
from masar.search.models import SearchEntry
from masar.search.selectors import SearchFilters, search, suggest
from tests.portfolio.factories import make_project

pytestmark = pytest.mark.usefixtures("thesaurus")


def found(reader, q, **filters):
    return [(hit.kind, hit.object_id) for hit in search(reader, SearchFilters(q=q, **filters)).hits]


@pytest.fixture
def projects(ministry_a, ministry_b, axis, manager_a):
    return {
        "public": make_project(
            "DIG-1",
            ministry_a,
            axis,
            name_ar="منصة الخدمات الرقمية للمواطنين",
            description_ar="رقمنة الإجراءات الإدارية وتبسيطها عبر بوابة وطنية موحدة",
            manager=manager_a,
        ),
        "restricted": make_project(
            "DIG-2", ministry_a, axis, name_ar="شبكة الألياف البصرية", classification=Classification.RESTRICTED
        ),
        "confidential_b": make_project(
            "SEC-9",
            ministry_b,
            axis,
            name_ar="مشروع سري للرقمنة الصحية",
            description_ar="رقمنة الملفات الطبية",
            classification=Classification.CONFIDENTIAL,
        ),
    }


def test_an_audited_change_updates_the_index_in_its_transaction(projects):
    project = projects["public"]
    assert ("project", project.pk) in found(Reader.system(), "بوابة")
    model_update(instance=project, actor=None, data={"name_ar": "بوابة المستثمرين"}, expected_version=project.version)
    assert SearchEntry.objects.get(kind="project", object_id=project.pk).title_ar == "بوابة المستثمرين"
    assert ("project", project.pk) in found(Reader.system(), "المستثمرين")
    assert ("project", project.pk) not in found(Reader.system(), "منصة")


def test_forms_people_type_find_the_same_project(projects):
    project = ("project", projects["public"].pk)
    for q in ["مشاريع الرقمنه", "الخدمات الرقميه", "المنصات", "ومنصة", "الخِدْمَات", "مـنـصـة", "digital services"]:
        assert project in found(Reader.system(), q), q


def test_a_typo_finds_the_word_below_exact_matches(projects):
    hits = search(Reader.system(), SearchFilters(q="المواطنبن")).hits
    assert [(h.kind, h.object_id) for h in hits] == [("project", projects["public"].pk)]
    assert search(Reader.system(), SearchFilters(q="المواطنبن")).corrected


def test_title_matches_rank_above_text_matches(ministry_a, axis):
    in_text = make_project("T-1", ministry_a, axis, name_ar="مشروع أول", description_ar="تطوير بوابة وطنية")
    in_title = make_project("T-2", ministry_a, axis, name_ar="بوابة وطنية", description_ar="")
    assert found(Reader.system(), "بوابة")[:2] == [("project", in_title.pk), ("project", in_text.pk)]


def test_snippets_quote_the_original_text_with_the_matches_marked(projects):
    hit = search(Reader.system(), SearchFilters(q="الاجراءات")).hits[0]
    assert "<mark>الإجراءات</mark>" in hit.snippet  # the text as written, hamza and all


def test_snippets_escape_the_text(ministry_a, axis):
    make_project("X-1", ministry_a, axis, name_ar="بوابة", description_ar="<script>alert(1)</script> بوابة")
    snippet = search(Reader.system(), SearchFilters(q="بوابة")).hits[0].snippet
    assert "<script" not in snippet and "&lt;/script&gt;" in snippet


def test_nothing_another_ministry_may_not_read_is_found_counted_or_suggested(
    projects, coordinator_a, coordinator_b, viewer_a, national
):
    secret = ("project", projects["confidential_b"].pk)
    assert secret in found(national, "الرقمنة")  # positive control
    assert secret in found(coordinator_b, "الرقمنة")
    for reader in (Reader.public(), coordinator_a, viewer_a):
        results = search(reader, SearchFilters(q="الرقمنة"))
        assert secret not in [(h.kind, h.object_id) for h in results.hits]
        assert results.count == len(results.hits)
        assert sum(v.count for v in results.facets["kind"]) == results.count
        assert "confidential" not in [v.value for v in results.facets["classification"]]
        assert all(h.object_id != projects["confidential_b"].pk for h in suggest(reader, "مشروع سري"))
        assert search(reader, SearchFilters(q="الطبية")).count == 0


def test_restricted_records_are_for_signed_in_civil_servants(projects, viewer_a):
    restricted = ("project", projects["restricted"].pk)
    assert restricted in found(viewer_a, "الألياف")
    assert restricted not in found(Reader.public(), "الألياف")


def test_internal_obstacles_are_found_only_by_those_who_may_read_them(projects, manager_a, coordinator_b):
    obstacle = obstacle_report(
        actor=manager_a,
        project=projects["public"],
        category=ObstacleCategory.FUNDING,
        severity=Severity.HIGH,
        description="تأخر صرف الاعتمادات المالية للمشروع",
        must_act=projects["public"].owner,
    )
    # Internal material is restricted: civil servants read it, the public does not.
    assert ("obstacle", obstacle.pk) in found(manager_a, "الاعتمادات")
    assert ("obstacle", obstacle.pk) in found(coordinator_b, "الاعتمادات")
    assert ("obstacle", obstacle.pk) not in found(Reader.public(), "الاعتمادات")
    obstacle_update(
        obstacle=obstacle,
        actor=manager_a,
        expected_version=obstacle.version,
        classification=Classification.CONFIDENTIAL,
    )
    assert ("obstacle", obstacle.pk) in found(manager_a, "الاعتمادات")
    assert ("obstacle", obstacle.pk) not in found(coordinator_b, "الاعتمادات")


def test_facets_count_what_the_reader_may_read(projects, ministry_a, national):
    results = search(national, SearchFilters(q="الرقمنة", kinds=("project",)))
    by_org = {v.value: v.count for v in results.facets["organization"]}
    assert by_org[ministry_a.pk] == 1
    narrowed = search(national, SearchFilters(q="الرقمنة", kinds=("project",), organization=ministry_a.pk))
    assert narrowed.count == 1
    # The facet being chosen still shows its other values.
    assert len(narrowed.facets["organization"]) == 2


def test_organizations_are_found_by_their_missions(ministry_a):
    from masar.organizations.models import Mission

    Mission.objects.create(organization=ministry_a, order=1, text_ar="اقتراح السياسة العامة في مجال الاتصال")
    from masar.search.index import entry_refresh

    entry_refresh(ministry_a)
    assert ("organization", ministry_a.pk) in found(Reader.public(), "إقتراح السياسة")


@pytest.mark.parametrize("q", ["", "   ", "ـــ ً ٌ", "؟!،", '"*:&|! NEAR', "'; DROP TABLE x; --", "مشروع " * 1000])
def test_bad_queries_answer_clearly_and_break_nothing(projects, q):
    results = search(Reader.public(), SearchFilters(q=q))
    assert results.count == len(results.hits) or results.count > 0
    if not results.count:
        assert results.message or not results.hits


def test_similar_names_help_when_the_words_find_little(ministry_a, axis):
    project = make_project("N-1", ministry_a, axis, name_ar="منظومة إنجاز الصفقات")
    # Two slips in one word: too far for typo tolerance, near enough in looks.
    hits = search(Reader.system(), SearchFilters(q="منضومات انجاز الصفقات")).hits
    assert [(h.kind, h.object_id, h.similar) for h in hits] == [("project", project.pk, True)]


def test_entries_read_with_the_policy_on_their_own_columns_are_exactly_the_records_readers_may_read(
    ministry_a, ministry_b, directorate_a, national, coordinator_a, viewer_a, coordinator_b, manager_a
):
    from masar.documents.models import Document, DocumentKind
    from masar.documents.services import document_create
    from masar.search.selectors import visible_entries
    from masar.search.sources import BY_KIND

    assert BY_KIND["document"].entry_lookups() is not None  # documents are read on their entries
    for owner, author in ((ministry_a, coordinator_a), (directorate_a, coordinator_a), (ministry_b, coordinator_b)):
        for level in Classification.values:
            document_create(
                actor=author,
                title="وثيقة",
                kind=DocumentKind.REPORT,
                classification=level,
                organization=owner,
                text="نص",
            )
    readers = [Reader.public(), national, coordinator_a, viewer_a, coordinator_b, manager_a]
    for reader in readers:
        records = set(Document.objects.visible_to(reader).values_list("pk", flat=True))
        entries = set(visible_entries(reader, ("document",)).values_list("object_id", flat=True))
        assert entries == records, reader
    assert len(set(Document.objects.visible_to(coordinator_b).values_list("pk", flat=True))) < 9  # a real filter


def test_a_change_rolled_back_leaves_the_index_as_it_was(projects):
    from django.db import transaction

    project = projects["public"]
    with pytest.raises(RuntimeError), transaction.atomic():
        model_update(instance=project, actor=None, data={"name_ar": "بوابة الجمارك"}, expected_version=project.version)
        assert ("project", project.pk) in found(Reader.system(), "الجمارك")  # inside: already indexed
        raise RuntimeError
    assert ("project", project.pk) not in found(Reader.system(), "الجمارك")
    assert ("project", project.pk) in found(Reader.system(), "منصة")


def test_the_words_in_a_row_rank_above_the_same_words_apart(ministry_a, axis):
    apart = make_project("PH-1", ministry_a, axis, name_ar="أ", description_ar="تبادل سريع ومؤمن بين الإدارات للبيانات")
    in_a_row = make_project("PH-2", ministry_a, axis, name_ar="ب", description_ar="تحسين تبادل البيانات بين الإدارات")
    assert found(Reader.system(), "تبادل البيانات", kinds=("project",)) == [
        ("project", in_a_row.pk),
        ("project", apart.pk),
    ]


def test_a_change_to_nothing_search_reads_leaves_the_entry_alone(projects):
    import datetime

    project = projects["public"]
    entry = SearchEntry.objects.get(kind="project", object_id=project.pk)
    SearchEntry.objects.filter(pk=entry.pk).update(title_ar="—")  # a marker the follower would overwrite
    project = model_update(
        instance=project, actor=None, data={"planned_end": datetime.date(2027, 1, 1)}, expected_version=project.version
    )
    assert SearchEntry.objects.get(pk=entry.pk).title_ar == "—"
    model_update(instance=project, actor=None, data={"name_ar": "منصة"}, expected_version=project.version)
    assert SearchEntry.objects.get(pk=entry.pk).title_ar == "منصة"
