"""The digitization indicators of each ministry, fed from the catalogue and kept in step with it.

(To be written: see `digitization_refresh`.)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable


def digitization_refresh(*, organization_ids: Iterable[int], months: Iterable[datetime.date]) -> None:
    """Bring in step the digitization indicators of the ministries holding these organizations, for the current
    month and for the months given."""
