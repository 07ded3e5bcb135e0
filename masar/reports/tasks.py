from masar.core.jobs import job_task
from masar.reports.services import pack_build


@job_task
def build_council_pack(pack_id):
    """Build a council pack's PDF in the background (a pack already built or being built is left alone)."""
    return pack_build(pack_id=pack_id)
