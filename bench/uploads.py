"""Measure what hostile uploads cost before they are refused: `python -m bench.uploads`.

Builds, in memory, the files of the attack on the demo (tests/core/hostile.py) and reads each
through the indicator upload (`masar.indicators.imports.read_table`) and the bulk import
(`masar.imports.parsers.open_source`, every row read as `import_start` counts them). Prints
key=value lines per file and door:

- <file>_<door>_cpu_s: CPU time (user + system, resource.getrusage) until the file is refused or read;
- <file>_<door>_peak_mb: peak of Python allocations (tracemalloc, a second run: it slows the first);
- <file>_<door>_outcome: the refusal (or "read N rows").

Files: million_rows (a million rows of one value), million_numbered_rows (the same with r="N" on
each row, which passes the zip checks: the row limit stops it), giant_cell (one cell of 400 MB), laughs (entity
expansion), xxe (an external entity), wide_csv (200,002 columns), giant_field (a 5 MB field).
Nothing touches the database. `--only million_rows,giant_cell` picks files.
"""

import argparse
import os
import resource
import sys
import tracemalloc
import types


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    import django

    django.setup()


def files():
    from tests.core import hostile

    return {
        "million_rows": ("values.xlsx", hostile.million_rows_workbook),
        "million_numbered_rows": ("values.xlsx", lambda: hostile.million_rows_workbook(numbered=True)),
        "giant_cell": ("values.xlsx", hostile.giant_cell_workbook),
        "laughs": ("values.xlsx", hostile.billion_laughs_workbook),
        "xxe": ("values.xlsx", hostile.external_entity_workbook),
        "wide_csv": ("values.csv", hostile.wide_csv),
        "giant_field": ("values.csv", hostile.giant_field_csv),
    }


def indicator_door(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from masar.indicators.imports import read_table
    from masar.indicators.services import ImportRefused

    try:
        table = read_table(SimpleUploadedFile(name, content), types.SimpleNamespace(frequency="year"))
    except ImportRefused as refusal:
        return "refused: " + "; ".join(str(error.message) for error in refusal.errors)[:160]
    except Exception as error:  # what a 500 would have been
        return f"error: {type(error).__name__}: {str(error)[:120]}"
    return f"read {len(table.rows)} rows"


def import_door(name, content):
    from masar.imports.parsers import FileRefused, guess_format, open_source

    try:
        source = open_source(content, guess_format(name, content))
        count = sum(1 for _row in source.rows)
    except FileRefused as refusal:
        return "refused: " + ", ".join(problem["code"] for problem in refusal.problems)
    except Exception as error:
        return f"error: {type(error).__name__}: {str(error)[:120]}"
    return f"read {count} rows"


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(door, name, content, *, memory=True):
    start = cpu()
    outcome = door(name, content)
    seconds = cpu() - start
    if not memory:
        return seconds, None, outcome
    tracemalloc.start()
    door(name, content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 2**20, outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated file names")
    parser.add_argument("--doors", default="indicator,import")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run (slow on big files)")
    args = parser.parse_args()
    setup_django()
    chosen = [name for name in args.only.split(",") if name] or list(files())
    doors = {"indicator": indicator_door, "import": import_door}
    for key in chosen:
        filename, build = files()[key]
        content = build()
        print(f"{key}_file_kb={len(content) / 1024:.0f}", flush=True)
        for door_name in args.doors.split(","):
            seconds, peak, outcome = measure(doors[door_name], filename, content, memory=not args.no_memory)
            print(f"{key}_{door_name}_cpu_s={seconds:.2f}", flush=True)
            if peak is not None:
                print(f"{key}_{door_name}_peak_mb={peak:.1f}", flush=True)
            print(f"{key}_{door_name}_outcome={outcome}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
