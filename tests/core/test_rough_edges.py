"""Nothing written for developers reaches a reader: sources by their title, the admin in their language."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.template import Context, Template
from django.utils import translation
from django.utils.functional import Promise

from masar.core.changes import HIDDEN, with_change_rows
from masar.core.models import Classification
from masar.core.sources import SOURCE_TITLES, source_titles
from masar.portfolio.models import FundingKind, Milestone, Project
from tests.portfolio.factories import make_project


def test_a_source_is_shown_by_its_documents_title_never_its_code():
    badge = Template("{% sample_badge record %}")
    html = badge.render(Context({"record": SimpleNamespace(is_sample=False, source="seed 003; responsible: sample")}))
    assert str(SOURCE_TITLES["seed 003"]) in html
    assert "seed" not in html and "sample" not in html.lower().replace("class=", "")
    assert source_titles("seed 000; seed 003") == [SOURCE_TITLES["seed 000"], SOURCE_TITLES["seed 003"]]
    assert badge.render(Context({"record": SimpleNamespace(is_sample=False, source="synthetic")})).strip() == ""


def test_the_admin_is_branded_and_every_app_named():
    assert str(admin.site.site_header) != "Django administration"
    masar_apps = [config for config in apps.get_app_configs() if config.name.startswith("masar.")]
    assert masar_apps
    for config in masar_apps:
        assert isinstance(config.verbose_name, Promise), config.name  # translated, not the label


@pytest.mark.django_db
def test_the_audit_trail_reads_in_the_readers_language(ministry_a, ministry_b, axis, coordinator_a):
    public = make_project("P-PUB", ministry_a, axis, name_en="Public project")
    hidden = make_project("P-SEC", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    assert Project.objects.visible_to(coordinator_a).filter(pk=public.pk).exists()  # positive control
    assert not Project.objects.visible_to(coordinator_a).filter(pk=hidden.pk).exists()
    entries = [
        SimpleNamespace(
            changes={
                "project": [hidden.pk, public.pk],
                "planned_date": ["2026-03-01", "2026-06-30"],
            }
        )
    ]
    project_entries = [
        SimpleNamespace(
            changes={"funding_kind": [FundingKind.STATE_BUDGET.value, None], "owner": [ministry_a.pk, None]}
        )
    ]
    with translation.override("en"):
        (entry,) = with_change_rows(entries, Milestone, coordinator_a)
        (project_entry,) = with_change_rows(project_entries, Project, coordinator_a)
        public_name, ministry_name = str(public), str(ministry_a)
        rows = {str(label): (before, after) for label, before, after in entry.rows}
        project_label = str(Milestone._meta.get_field("project").verbose_name)
        project_rows = {str(label): (before, after) for label, before, after in project_entry.rows}
        owner_label = str(Project._meta.get_field("owner").verbose_name)
        funding_label = str(FundingKind.STATE_BUDGET.label)
    assert rows[project_label] == (HIDDEN, public_name)
    assert rows["planned date"] == ("Mar 1, 2026", "Jun 30, 2026")
    assert project_rows["funding"] == (funding_label, None)
    assert project_rows[owner_label] == (ministry_name, None)
