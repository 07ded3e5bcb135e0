"""Measure how well Masar reads official Arabic texts: `python -m bench.intake [--verbose]`.

The evaluation set lives in `tests/fixtures/intake/`: each `<name>.txt` is an official text (the five seeds and texts
in the style of other Arab administrations), each `<name>.json` what a person extracted from it by hand, in the shape
of `POST /api/v1/intake/extract/` (see the README there). Every text is read by `masar.intake.extract` and compared
with its annotation (`bench.intake_score`). Prints key=value lines:

- `documents`, `errors` (texts on which the extractor raised);
- `mission_f1`, `mission_precision`, `mission_recall`, `missions_annotated`, `missions_extracted`,
  `missions_matched`, and the same for decisions: an extracted item matches an annotated one when their folded
  words overlap by at least 0.8 (|A∩B| / max(|A|, |B|)), one-to-one, micro-averaged over the documents;
- `<field>_exact` and `<field>_compared` for kind, organization, parent_organization, body, name (without its
  numbers), period, axes_count, axis_projects, axis_budgets, programs_count, phases (their years), total_projects,
  budget (amount and currency), budget_equivalent and date: the share of documents where the extraction equals the
  annotation, over the documents where either has a value;
- `time_max_ms`, `time_mean_ms`: the time `extract` took per document (the issue asks for under 5 s each).

The figures are printed for every text, then again for the texts of each subfolder on its own, in name order, with
keys prefixed by the subfolder's name (`heldout_`, `heldout2_`): each subfolder is a held-out set, written after the
rules and never tuned on, that says how the rules do on texts they were not written for (the outside evaluation's
case). `--verbose` also prints each miss: `miss doc=… field=… expected=… got=…` (for a list, an annotated item not
found with the closest extracted one and their overlap, or an extracted item that matches none); a held-out text's
name starts with its subfolder (`heldout2/`).
"""

import argparse
import json
import time
from pathlib import Path

from bench.intake_score import EXACT, LISTS, Miss, Scores, overlap
from masar.intake import extract

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "intake"


def load_set(folder: Path = FIXTURES) -> list[tuple[str, str, dict[str, object]]]:
    """Return (name, text, annotation) for every annotated text under folder, named by its path there without the
    suffix (`seed_000`, `heldout/kuwait_decisions_16`): the folder's own texts first, then its subfolders'."""
    documents = []
    for annotation in sorted(folder.rglob("*.json"), key=lambda path: (len(path.relative_to(folder).parts), path)):
        text = annotation.with_suffix(".txt").read_text(encoding="utf-8")
        name = annotation.relative_to(folder).with_suffix("").as_posix()
        documents.append((name, text, json.loads(annotation.read_text(encoding="utf-8"))))
    return documents


def held_out_sets(folder: Path = FIXTURES) -> list[str]:
    """Return the names of folder's subfolders that hold annotated texts, in name order: each one a held-out set,
    scored again on its own so that a set written later is not averaged away by the earlier ones."""
    return sorted(path.name for path in folder.iterdir() if path.is_dir() and any(path.rglob("*.json")))


def held_out_set(name: str) -> str | None:
    """Return the held-out set a text of load_set belongs to (its subfolder), None for the folder's own texts."""
    return name.split("/", 1)[0] if "/" in name else None


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def shown(value: object) -> str:
    """Return a compared value as a person reads it: a name's words joined, amounts in full, the rest as JSON."""
    if isinstance(value, tuple) and value and all(isinstance(part, str) for part in value):
        return " ".join(value)
    return json.dumps(value, ensure_ascii=False, default=lambda amount: format(amount, "f"))


def print_miss(miss: Miss) -> None:
    closeness = ""
    if miss.field.endswith("_missed") and miss.got:
        closeness = f" overlap={overlap(str(miss.expected), str(miss.got)):.2f}"
    where = f"miss doc={miss.document} field={miss.field}"
    print(f"{where} expected={shown(miss.expected)} got={shown(miss.got)}{closeness}")


def print_figures(scores: Scores, times: list[float], prefix: str = "") -> None:
    """Print one set's figures as key=value lines, each key prefixed (`heldout2_`) when the set is a held-out one."""
    errors = sum(miss.field == "error" for miss in scores.misses)
    print(f"{prefix}documents={scores.documents}")
    print(f"{prefix}errors={errors}")
    for key in LISTS:
        item = scores.lists[key]
        singular = key[:-1]
        print(f"{prefix}{singular}_f1={ratio(item.f1)}")
        print(f"{prefix}{singular}_precision={ratio(item.precision)}")
        print(f"{prefix}{singular}_recall={ratio(item.recall)}")
        print(f"{prefix}{key}_annotated={item.expected}")
        print(f"{prefix}{key}_extracted={item.extracted}")
        print(f"{prefix}{key}_matched={item.matched}")
    for key in EXACT:
        print(f"{prefix}{key}_exact={ratio(scores.fields[key].rate)}")
        print(f"{prefix}{key}_compared={scores.fields[key].compared}")
    print(f"{prefix}time_max_ms={max(times, default=0):.1f}")
    print(f"{prefix}time_mean_ms={(sum(times) / len(times) if times else 0):.1f}")


def run(verbose: bool = False, folder: Path = FIXTURES) -> Scores:
    """Read every annotated text, score it and print the figures: all texts, then each held-out set alone."""
    scores = Scores()
    times: list[float] = []
    parts: dict[str, tuple[Scores, list[float]]] = {part: (Scores(), []) for part in held_out_sets(folder)}
    for name, text, annotation in load_set(folder):
        failure: Miss | None = None
        started = time.perf_counter()
        try:
            got = extract(text)
        except Exception as error:  # one text the extractor cannot read must not stop the measure: count it
            got = {}
            failure = Miss(name, "error", None, f"{type(error).__name__}: {error}")
        elapsed = (time.perf_counter() - started) * 1000
        part = held_out_set(name)
        for scope, scope_times in [(scores, times)] + ([parts[part]] if part else []):
            scope_times.append(elapsed)
            if failure:
                scope.misses.append(failure)
            scope.add(name, annotation, got)
    print_figures(scores, times)
    for part, (part_scores, part_times) in parts.items():
        print_figures(part_scores, part_times, prefix=f"{part}_")
    if verbose:
        for miss in scores.misses:
            print_miss(miss)
    return scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss: document, field, expected, got")
    run(verbose=parser.parse_args(argv).verbose)


if __name__ == "__main__":
    main()
