"""generate_portfolio: the requested numbers of synthetic rows, consistent trees, the same rows for the
same seed, one audit entry per model, and no second run into the same database without --replace."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from masar.arabic import fold
from masar.audit.models import Action, AuditEntry
from masar.organizations.models import Organization, Region
from masar.portfolio.models import Milestone, Project
from masar.strategy.models import Axis, Phase, Program, Strategy

SMALL = ["--organizations", "30", "--regions", "5", "--projects", "300", "--years", "2"]
MODELS = [Organization, Region, Strategy, Axis, Program, Phase, Project, Milestone]


def generate(*args):
    out = io.StringIO()
    call_command("generate_portfolio", *SMALL, *args, stdout=out)
    return out.getvalue()


def synthetic_rows():
    counts = {model.__name__: model.objects.filter(source="synthetic").count() for model in MODELS}
    return counts | {
        "regions links": Project.regions.through.objects.count(),
        "partner links": Project.partners.through.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def milestone_rows():
    milestones = Milestone.objects.order_by("project__code", "order")
    return list(milestones.values_list("name_ar", "planned_date", "actual_date"))


def project_rows():
    return list(
        Project.objects.order_by("code").values_list(
            "code", "name_ar", "name_en", "planned_budget", "planned_start", "status", "classification", "owner__code"
        )
    )


def test_it_creates_the_requested_numbers_of_records(db):
    output = generate("--batch-size", "120")
    assert Organization.objects.filter(source="synthetic").count() == 30
    root = Organization.objects.get(code="SYN-GOV")
    assert root.parent is None and root.children.filter(kind="ministry").count() == 2
    assert Region.objects.filter(parent__code="SYN", kind="region").count() == 5
    strategy = Strategy.objects.get(code="SYN-STR")
    assert (strategy.period_start.isoformat(), strategy.period_end.isoformat()) == ("2025-01-01", "2026-12-31")
    assert (strategy.axes.count(), strategy.programs.count(), strategy.phases.count()) == (4, 12, 3)
    assert strategy.projects.count() == 300
    assert "projects 300/300" in output and "rows/s" in output


def test_every_record_is_a_flagged_synthetic_sample(db):
    generate()
    for model in MODELS:
        assert model.objects.exists()
        assert not model.objects.exclude(source="synthetic").exists()
        assert not model.objects.filter(is_sample=False).exists()


def test_tree_paths_follow_the_parents(db):
    generate()
    for model in (Organization, Region):
        nodes = {node.pk: node for node in model.objects.all()}
        for node in nodes.values():
            parent_path = nodes[node.parent_id].path if node.parent_id else "/"
            assert node.path == f"{parent_path}{node.pk}/"
            assert node.depth == node.path.count("/") - 2
        assert {node.depth for node in nodes.values()} == ({0, 1, 2} if model is Organization else {0, 1})


def test_projects_are_consistent_with_their_strategy_and_have_milestones_and_regions(db):
    generate()
    strategy = Strategy.objects.get(code="SYN-STR")
    for project in Project.objects.select_related("program", "phase").prefetch_related("milestones", "regions"):
        assert project.program.axis_id == project.axis_id and project.program.strategy_id == strategy.pk
        assert project.phase.start <= project.planned_start <= project.phase.end
        assert project.planned_start <= project.planned_end
        assert 2 <= len(project.milestones.all()) <= 5
        assert 1 <= len(project.regions.all()) <= 2
        assert project.owner.code != "SYN-GOV"
        expected = fold(
            " ".join(
                [
                    project.code,
                    project.name_ar,
                    project.name_fr,
                    project.name_en,
                    project.description_ar,
                    project.description_fr,
                    project.description_en,
                ]
            )
        )
        assert project.search_text == expected
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {"completed", "in_progress"} <= statuses
    assert set(Project.objects.values_list("classification", flat=True)) == {"public", "restricted", "confidential"}
    assert Project.objects.search("رقمنة").exists()


def test_it_records_one_audit_entry_per_model_and_the_chain_verifies(db):
    generate("--seed", "7")
    for model in MODELS:
        entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert entries.count() == 1, model.__name__
        entry = entries.get()
        assert entry.action == Action.BULK_CREATE and entry.object_id == "synthetic" and entry.actor is None
        assert entry.changes["count"] == model.objects.count() and entry.changes["seed"] == 7
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()


def test_the_same_seed_gives_the_same_rows(db):
    generate("--seed", "3")
    first = project_rows()
    milestones = milestone_rows()
    generate("--seed", "3", "--replace", "--batch-size", "7")
    assert project_rows() == first
    assert milestone_rows() == milestones
    assert Project.objects.count() == 300 and Organization.objects.count() == 30
    generate("--seed", "4", "--replace")
    assert project_rows() != first


def test_a_second_run_without_replace_fails_and_changes_nothing(db):
    generate()
    before = synthetic_rows()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert synthetic_rows() == before


def test_replace_deletes_only_the_synthetic_data_and_audits_the_deletion(gov, ministry_a, axis):
    generate()
    generate("--replace")
    assert Organization.objects.filter(code__in=["GOV", "MIN-A"]).count() == 2
    assert Strategy.objects.filter(code="P2526").exists() and Axis.objects.filter(pk=axis.pk).exists()
    deleted = AuditEntry.objects.filter(action=Action.DELETE, object_id="synthetic")
    assert deleted.get(content_type=ContentType.objects.get_for_model(Project)).changes["count"] == 300
    assert Organization.objects.filter(source="synthetic").count() == 30


def test_it_refuses_sizes_it_cannot_build(db):
    with pytest.raises(CommandError):
        call_command("generate_portfolio", "--organizations", "1", stdout=io.StringIO())
    assert not Organization.objects.exists()
