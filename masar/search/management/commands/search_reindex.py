import time

from django.core.management.base import BaseCommand, CommandError

from masar.search.index import reindex
from masar.search.models import EntryKind


class Command(BaseCommand):
    help = "Rebuild the search index of every searchable record (or of some kinds), printing progress."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")

    def handle(self, *args, kind, **options):
        unknown = set(kind) - set(EntryKind.values)
        if unknown:
            raise CommandError(f"unknown kind {sorted(unknown)}: choose among {', '.join(EntryKind.values)}")
        started = time.monotonic()
        last = {"kind": None}

        def progress(name, done, total):
            if name != last["kind"] or done == total or done % 5000 == 0:
                self.stdout.write(f"{name}: {done}/{total}")
                last["kind"] = name

        written = reindex(progress=progress, kinds=kind)
        seconds = time.monotonic() - started
        rate = written / seconds if seconds else 0
        self.stdout.write(self.style.SUCCESS(f"indexed {written} records in {seconds:.1f} s ({rate:.0f}/s)"))
