"""The OCDS 1.1 door of the procurement trail: release packages in (validated, all or nothing) and out.

Import: `masar.integrity.ocds_import` (checks in `masar.integrity.ocds_validate`, against Masar's
profile `ocds_profile.json` and the official schema when `settings.OCDS_SCHEMA_DIR` is set). Export:
`masar.integrity.ocds_export` (what a reader may read, never an alert).
"""

from masar.integrity.ocds_export import release_package, releases_for
from masar.integrity.ocds_import import ImportReport, OcdsInvalid, release_package_import, releases_from_jsonl

__all__ = [
    "ImportReport",
    "OcdsInvalid",
    "release_package",
    "release_package_import",
    "releases_for",
    "releases_from_jsonl",
]
