"""What the editors' report knows of the library, and the figures of one period of use: brief
titles, whether an unanswered question is on the subject or chatter (or got the overview),
the words a question has that no brief has, and the answer rate per language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .figures import extract_figures
from .glossary import Glossary
from .language import question_language
from .storage import QuestionRecord
from .text import KAZAKH_LETTERS, content_tokens, is_cyrillic, is_soft, small_talk
from .text import stems as word_stems

if TYPE_CHECKING:
    from .library import Library

OVERVIEW, CHATTER, GAP = "overview", "chatter", "gap"
QUESTION_KINDS = ("text", "inline")
REPORT_LANGUAGES = ("en", "ru", "kk")
MAX_JUDGED = 10_000  # distinct unanswered texts looked at for the overview (bounded time)


@dataclass
class Editorial:
    """The library as the report needs it. `judge(text)` says what an unanswered question is:
    OVERVIEW (it got the overview of the subject, a greeting or thanks: never unanswered),
    CHATTER (off the subject) or GAP (on the subject: something to write); `missing(text)`
    gives the words of a question that no brief has. Without a library every unanswered
    question is a gap and no words are known to be missing."""

    titles: Mapping[str, str] = field(default_factory=dict)
    judge: Callable[[str], str] | None = None
    missing: Callable[[str], tuple[str, ...]] | None = None
    overview: Callable[[str], bool] | None = None
    _seen: dict[str, str] = field(default_factory=dict, repr=False)

    def title(self, brief_id: str | None) -> str:
        """The brief's title ('id (no longer served)' for a removed one)."""
        if not brief_id:
            return ""
        if not self.titles:  # no library at hand: the id is all there is
            return brief_id
        return self.titles.get(brief_id) or f"{brief_id} (no longer served)"

    def kind(self, text: str) -> str:
        """OVERVIEW, CHATTER or GAP for an unanswered question (remembered per text)."""
        if small_talk(text) is not None or not content_tokens(text):
            return OVERVIEW
        if self.judge is None:
            return GAP
        key = " ".join(text.lower().split())
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) >= MAX_JUDGED:
                self._seen.clear()
            found = self._seen[key] = self.judge(text)
        return found

    def is_overview(self, text: str) -> bool:
        """True for a greeting, a thanks, or a question that got the overview of the subject
        (cheaper than `kind`: the subject test runs only on a question of subject words)."""
        if small_talk(text) is not None or not content_tokens(text):
            return True
        if self.overview is None:
            return False
        return self.overview(text)


def _vocabulary(library: Library) -> frozenset[str]:
    """Stems of the topic words of every brief (titles, keywords, summaries, bodies, their
    translations): what the library is about, in its own words."""
    found: set[str] = set()
    for brief in library.briefs:
        texts = [brief.title, brief.summary, brief.body, *brief.keywords]
        texts += [t for _lang, tr in brief.translations for t in (tr.title, tr.summary, tr.body)]
        for text in texts:
            for token in content_tokens(text):
                if not is_soft(token):
                    found |= {s for s in word_stems(token) if len(s) >= 4}
    return frozenset(found)


def editorial_for(library: Library) -> Editorial:
    """The report's view of a library, through the matcher's public results only; the
    subject's words and names come from the library's topic file."""
    vocabulary = _vocabulary(library)
    glossary = Glossary(library.topic)
    named = frozenset(s for w in library.topic.vocabulary for s in word_stems(w) if len(s) >= 4)
    aliases = library.topic.abbreviations

    def overview(text: str) -> bool:
        tokens = (t for t in content_tokens(text, aliases) if not is_soft(t))
        # only a question made of the subject's and common words can get the overview (the
        # first other word settles it)
        return all(glossary.is_subject(t) for t in tokens) \
            and library.match(text).intent == "subject"

    def judge(text: str) -> str:
        words = content_tokens(text, aliases)
        tokens = [t for t in words if not is_soft(t)]
        if overview(text):
            return OVERVIEW
        if any(glossary.is_subject(t) or word_stems(t) & named for t in words):
            return GAP
        if any(s in vocabulary for t in tokens for s in word_stems(t)):
            return GAP
        if any(f.key.startswith(("year:", "month:", "date:")) for f in extract_figures(text)):
            return GAP  # a question about a time is a question about the news
        return CHATTER

    def missing(text: str) -> tuple[str, ...]:
        return tuple(library.match(text).unknown)

    return Editorial({b.id: b.title for b in library.briefs}, judge, missing, overview)


