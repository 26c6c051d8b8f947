"""A brief checked against the seed records it cites: every cited URL has a record, each
citation names the article as its record does, and every figure and date (English and
translations) comes from a cited record."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .briefs import Brief, BriefError
from .figures import Figure, describe, extract_figures, in_context
from .locate import Locator
from .seeds import SeedRecord, read_seeds, url_key

# The parts of a brief whose figures must come from its sources. Translations add theirs here
# ("ru.title", "kk.body", ...): check_text takes any text.
TEXT_FIELDS = ("title", "summary", "body")
# Problems of one kind told figure by figure in one field, at most; the rest are counted in
# one line (a field of thousands of stray numbers is one mistake, and each line is looked up).
MAX_FIGURE_PROBLEMS = 20
_MORE = "fields have more places stating figures"  # the cause of the line counting the rest


def check_text(field: str, text: str, keys: frozenset[str], cited: str,
               path: Path, where: Locator,
               lacking: dict[str, list[str]] | None = None) -> list[BriefError]:
    """A problem for each figure in `text` (any language) that no cited record gives: one
    for both ends of a range. The cause names the figure as read ('$5 billion'), so that one
    figure missing from the body and from its translations is one line; `lacking` (the
    translations lacking each English figure) adds that they lack it too."""
    errors = []
    groups = _stray(text, keys)
    for group in groups[:MAX_FIGURE_PROBLEMS]:
        f, label, verb = group[0], _labels(group), "is" if len(group) == 1 else "are"
        which = "which is" if len(group) == 1 else "which are"
        also = _lacking_too([f.key for f in group], lacking or {})
        context = in_context(text, f.start, f.end)
        errors.append(BriefError(
            path, where.line_of(field, text, f.start), field,
            f"{label} {verb} in none of the cited records ({cited}){also}: {context}",
            cause=f"places state {label}, {which} in none of the cited records ({cited}){also}",
            detail=f"{field}: {context}"))
    return errors + _more(groups, field, path, where, f"in none of the cited records ({cited})")


def _more(groups: list[list[Figure]], field: str, path: Path, where: Locator,
          what: str) -> list[BriefError]:
    """One line for the problems past MAX_FIGURE_PROBLEMS in a field, if any."""
    more = len(groups) - MAX_FIGURE_PROBLEMS
    if more <= 0:
        return []
    return [BriefError(path, where.line(field), field,
                       f"{more} more place(s) state figures {what}; the first "
                       f"{MAX_FIGURE_PROBLEMS} are listed",
                       cause=f"{_MORE} {what} than the first {MAX_FIGURE_PROBLEMS} listed",
                       detail=f"{field}: {more} more")]


def _stray(text: str, keys: frozenset[str]) -> list[list[Figure]]:
    """The figures of `text` that none of `keys` vouches for, a range's two ends together."""
    return _by_span([f for f in extract_figures(text) if f.key not in keys])


def _by_span(figures: list[Figure]) -> list[list[Figure]]:
    """Figures grouped by the text they were read from: a range's two ends are one group."""
    groups: dict[tuple[int, int], list[Figure]] = {}
    for f in figures:
        groups.setdefault((f.start, f.end), []).append(f)
    return list(groups.values())


def _labels(group: list[Figure]) -> str:
    """'$5 billion', or both ends of one range: "'$4 billion' and '$5 billion' (one range)"."""
    if len(group) == 1:
        return repr(_label(group[0]))
    return " and ".join(repr(_label(f)) for f in group) + " (one range)"


def _lacking_too(keys: list[str], lacking: dict[str, list[str]]) -> str:
    """'; the translations lack it too' when translations lack these English figures."""
    langs = sorted({lang for key in keys for lang in lacking.get(key, [])})
    if not langs:
        return ""
    it = "it" if len(keys) == 1 else "them"
    if langs == sorted(set().union(*lacking.values())) and len(langs) > 1:
        return f"; the translations lack {it} too"
    return f"; the {' and '.join(langs)} translation{'s' if len(langs) > 1 else ''} " \
           f"lack{'' if len(langs) > 1 else 's'} {it} too"


def _lacking(brief: Brief) -> dict[str, list[str]]:
    """For each figure of the English fields, the translations that lack it."""
    out: dict[str, list[str]] = {}
    for lang, translated in brief.translations:
        for field in TEXT_FIELDS:
            theirs = {f.key for f in extract_figures(getattr(translated, field))}
            for f in extract_figures(getattr(brief, field)):
                if f.key not in theirs and lang not in out.setdefault(f.key, []):
                    out[f.key].append(lang)
    return {key: langs for key, langs in out.items() if langs}


def _label(figure: Figure) -> str:
    """The figure as an editor reads it, the same in every language: '$5 billion'."""
    return figure.part or describe(figure.key)


def _citation(brief: Brief, i: int, record: SeedRecord, where: Locator) -> list[BriefError]:
    """A cited source must name the article as its record does."""
    source = brief.sources[i]
    path = brief.path or Path("?")
    errors = []
    for name in ("title", "publisher", "published"):
        given, recorded = getattr(source, name), getattr(record, name)
        if given != recorded:
            field = f"sources[{i}].{name}"
            errors.append(BriefError(path, where.line(field), field,
                                     f"{given!r} differs from its seed record: {recorded!r} "
                                     f"({record.id})"))
    return errors


