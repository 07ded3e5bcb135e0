"""Figures of a strategy, plan or program: its name and years, axes, programs, phases, projects and budget."""

import re
from decimal import Decimal
from functools import lru_cache

from masar.arabic import find_amounts, find_numbers, find_year_ranges, fold, normalize_digits, read_ordinal
from masar.arabic.amounts import AmountMatch
from masar.arabic.dates import YearRange
from masar.arabic.number_words import NumberMatch
from masar.arabic.spans import fold_with_origin
from masar.intake.countries import country_of
from masar.intake.lines import Line, blocks, clean_item, split_lines
from masar.intake.names import PLAN_HEADS, find_names

_PROJECTS = re.compile(r"^(?:مشروع|مشاريع|مشروعات|projets?)")
# A program made of initiatives counts them where a strategy counts projects.
_INITIATIVES = re.compile(r"^(?:مبادره|مبادرات|initiatives?)")
_AXES = re.compile(r"^(?:محاور|محور|ركايز|ركيزه|دعايم|دعامه|axes?|piliers?)")
_PROGRAMS = re.compile(r"^(?:برامج|برنامج|programmes?)")
_PHASES = re.compile(r"^(?:مراحل|مرحله|phases?|etapes?)")
_ATTACHED = 30  # characters between a plan's name and the years that belong to it
_FIGURES_NEAR = 200


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _counted(numbers: list[NumberMatch], noun: re.Pattern[str]) -> list[NumberMatch]:
    found = [number for number in numbers if number.noun and noun.match(number.noun) and not number.reference]
    if not found and noun is _PROJECTS:
        return _counted(numbers, _INITIATIVES)
    return found


def _gregorian(ranges: list[YearRange]) -> list[YearRange]:
    """Return the Gregorian year ranges when the text gives both (١٤٤٦ – ١٤٥٠هـ (٢٠٢٥ – ٢٠٢٩م)), else all."""
    return [years for years in ranges if years.start_year >= _FIRST_GREGORIAN] or ranges


_FIRST_GREGORIAN = 1800  # Hijri years are under 1500 until 2077


def _years(range_: YearRange | None) -> tuple[int | None, int | None]:
    return (range_.start_year, range_.end_year) if range_ else (None, None)


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(r"\S+", text)]


@lru_cache(maxsize=8)
def _plan_names(text: str) -> tuple[tuple[str, int, int], ...]:
    """Return every plan named in text with its start and end offsets."""
    spans = _word_spans(text)
    found = []
    for name, index in find_names(text, PLAN_HEADS):
        start = spans[index][0]
        tail = text.find(name[-8:], start)
        end = tail + len(name[-8:]) if tail >= 0 else spans[index][1]
        found.append((name, start, end))
    return tuple(found)


def _attached(ranges: list[YearRange], end: int) -> YearRange | None:
    for range_ in ranges:
        if 0 <= range_.start - end <= _ATTACHED:
            return range_
    return None


def _main_plan(text: str, ranges: list[YearRange], figures: list[NumberMatch]) -> tuple[str, int, int] | None:
    """Return the plan the text is about: the named one with years and counted figures right after it."""
    best: tuple[int, int, tuple[str, int, int]] | None = None
    first_named = next((plan for plan in _plan_names(text) if len(plan[0].split()) > 1), None)
    for position, plan in enumerate(_plan_names(text)):
        name, start, end = plan
        score = 3 * (_attached(ranges, end) is not None)
        score += sum(2 for number in figures if 0 <= number.start - end <= _FIGURES_NEAR)
        # The plan a text is about is usually named first; a program listed among "برامج" is one of its parts.
        score += 4 if plan == first_named else 0
        sentence_start = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
        if _PROGRAMS.match(fold(name)) and re.search(r"برامج", fold(text[sentence_start:start])):
            score -= 6
        if best is None or score > best[0]:
            best = (score, -position, plan)
    return best[2] if best else None


def _amount_json(amount: AmountMatch) -> dict[str, object]:
    return {"amount": _number(amount.value), "currency": amount.currency}


