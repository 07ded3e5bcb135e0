"""A published dataset of the 2025–2026 program's projects, one project public and one not."""

import pytest

from masar.core.models import Classification
from masar.opendata.services import publications_refresh
from tests.opendata.factories import make_dataset, make_publication, publish
from tests.portfolio.factories import make_project


@pytest.fixture
def open_projects(gov, national, ministry_a, program, axis, django_capture_on_commit_callbacks):
    """Return (publication, public project, restricted project, confidential project), its files generated."""
    shown = make_project("OPEN-1", ministry_a, axis, strategy=program)
    restricted = make_project("SHUT-R", ministry_a, axis, strategy=program, classification=Classification.RESTRICTED)
    hidden = make_project("SHUT-C", ministry_a, axis, strategy=program, classification=Classification.CONFIDENTIAL)
    dataset = make_dataset("projects-national", gov, by=national, steward=national)
    with django_capture_on_commit_callbacks(execute=True):
        publication = publish(
            make_publication("projets-2025-2026", dataset, by=national, strategy=program), by=national
        )
    publications_refresh()
    publication.refresh_from_db()
    return publication, shown, restricted, hidden
