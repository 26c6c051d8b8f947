"""Rules that keep the decision from drifting as editors add briefs: scores on one scale at
any library size, answers that need the question's own words, and questions about the
reader's affairs kept apart from formulas that only ask."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from bot.briefs import Brief, Source
from bot.lexicon import is_place_or_person, soft_by_lemma, unreadable
from bot.matching import Match, Matcher, Thresholds, Word, _Scores
from bot.matching.analyze import analyze
from bot.matching.index import REFERENCE_BRIEFS, idf, unique_idf
from bot.text import about_the_reader, normalize
from tests.test_alerts import _brief

T = Thresholds()
BRIEFS = tuple(_brief(b) for b in ("a", "b", "c"))
MATCHER = Matcher(BRIEFS)


@pytest.mark.parametrize("size", [11, 20, 40, 1000])
def test_a_word_of_one_brief_weighs_the_same_at_any_library_size(size: int) -> None:
    one = np.array([1, 2, 5])
    weights = idf(one, one, np.zeros(3, bool), size)
    assert weights[0] == pytest.approx(unique_idf(REFERENCE_BRIEFS))
    assert weights[0] > weights[1] > weights[2]  # rarer words still weigh more


def test_the_scale_is_the_raw_idf_at_the_reference_size() -> None:
    one = np.array([1, 3])
    raw = np.log1p((REFERENCE_BRIEFS - one + 0.5) / (one + 0.5))
    assert idf(one, one, np.zeros(2, bool), REFERENCE_BRIEFS) == pytest.approx(raw)


@pytest.mark.parametrize(("text", "about"), [
    ("should I get an oil change", True), ("what is the date my visa card expires", True),
    ("who made you", True), ("как мне оформить визу", True), ("я потерял карту", True),
    ("tell me about tariffs", False), ("I want to know about the visa pause", False),
    ("what should I know about tariffs", False),
    ("I'd like to know about the tungsten deal", False),
    ("расскажи мне о пошлинах", False), ("я хочу узнать про пошлины", False),
    ("маған тарифтер туралы айтып бер", False), ("Қазақстан мен АҚШ", False),
])
def test_first_and_second_person_words_outside_the_formulas_that_only_ask(
        text: str, about: bool) -> None:
    assert about_the_reader(text) is about


@pytest.mark.parametrize(("word", "name"), [
    ("ирана", True), ("лаврова", True), ("kyrgyzstan", True),
    ("есеп", False), ("делегациясы", False), ("зияны", False),  # endings pymorphy3 guesses at
    ("сенаторов", False),
    ("қытаймен", True), ("ресейге", True), ("өзбекстанның", True),  # pycountry's Kazakh names
    ("того", False), ("малина", False), ("сомали", True),  # Russian's dictionary first
])
def test_only_a_word_the_dictionary_has_is_taken_for_a_known_name(word: str, name: bool) -> None:
    assert is_place_or_person(word) is name


@pytest.mark.parametrize(("word", "result"), [
    ("есеп", True), ("делегациясы", True), ("пайыздық", True),  # Kazakh: no dictionary here
    ("санкции", False), ("ирана", False), ("report", False), ("protsentov", False),
    ("қытай", False),  # a country's Kazakh name: a name, not a word no one can read
    ("erdoğan", False), ("zürich", False),  # Latin with accents: names, not Kazakh
])
def test_unreadable_words_are_cyrillic_words_no_dictionary_here_knows(word: str,
                                                                      result: bool) -> None:
    assert unreadable(word) is result


def _scores(word: str) -> _Scores:
    words = [Word(word, word, False)]
    return _Scores(np.zeros(len(BRIEFS)), words, [()], {}, [0.5])


def _leader(**fields: object) -> Match:
    base = {"explained": 0.6, "keyed": 0.6, "specifics": T.evidence_unread}
    return Match(BRIEFS[0], T.common_answer + 1, **{**base, **fields})  # type: ignore[arg-type]


def test_an_unreadable_word_is_forgiven_only_with_the_leaders_own_evidence() -> None:
    assert MATCHER._decide("q", _scores("есеп"), (_leader(),)).outcome == "answer"
    weak = _leader(specifics=T.evidence_unread - 1)
    assert MATCHER._decide("q", _scores("есеп"), (weak,)).outcome != "answer"
    loose = _leader(keyed=T.keyed_unread - 0.01, explained=T.keyed_unread - 0.01)
    assert MATCHER._decide("q", _scores("есеп"), (loose,)).outcome != "answer"
    assert MATCHER._decide("q", _scores("prioritety"), (_leader(),)).outcome != "answer"


def test_russian_typed_in_latin_letters_is_read_as_russian() -> None:
    """A Latin word English lacks is a Russian common word when the question is typed that
    way ("posol … prioritety"), never on its own, and never when a reading makes it a name."""
    latin = "posol prioritety"
    assert MATCHER._decide(latin, _scores("prioritety"), (_leader(),)).outcome == "answer"
    assert MATCHER._decide("prioritety", _scores("prioritety"), (_leader(),)).outcome != "answer"
    assert MATCHER._decide("posol lavrov", _scores("lavrov"), (_leader(),)).outcome != "answer"
    english = "what did the posol say about prioritety"  # English words outnumber the Russian
    assert MATCHER._decide(english, _scores("prioritety"), (_leader(),)).outcome != "answer"
    # its questions are read as the Cyrillic ones: after a figure, or who holds an office now
    for asking in ("skolko posol prioritety", "kto teper posol prioritety"):
        assert MATCHER._decide(asking, _scores("prioritety"), (_leader(),)).outcome != "answer"



@pytest.mark.parametrize("field", ["in_passing", "fact_missing"])
def test_a_brief_that_cannot_explain_the_questions_focus_is_offered_not_answered(
        field: str) -> None:
    words = [Word("x", "x", False)]
    scores = _Scores(np.zeros(len(BRIEFS)), words, [((0, 100.0),)], {}, [0.5])
    able = Match(BRIEFS[0], 5.0, explained=1.0, keyed=1.0)
    assert MATCHER._decide("q", scores, (able,)).outcome == "answer"
    unable = Match(BRIEFS[0], 5.0, explained=1.0, keyed=1.0, **{field: True})
    result = MATCHER._decide("q", scores, (unable,))
    assert result.outcome == "suggest" and result.suggestions == (unable,)
    own = Match(BRIEFS[0], 5.0, explained=1.0, keyed=1.0, cue="example", **{field: True})
    assert MATCHER._decide("q", scores, (own,)).outcome == "answer"  # its own example


def _fixture_matcher() -> Matcher:
    from bot.briefs import load_briefs
    from bot.topic import read_topic
    from tests.conftest import FIXTURE_BRIEFS
    return Matcher(load_briefs(FIXTURE_BRIEFS).briefs, topic=read_topic(FIXTURE_BRIEFS)[0])


def test_a_life_fact_of_a_person_a_brief_names_is_not_answered_with_it() -> None:
    matcher = _fixture_matcher()
    named = matcher.match("Mukhtar Tileuberdi")
    assert named.outcome == "answer"  # the brief is about his meeting
    aged = matcher.match("how old is mukhtar tileuberdi")
    assert aged.outcome != "answer"
    assert any(m.fact_missing for m in aged.ranked)


def _extra_brief(bid: str, keywords: tuple[str, ...], text: str) -> Brief:
    return Brief(bid, f"Title {bid}", dt.date(2023, 1, 1), (), keywords, text, text,
                 (Source("t", "p", "https://x.org", "2023-01-01"),))


def test_a_word_the_leader_lacks_is_forgiven_whether_or_not_another_brief_has_it() -> None:
    from bot.briefs import load_briefs
    from bot.topic import read_topic
    from tests.conftest import FIXTURE_BRIEFS
    briefs, topic = load_briefs(FIXTURE_BRIEFS).briefs, read_topic(FIXTURE_BRIEFS)[0]
    question = "What did Mukhtar Tileuberdi and Antony Blinken sign?"
    alone = Matcher(briefs, topic=topic).match(question)
    assert alone.unknown == ("sign",) and alone.outcome == "answer"
    prose = _extra_brief("prose", ("treaty",), "Leaders sign a treaty.")  # in its text only
    beside = Matcher((*briefs, prose), topic=topic).match(question)
    assert beside.unknown == () and beside.ranked[0].missing == ("sign",)
    assert beside.outcome == "answer"
    assert beside.best is not None and alone.best is not None
    assert beside.best.brief.id == alone.best.brief.id
    keyed = _extra_brief("keyed", ("sign", "treaty"), "Leaders sign a treaty.")
    choice = Matcher((*briefs, keyed), topic=topic).match(question)  # another brief's keyword
    assert choice.outcome == "suggest"


@pytest.mark.parametrize(("text", "one_name"), [
    ("What is the hometown of Mukhtar Tileuberdi?", True),
    ("Mukhtar Tileuberdi hometown", True),
    ("Tileuberdi and Blinken hometown", False),  # two names: "and" stands between
    ("What did Mukhtar Tileuberdi and Antony Blinken sign?", False),
])
def test_a_brief_that_explains_one_name_of_the_question_and_not_the_rest(
        text: str, one_name: bool) -> None:
    result = _fixture_matcher().match(text)
    assert result.ranked[0].one_name is one_name
    if one_name:
        assert result.outcome != "answer"


def test_a_common_word_is_not_forgiven_to_a_brief_that_explains_only_one_name() -> None:
    assert MATCHER._decide("q", _scores("tuition"), (_leader(keyed=1.0),)).outcome == "answer"
    named = _leader(keyed=1.0, one_name=True)
    assert MATCHER._decide("q", _scores("tuition"), (named,)).outcome != "answer"


@pytest.mark.parametrize(("text", "soft"), [
    ("i was wondering about the tariffs", {"wondering"}),
    ("i am curious about the tariffs", {"curious"}),
    ("27 percent tariff", {"percent"}), ("пошлина 27 процентов", {"процентов"}),
    ("25 пайыздық баж", {"пайыздық"}),
    ("пошлины и новой системе", {"новой"}),  # a form of a listed soft word («новое»)
])
def test_words_that_only_ask_or_name_the_percent_sign_are_soft(text: str,
                                                                soft: set[str]) -> None:
    words = analyze(text).words
    assert {w.word for w in words if w.soft} >= soft
    assert all(not w.soft for w in words if w.word == "tariff")


@pytest.mark.parametrize(("text", "normal"), [
    ("Who co-chaired it", "who cochaired it"), ("Co-operation", "cooperation"),
    ("post-Soviet states", "soviet states"), ("non-immigrant visa", "non immigrant visa"),
    ("a no-fly zone", "a no fly zone"), ("US-led talks", "us led talks"),
    ("eu-funded", "eu funded"), ("CO-OP", "co op"),
])
def test_a_prefix_written_with_a_hyphen_is_not_a_word_of_its_own(text: str,
                                                                 normal: str) -> None:
    assert normalize(text) == normal


def test_a_joined_prefix_still_meets_the_word_after_it() -> None:
    chair = Brief("chair", "Dialogue chairs", dt.date(2023, 1, 1), (), ("chaired",), "S",
                  "body", (Source("t", "p", "https://x.org", "2023-01-01"),))
    assert Matcher((chair, *BRIEFS)).match("who co-chaired").ranked[0].brief.id == "chair"


@pytest.mark.parametrize(("typed", "keyword", "typo"), [
    ("ranking", "making", False), ("reforms", "returns", False), ("станции", "санкции", False),
    ("organisations", "organizations", True), ("defence", "defense", True),
    ("investmnet", "investment", True), ("санкцыи", "санкции", True),  # no dictionary word
])
def test_a_dictionary_word_is_no_typo_of_one_that_starts_otherwise(typed: str, keyword: str,
                                                                   typo: bool) -> None:
    brief = Brief("kw", "Title kw", dt.date(2023, 1, 1), (), (keyword,), "S", "body",
                  (Source("t", "p", "https://x.org", "2023-01-01"),))
    ranked = Matcher((brief, *BRIEFS)).match(typed).ranked
    assert bool(ranked and ranked[0].brief.id == "kw") is typo


def test_a_brief_keyed_on_a_word_leads_one_that_only_has_it_as_a_tag() -> None:
    keyed = Brief("keyed", "Partnership", dt.date(2023, 1, 1), (), ("energy",), "S", "body",
                  (Source("t", "p", "https://x.org", "2023-01-01"),))
    tagged = Brief("tagged", "An oil field", dt.date(2023, 1, 1), ("energy",), ("field",),
                   "S", "body", (Source("t", "p", "https://y.org", "2023-01-01"),))
    ranked = Matcher((tagged, keyed, *BRIEFS)).match("energy").ranked
    assert [m.brief.id for m in ranked[:2]] == ["keyed", "tagged"]
    assert ranked[0].score > ranked[1].score > 0 and ranked[1].keyed == 1.0  # still keyed


# a brief keyed on "green card" (a multiword keyword) and "immigrant visa"
VISAS = Brief("visas", "Immigrant visas paused", dt.date(2026, 1, 1), (),
              ("green card", "immigrant visa"), "A pause on green cards.", "body",
              (Source("t", "p", "https://x.org", "2026-01-01"),))


def test_a_word_of_a_multiword_keyword_asked_alone_is_another_sense() -> None:
    matcher = Matcher((VISAS, *BRIEFS))
    alone = matcher.match("how long to get a new card")
    assert alone.ranked[0].keyed == 0.0 and alone.outcome != "answer"
    whole = matcher.match("green card")
    assert whole.ranked[0].keyed == 1.0 and whole.outcome == "answer"
    beside = matcher.match("card for an immigrant")  # other keyword evidence: counted in full
    assert beside.ranked[0].keyed == 1.0


def test_a_fragment_asked_alone_beside_a_keyword_of_its_own_is_no_evidence() -> None:
    """It still scores ("visa" leads), but "my visa card" is not two of the brief's words:
    a question about the reader's own affairs needs two."""
    visas = Brief("visas", "Immigrant visas paused", dt.date(2026, 1, 1), (),
                  ("green card", "visa"), "A pause on green cards.", "body",
                  (Source("t", "p", "https://x.org", "2026-01-01"),))
    matcher = Matcher((visas, *BRIEFS))
    mine = matcher.match("my visa card was stolen")
    assert mine.ranked[0].brief.id == "visas" and mine.ranked[0].keyed_words == ("visa", "card")
    assert mine.ranked[0].specifics == 1 and mine.outcome != "answer"
    assert matcher.match("green card visa").ranked[0].specifics == 3