def _axes_in_parentheses(text: str, start: int, country: str | None) -> list[dict[str, object]]:
    """Read axes written "name (N projects): what it covers", as council communiqués list them."""
    axes: list[dict[str, object]] = []
    pattern = re.compile(r"([^:.\n؛()]+?)\s*\(([^()]{1,80})\)\s*:?")
    for match in pattern.finditer(text, start):
        inside = match.group(2)
        projects = _counted(find_numbers(inside), _PROJECTS)
        amounts = [amount for amount in find_amounts(inside, default_country=country) if not amount.equivalent]
        if not projects and not amounts:
            continue
        name = (
            re.sub(r"^.*?[:،,]\s*(?=[^:،,]*$)", "", match.group(1)).strip() if ":" in match.group(1) else match.group(1)
        )
        axes.append(
            {
                "name": name.strip(" -–،,"),
                "projects": int(projects[0].value) if projects else None,
                "budget": _amount_json(amounts[0]) if amounts else None,
            }
        )
    return axes


_ORDINAL_AXIS = re.compile(
    r"(?:(?:ال)?محور\s+)?(?<![^\W\d_])(?:ال)?(?:اول|اولي|ثاني|ثانيه|ثالث|ثالثه|رابع|رابعه|خامس|خامسه|سادس|سابع|اخير|اخيره)(?![^\W\d_])"
)
_AXIS_VERBS = re.compile(
    r"^\s*(?:هو|هي|ف?يركز\s+علي|ف?يشمل|ف?يتناول|ف?يتعلق\s+ب|ف?يخص|ف?يهدف\s+الي|ف?يعني\s+ب|:|-|–)\s*"
)


def _axes_by_ordinal(text: str, start: int) -> list[dict[str, object]]:
    """Read axes written "المحور الأول هو …، أما الثاني فيركز على …، والمحور الأخير يشمل …"."""
    end = text.find(".", start)
    region = text[start : end if end > 0 else len(text)]
    spans = fold_with_origin(region)
    folded = spans.text
    marks = [
        match for match in _ORDINAL_AXIS.finditer(folded) if "محور" in match.group() or read_ordinal(match.group())
    ]
    axes: list[dict[str, object]] = []
    for index, mark in enumerate(marks):
        stop = marks[index + 1].start() if index + 1 < len(marks) else len(region)
        piece_folded = folded[mark.end() : stop]
        verb = _AXIS_VERBS.match(piece_folded)
        skip = verb.end() if verb else 0
        piece = region[spans.end(mark.end() + skip) : spans.start(stop)]
        piece = re.split(r"[،,؛;]", piece)[0]
        piece = re.sub(r"\s+(?:و|أما|اما)$", "", piece.strip())
        if piece:
            axes.append({"name": piece.strip(), "projects": None, "budget": None})
    return axes


_LISTS = re.compile(r"(محاور|محورا|ركايز|دعايم|axes|piliers)|(مراحل|phases|etapes)|(برامج|programmes)")


def _lists(lead: Line | None) -> str | None:
    """Return what a lead announcing a list announces (axes, phases, programs): the last such noun in it."""
    found = list(_LISTS.finditer(lead.folded)) if lead and lead.introduces else []
    if not found:
        return None
    return ("axes", "phases", "programs")[found[-1].lastindex - 1 if found[-1].lastindex else 0]


def _axis(name: str, figures: str, country: str | None) -> dict[str, object]:
    """Return an axis: its name, and the projects and budget stated in figures (the rest of its line)."""
    projects = _counted(find_numbers(figures), _PROJECTS)
    amounts = [amount for amount in find_amounts(figures, default_country=country) if not amount.equivalent]
    return {
        "name": clean_item(name) or None,
        "projects": int(projects[0].value) if projects else None,
        "budget": _amount_json(amounts[0]) if amounts else None,
    }


# A line that names an axis by its ordinal: "المحور الأول: الخدمات الرقمية، ويضم 24 مشروعا", "Axe 2 : …".
_AXIS_LINE = re.compile(
    r"^\s*(?:ال)?(?:محور|ركيزه|دعامه)\s+(?:ال)?(?:[^\W\d_]+|[0-9٠-٩]+)\s*[:\-–—]\s*"
    r"|^\s*(?:axe|pilier)\s+(?:[0-9]+|[^\W\d_]+)\s*[:\-–—]\s*"
)


