from django_tasks import task

from masar.reports.services import pack_build


@task()
def build_council_pack(pack_id):
    """Build a council pack's PDF in the background."""
    return pack_build(pack_id=pack_id)
