"""Import an OCDS 1.1 file from the server's shell: `manage.py ocds_import FILE --owner CODE [--public]`.

The file is a release package, a record package (JSON) or JSON Lines of releases (`.jsonl`). All of it
is imported or none: every error is printed with its JSON path and the command fails.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from masar.core.models import Classification
from masar.integrity.ocds import OcdsInvalid, release_package_import, releases_from_jsonl
from masar.organizations.models import Organization


class Command(BaseCommand):
    help = "Import an OCDS release package, record package or JSON Lines file (all of it or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--owner", required=True, help="code of the organization that owns the new tenders")
        parser.add_argument("--public", action="store_true", help="publish the new tenders (restricted otherwise)")

    def handle(self, *args, path, owner, public, **options):
        organization = Organization.objects.filter(code=owner).first()
        if organization is None:
            raise CommandError(_("No organization has the code “%(value)s”.") % {"value": owner})
        file = Path(path)
        try:
            content = file.read_text(encoding="utf-8-sig")
            data = releases_from_jsonl(content) if file.suffix == ".jsonl" else json.loads(content)
            report = release_package_import(
                actor=None,
                data=data,
                owner=organization,
                classification=Classification.PUBLIC if public else Classification.RESTRICTED,
                source=file.name[:200],
            )
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": error}) from None
        except OcdsInvalid as invalid:
            for where, message in invalid.errors:
                self.stderr.write(f"{where or '/'}: {message}")
            raise CommandError(str(invalid.message)) from None
        self.stdout.write(
            f"ocds_import created={report.created} updated={report.updated} bids={report.bids} "
            f"awards={report.awards} contracts={report.contracts} payments={report.payments} "
            f"suppliers_created={report.suppliers_created} unconverted={report.unconverted}"
        )