# The paragraph under an axis that gives its figures: "يشمل هذا المحور 21 مشروعا", "ويضم 24 مشروعا".
_DESCRIBES_AXIS = re.compile(r"^\s*و?(?:يضم|يشمل|يتضمن|تضم|تشمل|تتضمن)(?![^\W\d_])")


def _axes_listed(lines: list[Line], country: str | None) -> list[dict[str, object]]:
    axes: list[dict[str, object]] = []
    for block in blocks(lines):
        if _lists(block.lead) == "axes":
            for item in block.items:
                named = _AXIS_LINE.match(fold(item))
                rest = item[len(item) - len(item.lstrip()) :] if not named else _after_label(item)
                name = re.split(r"[:(،,]", rest)[0].strip() if named else re.split(r"[:(]", item)[0].strip()
                axes.append(_axis(name, item, country))
    if axes:
        return axes
    for index, line in enumerate(lines):
        if _AXIS_LINE.match(line.folded):
            rest = _after_label(line.text)
            figures = rest
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following is not None and _DESCRIBES_AXIS.match(following.folded):
                # "المحور الأول: البنية التحتية" and below it "يشمل هذا المحور 21 مشروعا، بميزانية …".
                figures = f"{rest} {following.text}" if not _axis(rest, rest, country)["projects"] else rest
            axes.append(_axis(re.split(r"[(،,.؛]", rest)[0].strip(), figures, country))
    return axes


def _after_label(line: str) -> str:
    """Return a line after its "المحور الأول:" label (the label is matched on the folded line)."""
    label = re.match(r"^[^:\-–—]*[:\-–—]\s*", line)
    return line[label.end() :] if label else line


def _axes_run_in(text: str, start: int, count: int, country: str | None) -> list[dict[str, object]]:
    """Read axes named in one sentence after their count: "على ستة محاور هي: البنية التحتية، والحكومة الرقمية، …",
    each with its figures when stated ("الإدارة الرقمية التي تضم 45 مشروعا").

    Read only when the names found are as many as the count says; the total that closes the list ("أي ما مجموعه
    96 مشروعا، بغلاف مالي …") is not an axis.
    """
    sentence_end = re.search(r"[.\n]", text[start:])
    sentence = text[start : start + sentence_end.start() if sentence_end else len(text)]
    announced = re.match(r"^\s*(?:[^\s:،,.]+\s+){0,2}?(?:هي|وهي|تتمثل\s+في|:)\s*:?\s*", sentence)
    if announced is None:
        return []
    parts = [re.sub(r"^و(?=ال)", "", part.strip()) for part in re.split(r"[،,؛;]", sentence[announced.end() :])]
    closing = next((at for at, part in enumerate(parts) if _CLOSES_LIST.match(fold(part))), len(parts))
    parts = parts[:closing]
    if len(parts) == count - 1 and " و" in parts[-1]:
        # "…، الاقتصاد الرقمي والتقنيات الناشئة": the last two joined by و without a comma.
        *head, last = parts
        parts = [*head, *re.split(r"\s+و(?=ال)", last, maxsplit=1)]
    parts = [part.strip() for part in parts if part.strip()]
    names = [_DESCRIBED.split(part, maxsplit=1)[0].strip() for part in parts]
    if len(names) != count or any(len(name.split()) > 8 for name in names):
        return []
    return [_axis(name, part, country) for name, part in zip(names, parts, strict=True)]


_CLOSES_LIST = re.compile(r"^(?:اي\s+ما|اي\s|ب(?:غلاف|ميزانيه|كلفه|تكلفه|تمويل)|وب(?:غلاف|ميزانيه|كلفه)|بمجموع|ومجموع)")
# Where an axis' name ends and what is said of it begins: "الإدارة الرقمية التي تضم 45 مشروعا", "… (30 مشروعا)".
_DESCRIBED = re.compile(r"\s+(?:التي|الذي|ويضم|ويشمل|بـ?\s*[0-9٠-٩])\s|\s*\(")


def _axes(
    text: str, lines: list[Line], numbers: list[NumberMatch], country: str | None
) -> list[dict[str, object]] | None:
    counts = _counted(numbers, _AXES)
    axes = _axes_listed(lines, country)
    if not axes and counts:
        axes = (
            _axes_run_in(text, counts[0].end, int(counts[0].value), country)
            or _axes_in_parentheses(text, counts[0].end, country)
            or _axes_by_ordinal(text, counts[0].end)
        )
    if counts:
        wanted = int(counts[0].value)
        if len(axes) < wanted:
            axes += [{"name": None, "projects": None, "budget": None} for _ in range(wanted - len(axes))]
    return axes or None