def language_of(text: str) -> str:
    """The question's language: as the bot reads it when clear, else by its letters."""
    return question_language(text) or language_by_letters(text)


def language_by_letters(text: str) -> str:
    """The question's language by its letters alone (cheap: no word is read)."""
    if is_cyrillic(text):
        return "kk" if set(text.lower()) & KAZAKH_LETTERS else "ru"
    return "en" if any(ch.isalpha() for ch in text) else "other"


def _language_order(lang: str) -> tuple[int, str]:
    return (REPORT_LANGUAGES.index(lang) if lang in REPORT_LANGUAGES
            else len(REPORT_LANGUAGES), lang)


def rate(part: int, whole: int) -> float | None:
    """part/whole rounded to a tenth of a percent (None for nothing asked)."""
    return round(100 * part / whole, 1) if whole else None


def overview_texts(questions: Iterable[QuestionRecord], editorial: Editorial) -> set[str]:
    """The unanswered texts that got the overview, a greeting or thanks. The overview is asked
    in a few short, frequent ways: the MAX_JUDGED most asked distinct unanswered texts are
    looked at (a report in bounded time); the rarer ones count as asked."""
    asked_most = Counter(q.text for q in questions
                         if q.kind in QUESTION_KINDS and q.outcome == "none")
    return {t for t, _n in asked_most.most_common(MAX_JUDGED) if editorial.is_overview(t)}


def period_totals(questions: Iterable[QuestionRecord], editorial: Editorial) -> dict[str, object]:
    """One period's figures. Questions that got the overview, a greeting or thanks are not
    counted as asked, so never as unanswered."""
    questions = [q for q in questions if q.kind in QUESTION_KINDS]
    overviews = overview_texts(questions, editorial)
    # the MAX_JUDGED most asked distinct texts are read as the bot reads them; the rarer ones
    # by their letters (a report in bounded time however many distinct questions there are)
    judged = {t for t, _n in Counter(q.text for q in questions).most_common(MAX_JUDGED)}
    asked = answered = suggested = unanswered = overview = 0
    users: set[str] = set()
    by_lang: dict[str, Counter[str]] = {}
    languages_seen: dict[str, str] = {}
    for q in questions:
        if q.outcome == "none" and q.text in overviews:
            overview += 1
            continue
        asked += 1
        users.add(q.user_key)
        lang = languages_seen.get(q.text)
        if lang is None:
            lang = language_of(q.text) if q.text in judged else language_by_letters(q.text)
            languages_seen[q.text] = lang
        counts = by_lang.setdefault(lang, Counter())
        counts["asked"] += 1
        counts[q.outcome] += 1
        answered += q.outcome == "answer"
        suggested += q.outcome == "suggest"
        unanswered += q.outcome == "none"
    languages = {lang: {"asked": c["asked"], "answered": c["answer"],
                        "answer_rate": rate(c["answer"], c["asked"])}
                 for lang, c in sorted(by_lang.items(), key=lambda kv: _language_order(kv[0]))}
    return {"questions": asked, "answered": answered, "suggested": suggested,
            "unanswered": unanswered, "overview": overview, "users": len(users),
            "answer_rate": rate(answered, asked), "languages": languages}


def missing_keywords(picks: Sequence[dict[str, object]], editorial: Editorial,
                     limit: int = 20) -> list[dict[str, object]]:
    """Did-you-mean picks whose question has words no brief has: the keywords the chosen
    brief lacks (so the question became a did-you-mean instead of an answer); at most
    `limit`, most frequent first."""
    if editorial.missing is None:
        return []
    out: list[dict[str, object]] = []
    for p in picks:
        if len(out) >= limit:
            break
        words = editorial.missing(str(p["text"]))
        if words:
            out.append({**p, "title": editorial.title(str(p["brief"])), "words": list(words)})
    return out