def check_brief(brief: Brief, records: dict[str, SeedRecord], text: str = "",
                broken: frozenset[str] = frozenset(),
                broken_records: dict[str, Path] | None = None) -> list[BriefError]:
    """Every problem between one brief and the seed records (`text`: the brief's file).
    `broken`: fields with problems of their own ('sources', 'date'); the checks that need
    them are skipped, saying so. `broken_records`: files of records that did not pass, by
    URL."""
    path = brief.path or Path("?")
    where = Locator(text)
    if "sources" in broken:
        return [BriefError(path, where.line("sources"), None,
                           "figures and the date not checked against the seed records: fix "
                           "sources first to check them"), *check_translations(brief, where)]
    errors: list[BriefError] = []
    cited: list[SeedRecord] = []
    unrecorded = []
    waiting = False
    for i, source in enumerate(brief.sources):
        record = records.get(url_key(source.url))
        field = f"sources[{i}].url"
        bad_record = (broken_records or {}).get(url_key(source.url))
        if record is None and bad_record is not None:
            waiting = True  # its figures wait for the record: this line says so
            cause = (f"{source.url}: its seed record is broken (see {bad_record.name}); fix it "
                     "first to check this source's title, date and figures")
            errors.append(BriefError(path, where.line(field), field, cause, cause=cause,
                                     shared=True))
            continue
        if record is None:
            unrecorded.append(f"{field} has a seed record")
            cause = (f"{source.url} has no seed record (add one: briefbot new seed "
                     f"{source.url})")
            errors.append(BriefError(path, where.line(field), field,
                                     f"{source.url} has no seed record (add one to seeds/ with "
                                     "`briefbot new seed URL`, or cite a source that has one)",
                                     cause=cause, shared=True))
            continue
        cited.append(record)
        errors += _citation(brief, i, record, where)
    keys = frozenset().union(*(r.keys() for r in cited))
    names = ", ".join(r.id for r in cited) or "none of its sources has a seed record"
    figures: list[BriefError] = []
    if "date" not in broken and f"date:{brief.date.isoformat()}" not in keys:
        figures.append(BriefError(path, where.line("date"), "date",
                                  f"{brief.date.isoformat()} is a date none of the cited records "
                                  f"gives ({names})"))
    lacking = _lacking(brief)
    fields = [(field, getattr(brief, field)) for field in TEXT_FIELDS] + [
        (f"{lang}.{field}", getattr(translated, field))
        for lang, translated in brief.translations for field in TEXT_FIELDS]
    for field, said in fields:
        figures += check_text(field, said, keys, names, path, where, lacking)
    # English figures in none of the records: their line says the translations lack them
    told = frozenset(f.key for field in TEXT_FIELDS for f in extract_figures(getattr(brief, field))
                     if f.key not in keys)
    if waiting and not unrecorded:
        figures, told = [], frozenset()
    elif unrecorded and figures:  # they may well be in the record that is missing: one line
        first = min((e.line for e in figures if e.line and not e.cause.startswith(_MORE)),
                    default=None)
        count = sum(1 for e in figures if e.field == "date") + sum(
            len(_stray(said, keys)) for _field, said in fields)
        figures = [BriefError(path, first, None,
                              f"{count} figure(s) and date(s) not checked until "
                              f"{', '.join(unrecorded)}")]
        told = frozenset()
    return errors + figures + check_translations(brief, where, told)


def check_translations(brief: Brief, where: Locator,
                       told: frozenset[str] = frozenset()) -> list[BriefError]:
    """A translation states the same figures as the English, field by field: a problem for
    each figure of one that the other lacks (one for both ends of a range), at the line of
    the figure (in the English for one the translation lacks). `told`: English figures
    already reported as in none of the records, whose line says the translations lack them."""
    path = brief.path or Path("?")
    errors = []
    for lang, translated in brief.translations:
        for field in TEXT_FIELDS:
            text, theirs_text = getattr(brief, field), getattr(translated, field)
            english, other = extract_figures(text), extract_figures(theirs_text)
            name = f"{lang}.{field}"
            theirs = {f.key for f in other}
            groups = _by_span([f for f in english if f.key not in theirs and f.key not in told])
            for group in groups[:MAX_FIGURE_PROBLEMS]:
                f, label = group[0], _labels(group)
                context = in_context(text, f.start, f.end)
                errors.append(BriefError(
                    path, where.line_of(field, text, f.start), name,
                    f"{label} of the English {field} "
                    f"{'is' if len(group) == 1 else 'are'} missing here; the English "
                    f"says: {context}",
                    cause=f"translations lack {label} of the English",
                    detail=f"{name} (the English {field}: {context})"))
            errors += _more(groups, field, path, where, f"missing from {name}")
            ours = {f.key for f in english}
            groups = _by_span([f for f in other if f.key not in ours])
            for group in groups[:MAX_FIGURE_PROBLEMS]:
                f, label = group[0], _labels(group)
                context = in_context(theirs_text, f.start, f.end)
                which = "which is" if len(group) == 1 else "which are"
                errors.append(BriefError(
                    path, where.line_of(name, theirs_text, f.start), name,
                    f"{label} {'is' if len(group) == 1 else 'are'} not in the English "
                    f"{field}: {context}",
                    cause=f"places state {label}, {which} not in the English",
                    detail=f"{name}: {context}"))
            errors += _more(groups, name, path, where, f"not in the English {field}")
    return errors


def check_briefs(briefs: Iterable[Brief], seeds_dir: Path,
                 broken: dict[Path, frozenset[str]] | None = None) -> list[BriefError]:
    """Seed record problems, then each brief's problems against the records (`broken`: for
    drafts of broken files, their fields too broken to check against).

    Raises:
        FileNotFoundError: when the seeds folder is missing.
    """
    records, errors, broken_records = read_seeds(seeds_dir)
    for brief in briefs:
        try:
            text = brief.path.read_text(encoding="utf-8") if brief.path else ""
        except (OSError, UnicodeDecodeError):
            text = ""
        errors += check_brief(brief, records, text,
                              (broken or {}).get(brief.path or Path("?"), frozenset()),
                              broken_records)
    return errors