_PHASE_CLAUSE = 120  # characters after a phase's name where its years are written
_YEAR_WRITTEN = re.compile(r"(?<![0-9٠-٩])(?:19|20|١٩|٢٠)[0-9٠-٩]{2}(?![0-9٠-٩])")
_PHASE_WORD = re.compile(r"(?<![^\W\d_])(?:[وب]|ف)?(?:ال)?(?:مرحله|phase|[ée]tape)(?![^\W\d_])")


def _phases_in_prose(text: str) -> list[dict[str, object]]:
    """Read phases written in a sentence: "مرحلة التأسيس (2023-2024)، ومرحلة التوسع من 2025 إلى 2027"."""
    spans = fold_with_origin(text)
    marks = list(_PHASE_WORD.finditer(spans.text))
    phases: list[dict[str, object]] = []
    for index, mark in enumerate(marks):
        stop = marks[index + 1].start() if index + 1 < len(marks) else len(spans.text)
        sentence_end = re.search(r"[.؛;\n]", spans.text[mark.start() : stop])
        stop = mark.start() + sentence_end.start() if sentence_end else stop
        piece = text[spans.start(mark.start()) : spans.start(stop)][:_PHASE_CLAUSE]
        ranges = _gregorian(find_year_ranges(piece))
        if ranges:
            first, (start_year, end_year) = ranges[0].start, (ranges[0].start_year, ranges[0].end_year)
        else:
            # "تبدأ المرحلة الأولى في عام 2024 وتنتهي في عام 2025", "تختتم المرحلة الثالثة بنهاية عام 2028".
            years = list(_YEAR_WRITTEN.finditer(piece))
            if not years:
                continue
            first = years[0].start()
            start_year = int(normalize_digits(years[0].group()))
            end_year = int(normalize_digits(years[1].group())) if len(years) > 1 else start_year
        name = piece[:first]
        name = re.split(r"[(:،,]|\s(?:من|بين|خلال|في|عام|سنة|سنه|بنهاية|بحلول|ابتداء|اعتبارا|du|de|en)\s", name)[0]
        name = re.sub(r"^[وب]", "", name.strip()).strip(" -–")
        phases.append({"name": name or None, "start_year": start_year, "end_year": end_year})
    return phases


def _phases(text: str, lines: list[Line]) -> list[dict[str, object]] | None:
    phases: list[dict[str, object]] = []
    for block in blocks(lines):
        for item in block.items:
            folded = fold(item)
            if not (_lists(block.lead) == "phases" or _PHASES.match(re.sub(r"^ال", "", folded))):
                continue
            ranges = _gregorian(find_year_ranges(item))
            start, end = _years(ranges[0] if ranges else None)
            if start is None and (written := _YEAR_WRITTEN.findall(item)):
                # "مرحلة الاستدامة (2029)", "(تشرين الثاني 2022 – حزيران 2023)": the years as written.
                start, end = int(normalize_digits(written[0])), int(normalize_digits(written[-1]))
            if start is None:
                continue  # a heading ("ثالثاً: مراحل التنفيذ"), not a phase
            phases.append({"name": re.split(r"[:(]", item)[0].strip(), "start_year": start, "end_year": end})
    return phases or _phases_in_prose(text) or None


def _programs(
    lines: list[Line], numbers: list[NumberMatch], others: list[tuple[str, YearRange]]
) -> dict[str, object] | None:
    items: list[dict[str, object]] = []
    for block in blocks(lines):
        if _lists(block.lead) != "programs":
            continue
        for item in block.items:
            name, _, description = item.partition(":")
            ranges = find_year_ranges(item)
            start, end = _years(ranges[0] if ranges else None)
            items.append(
                {"name": name.strip(), "description": description.strip() or None, "start_year": start, "end_year": end}
            )
    for name, range_ in others:
        start, end = _years(range_)
        items.append({"name": name, "description": None, "start_year": start, "end_year": end})
    counts = _counted(numbers, _PROGRAMS)
    count = int(counts[0].value) if counts else (len(items) or None)
    if count is None and not items:
        return None
    return {"count": count, "items": items}