@pytest.mark.parametrize(("word", "soft"), [
    ("новой", True), ("новых", True), ("ситуацию", True),  # forms of listed soft words
    ("системе", False), ("санкций", False), ("лет", False),  # «сколько лет»: an age
    ("new", False), ("жаңа", False),  # English and Kazakh words are the lists' own business
])
def test_a_russian_form_of_a_soft_word_is_soft(word: str, soft: bool) -> None:
    assert soft_by_lemma(word) is soft


@pytest.mark.parametrize("text", ["I was wondering about Kazakhstan", "Kazakhstan",
                                  "i am curious about kazakhstan"])
def test_a_formula_that_only_asks_about_the_subject_gets_the_overview(text: str) -> None:
    assert _fixture_matcher().match(text).intent == "subject"


def test_a_fragment_another_brief_keys_on_as_a_word_of_its_own_counts_in_full() -> None:
    cards = Brief("cards", "Payment cards", dt.date(2026, 1, 1), (), ("card",), "S", "body",
                  (Source("t", "p", "https://y.org", "2026-01-01"),))
    alone = Matcher((VISAS, *BRIEFS)).match("new card").ranked
    assert [m.keyed for m in alone if m.brief.id == "visas"] == [0.0]
    beside = Matcher((VISAS, cards, *BRIEFS)).match("new card").ranked
    assert [m.keyed for m in beside if m.brief.id == "visas"] == [1.0]  # "card" is a word


def test_a_word_another_brief_has_only_inside_its_own_multiword_keyword_is_no_word_of_its_own(
        ) -> None:
    games = Brief("games", "Games", dt.date(2026, 1, 1), (), ("card game", "poker"), "S",
                  "body", (Source("t", "p", "https://y.org", "2026-01-01"),))
    matcher = Matcher((VISAS, games, *BRIEFS))
    for candidates in (0, 50):  # the chat and inline mode read it alike
        ranked = matcher.match("new card poker", candidates).ranked
        assert [m.keyed for m in ranked if m.brief.id == "visas"] == [0.0]


def test_ranking_a_question_twice_gives_the_same_ranking() -> None:
    matcher = Matcher((VISAS, *BRIEFS))
    scores = matcher.score("new card")
    first = [(m.brief.id, m.score, m.keyed) for m in matcher._ranked(scores, 3)]
    assert first == [(m.brief.id, m.score, m.keyed) for m in matcher._ranked(scores, 3)]
    assert first[0][2] == 0.0  # the fragment counted as text both times