_TOTAL_AMOUNT = re.compile(r"(?:اجمالي|اجماليه|جمليه|مجموع|اجمالا|total|totale|globale|d'ensemble)")


def _budget(text: str, default_country: str | None) -> dict[str, object] | None:
    """Return the plan's budget: the amount said to be the total (إجمالية, مجموع), else the first one stated.

    An amount that restates it in another currency right after it is its equivalent.
    """
    amounts = find_amounts(text, default_country=default_country)
    stated = [(index, amount) for index, amount in enumerate(amounts) if not amount.equivalent]
    if not stated:
        return None
    totals = [
        (index, amount)
        for index, amount in stated
        if _TOTAL_AMOUNT.search(fold(text[max(0, amount.start - 50) : amount.start]))
    ]
    index, amount = (totals or stated)[0]
    following = amounts[index + 1] if index + 1 < len(amounts) else None
    equivalent = following if following is not None and following.equivalent else None
    return {
        "amount": _number(amount.value),
        "currency": amount.currency,
        "equivalent": _amount_json(equivalent) if equivalent else None,
    }


def extract_strategy(text: str, *, default_country: str | None = None) -> dict[str, object]:
    """Return the strategy's name, period, axes, programs, phases, total projects and budget."""
    numbers = find_numbers(text)
    ranges = _gregorian(find_year_ranges(text))
    lines = split_lines(text)
    figures = [number for number in numbers if number.noun and not number.reference]
    main = _main_plan(text, ranges, figures)
    if main and len(main[0].split()) == 1:
        # A bare "الاستراتيجية" next to the figures refers back to the plan named in full before it.
        head = fold(main[0]).removeprefix("ال")
        named = [plan for plan in _plan_names(text) if len(plan[0].split()) > 1 and head in fold(plan[0].split()[0])]
        if named:
            main = (named[0][0], main[1], main[2])
    period_range = _attached(ranges, main[2]) if main else None
    if period_range is None and ranges:
        period_range = max(ranges, key=lambda years: (years.end_year - years.start_year, -years.start))
    others = []
    for name, _, end in _plan_names(text):
        attached = _attached(ranges, end)
        gap = text[end : attached.start] if attached else ""
        if (
            main
            and name != main[0]
            and attached is not None
            and len(name.split()) > 1
            and not re.search(r"[،,.؛]", gap)
        ):
            others.append((name, attached))
    country = default_country or country_of(text)
    axes = _axes(text, lines, numbers, country)
    total = _total_projects(text, numbers)
    if total is None and axes and all(isinstance(axis["projects"], int) for axis in axes):
        total = sum(int(str(axis["projects"])) for axis in axes)
    return {
        "name": main[0] if main else None,
        "period": {"start_year": period_range.start_year, "end_year": period_range.end_year} if period_range else None,
        "axes": axes,
        "programs": _programs(lines, numbers, others),
        "phases": _phases(text, lines),
        "total_projects": total,
        "budget": _budget(text, country),
    }


# A count said to be the total: the words that say so, and weaker ones (يضم, يتضمن) that may be an axis' own.
_TOTAL = re.compile(r"(?:مجموع|مجموعه|اجمالي|الاجمالي|جمله|total|ensemble)")
_INCLUDES = re.compile(r"(?:عدد|يتضمن|تتضمن|يضم|تضم)")


def _total_projects(text: str, numbers: list[NumberMatch]) -> int | None:
    """Return the projects counted for the whole plan: not those of one axis (its line, its parentheses).

    A count said to be the total (مجموع, إجمالي) is preferred, then one said to be included (يتضمن), then the first.
    """
    whole = []
    for number in _counted(numbers, _PROJECTS):
        line_start = text.rfind("\n", 0, number.start) + 1
        if _in_parentheses(text, number.start) or _AXIS_LINE.match(fold(text[line_start : number.start])):
            continue
        whole.append(number)
    for words in (_TOTAL, _INCLUDES):
        for number in whole:
            if words.search(fold(text[max(0, number.start - 40) : number.start])):
                return int(number.value)
    return int(whole[0].value) if whole else None


def _in_parentheses(text: str, position: int) -> bool:
    return text.rfind("(", 0, position) > text.rfind(")", 0, position)
