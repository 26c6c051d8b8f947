"""Matcher behaviour and accuracy on the labelled question set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.briefs import Brief, Source, load_briefs
from bot.evaluation import evaluate, read_split
from bot.matching import Matcher, Thresholds, closest_ids, max_edits, token_cutoff
from bot.text import content_tokens, is_greeting, kazakh_stem, normalize, skeleton, stems
from bot.topic import read_topic
from tests.conftest import FIXTURE_BRIEFS

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = yaml.safe_load((ROOT / "tests" / "data" / "dev" / "questions.yaml").read_text("utf-8"))
DEV = read_split(ROOT / "tests" / "data" / "dev")
TEST = read_split(ROOT / "tests" / "data" / "test")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_briefs(FIXTURE_BRIEFS).briefs, topic=read_topic(FIXTURE_BRIEFS)[0])


def test_normalize_and_skeleton() -> None:
    assert normalize("Tokayev's  REFORMS — Ёлка!") == "tokayev reforms елка"
    assert skeleton("ОДКБ".casefold()) == "odkb"
    assert skeleton("тоқаев") == "toqaev"
    assert content_tokens("What did Blinken say about the CSTO?") == ["blinken", "csto"]


def test_greetings() -> None:
    assert is_greeting("Hi!") and is_greeting("сәлем") and is_greeting("thanks a lot")
    assert not is_greeting("hi, what is the CSTO")
    assert not is_greeting("")


def test_short_tokens_need_exact_match() -> None:
    assert token_cutoff(3) > 100
    assert token_cutoff(5) == 80 and token_cutoff(9) == 75
    assert max_edits(5) == 1 and max_edits(9) == 2


@pytest.mark.parametrize(("word", "stem"), [
    ("тоқаевтың", "тоқаев"), ("қазақстанға", "қазақстан"), ("қазақстанның", "қазақстан"),
    ("астанадағы", "астана"), ("реформалары", "реформа"), ("санкциялардың", "санкция"),
    ("ресейден", "ресей"), ("америкамен", "америка"), ("украинаға", "украина"),
])
def test_kazakh_endings(word: str, stem: str) -> None:
    assert kazakh_stem(word) == stem


@pytest.mark.parametrize(("a", "b"), [
    ("sanctions", "sanction"), ("invested", "investing"), ("санкциях", "санкции"),
    ("реформы", "реформалары"), ("тоқаевтың", "тоқаев"), ("reforms", "реформы"),
])
def test_inflected_forms_share_a_stem(a: str, b: str) -> None:
    assert stems(a) & stems(b)


@pytest.mark.parametrize(("a", "b"), [("visitors", "visit"), ("reaffirms", "reforms"),
                                      ("gaza", "газ"), ("secret", "secretary")])
def test_different_words_share_no_stem(a: str, b: str) -> None:
    assert not stems(a) & stems(b)


@pytest.mark.parametrize(
    ("text", "brief_id"),
    [("CSTO", "csto-sco"), ("ODKB", "csto-sco"), ("ҰҚШҰ", "csto-sco"),
     ("sanktions", "sanctions-spillover"), ("санкцыи", "sanctions-spillover"),
     ("Тоқаевтың реформалары", "tokayev-reforms"), ("blinkin astana", "visit-2023-astana")],
)
def test_typos_and_scripts(matcher: Matcher, text: str, brief_id: str) -> None:
    result = matcher.match(text)
    assert result.outcome == "answer"
    assert result.best is not None and result.best.brief.id == brief_id


@pytest.mark.parametrize("text", ["kazakhstan", "Казахстан", "hi", "🙂", "", "   ", "?!", "a",
                                  "what is the weather in kazakhstan", "us"])
def test_common_words_and_chatter_answer_nothing(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).outcome == "none"


@pytest.mark.parametrize("text", [
    "Blinken trip to India", "sanctions on Iran", "Tokayev's wife", "Tokayev hobbies",
    "humanitarian aid to Gaza", "energy prices in Europe next winter", "Samarkand travel guide",
    "Блинкен визит в Индию", "санкции против Ирана", "Тоқаевтың әйелі",
    "Blinken visit to China", "sanctions on Turkey", "Визит Лаврова в Астану",
    "SCO summit 2024 outcomes", "How many tonnes of aid did Kazakhstan send to Ukraine?",
])
def test_a_word_no_brief_covers_rules_out_an_answer(matcher: Matcher, text: str) -> None:
    """One domain word plus one that no brief has is not a question about the brief."""
    result = matcher.match(text)
    assert result.outcome != "answer", result
    assert result.unknown


@pytest.mark.parametrize(("text", "brief_id"), [
    ("Washington pledges to cushion Kazakhstan from the sanctions fallout", "sanctions-spillover"),
    ("How big is the bilateral trade volume?", "trade-investment"),
    ("Kazakhstan's importance for Europe's energy supply", "energy-partnership"),
])
def test_a_common_word_no_brief_has_is_a_paraphrase(matcher: Matcher, text: str,
                                                    brief_id: str) -> None:
    """A dictionary word no brief has ("cushion") does not stop a brief that leads clearly."""
    result = matcher.match(text)
    assert result.outcome == "answer" and result.unknown, result
    assert result.matches[0].brief.id == brief_id


def test_a_word_capitalized_inside_a_sentence_is_a_name(matcher: Matcher) -> None:
    """The same word typed as a name is not forgiven: "… to Cushion …" may be a person."""
    text = "Washington pledges to cushion Kazakhstan from the sanctions fallout"
    assert matcher.match(text).outcome == "answer"
    named = matcher.match(text.replace("cushion", "Cushion"))
    assert named.outcome != "answer" and named.unknown == ("cushion",)


@pytest.mark.parametrize("text", [
    "Who is the current foreign minister of Kazakhstan?", "Who replaced Tileuberdi?",
    "Кто сейчас возглавляет ОДКБ?", "Кто стал госсекретарём после Блинкена?",
    "Тілеуберді орнына кім келді?",
])
def test_who_holds_an_office_now_or_next_is_not_answered(matcher: Matcher, text: str) -> None:
    """Briefs are dated: the holder of an office now or after them is not in any of them."""
    assert matcher.match(text).outcome != "answer"


def test_who_did_what_in_a_brief_is_answered(matcher: Matcher) -> None:
    result = matcher.match("Who did Blinken meet in Washington in May 2022?")
    assert result.outcome == "answer"
    assert result.matches[0].brief.id == "meeting-2022-washington"


def _with_fillers(*briefs: Brief) -> Matcher:
    """A matcher over these briefs plus four unrelated ones (IDF needs a few briefs)."""
    fillers = [_brief(f"filler-{w}", (w,)) for w in ("grain", "cotton", "copper", "wool")]
    return Matcher([*briefs, *fillers])


def test_a_latin_word_does_not_fuzzy_match_a_cyrillic_keyword() -> None:
    m = _with_fillers(_brief("gas", ("газ", "natural gas")))
    assert m.match("газ").outcome == "answer"
    assert m.match("gaza").outcome == "none"
    assert m.match("gaza").unknown == ("gaza",)


def test_a_country_name_is_no_russian_word_typed_in_latin_letters() -> None:
    # "brazil" is two edits from the skeleton of «выразил» ("expressed"): no typo of it
    m = _with_fillers(_brief("talks", ("talks", "переговоры"),
                             body="Министр выразил поддержку."))
    assert m.match("talks in brazil").unknown == ("brazil",)
    assert m.match("talks in brazil").outcome != "answer"
    # a word that is no name still meets its Russian word typed in Latin letters
    assert m.match("peregovory").outcome == "answer"


def test_an_english_word_spelled_right_is_no_typo_of_a_cyrillic_word() -> None:
    # "holiday" is two edits from the skeleton of «қолдай» ("supporting"): another word
    m = _with_fillers(_brief("support", ("support", "қолдау"),
                             body="АҚШ Қазақстанды қолдай береді."))
    assert m.match("next holiday").unknown == ("holiday",)
    # a Russian word typed in Latin letters, no English word, still meets it
    m = _with_fillers(_brief("sanctions", ("sanctions", "санкции")))
    assert m.match("sanktsii").outcome == "answer"


@pytest.mark.parametrize(("text", "not_this"), [("visitors", "visit"), ("reaffirms", "reforms")])
def test_a_stem_match_is_a_stem_match(matcher: Matcher, text: str, not_this: str) -> None:
    result = matcher.match(text)
    assert result.outcome == "none"
    assert all(not_this not in m.terms for m in result.ranked)


@pytest.mark.parametrize(("text", "brief_id"), [
    ("Сколько американские компании инвестировали в Казахстан?", "trade-investment"),
    ("Почему санкции против России бьют по Казахстану?", "sanctions-spillover"),
    ("Қазақстан ҰҚШҰ-ға мүше ме?", "csto-sco"),
    ("Тоқаевтың реформаларын АҚШ қолдай ма?", "tokayev-reforms"),
    ("Блинкеннің Қазақстанға сапары қашан болды?", "visit-2023-astana"),
    ("АКШ пен Казакстан арасындагы карым-катынас тарихы", "relations-history"),  # no қ, ғ
    ("Зачем глава МИД Казахстана летал в Вашингтон в 2022 году?", "meeting-2022-washington"),
])
def test_full_russian_and_kazakh_sentences(matcher: Matcher, text: str, brief_id: str) -> None:
    result = matcher.match(text)
    assert result.outcome == "answer", result
    assert result.best is not None and result.best.brief.id == brief_id


@pytest.mark.parametrize("text", ["Kazakhstan", "kazakhstan", "US–Kazakhstan relations",
                                  "США и Казахстан", "АҚШ пен Қазақстан", "united states", "US"])
def test_the_subject_itself_gets_the_overview(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert (result.outcome, result.intent) == ("none", "subject")


@pytest.mark.parametrize(("text", "brief_id"), [
    ("How did Washington help Kazakhstan get rid of its Soviet-era nukes?", "relations-history"),
    ("What were early US-Kazakh ties mostly about?", "relations-history"),
    ("Are Kazakh-Russian relations getting frostier since 2022?", "russia-kazakhstan"),
])
def test_common_paraphrases_meet_the_briefs_words(matcher: Matcher, text: str,
                                                  brief_id: str) -> None:
    """Nukes, Soviet-era, ties, frostier: words no brief uses for what a brief says."""
    result = matcher.match(text)
    assert result.outcome == "answer" and result.unknown == (), result
    assert result.best is not None and result.best.brief.id == brief_id


@pytest.mark.parametrize("text", ["thanks", "Thank you!", "спасибо", "рақмет", "thanks a lot"])
def test_thanks_is_not_a_greeting(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).intent == "thanks"


def test_a_greeting_word_inside_a_question_is_content(matcher: Matcher) -> None:
    result = matcher.match("What did Blinken thank Kazakhstan for?")
    assert result.outcome == "answer"
    assert result.best is not None
    assert result.best.brief.id in ("meeting-2022-washington", "ukraine-war-response")
    assert "thank" in result.best.terms or "thanked" in result.best.terms


def test_the_brief_that_explains_the_question_is_answered_over_a_close_runner_up() -> None:
    """A runner-up that shares one neighbouring word ties the margin but cannot explain the
    question: answer the brief that can, instead of asking."""
    a = _brief("a", ("tungsten exports",), "Tungsten exports rose.")
    b = _brief("b", ("tungsten", "mining"), "Tungsten mining.")
    fillers = [_brief(f"filler-{w}", (w,)) for w in ("grain", "cotton", "copper", "wool")]
    m = Matcher([a, b, *fillers], Thresholds(margin=0.9))  # b is "close" by this margin
    result = m.match("tungsten exports")
    ranked = {x.brief.id: x for x in result.ranked}
    assert ranked["b"].explained < 1.0 <= ranked["a"].explained
    assert (ranked["a"].score - ranked["b"].score) / ranked["a"].score < m.thresholds.margin
    assert result.outcome == "answer" and result.best is not None and result.best.brief.id == "a"


def test_example_questions_feed_the_index() -> None:
    plain = _brief("dam", ("hydropower",))
    with_examples = _brief("dam", ("hydropower",), examples=("Who is building the Koksaray dam?",))
    assert _with_fillers(plain).match("koksaray dam").outcome != "answer"
    result = _with_fillers(with_examples).match("koksaray dam")
    assert result.outcome == "answer" and result.best is not None
    assert result.best.brief.id == "dam"


def test_word_order_does_not_matter(matcher: Matcher) -> None:
    a = matcher.match("tokayev reforms political")
    b = matcher.match("political reforms tokayev")
    assert a.best is not None and b.best is not None
    assert a.best.brief.id == b.best.brief.id == "tokayev-reforms"


def test_suggest_when_two_briefs_fit(matcher: Matcher) -> None:
    result = matcher.match("sanctions ukraine")
    assert result.outcome == "suggest"
    assert {m.brief.id for m in result.suggestions} >= {"sanctions-spillover",
                                                        "ukraine-war-response"}
    assert result.matches == ()


def test_empty_matcher() -> None:
    assert Matcher([]).match("csto").outcome == "none"


def test_long_and_hostile_input(matcher: Matcher) -> None:
    assert matcher.match("<script>alert(1)</script> " * 500).outcome == "none"
    result = matcher.match("sanctions " + "x" * 5000)
    assert result.outcome in ("answer", "suggest")


def test_closest_ids() -> None:
    ids = ["tokayev-reforms", "csto-sco", "trade-investment"]
    assert closest_ids("tokayev", ids)[0] == "tokayev-reforms"
    assert closest_ids("zzzzzzzzzzzz", ids) == []


def test_labelled_set_is_large_and_mixed() -> None:
    assert len(QUESTIONS) >= 100
    off = [q for q in QUESTIONS if q["expect"] == "none"]
    assert len(off) >= 30


def test_accuracy_on_the_dev_split(matcher: Matcher) -> None:
    """The split we tune on (1,522 questions, six of its seven files written blind): a
    regression guard just under today's figures; every miss is listed on failure."""
    known = {b.id for b in matcher.briefs}
    assert all(q.accepted <= known for q in DEV if q.on_topic)
    f = evaluate(matcher, DEV)
    assert f.rate("answered_right") >= 0.87, f.misses
    assert f.rate("right_offered") >= 0.975, f.misses
    assert f.rate("answered_wrong") <= 0.01, f.misses
    assert f.rate("off_answered") <= 0.015, f.misses


def test_the_test_split_is_held_out_and_mixed() -> None:
    """Written blind (articles and brief titles only); read by this test, never while tuning."""
    assert len(TEST) >= 150
    assert sum(not q.on_topic for q in TEST) >= len(TEST) / 4
    cyrillic = [q for q in TEST if any("\u0400" <= ch <= "\u04ff" for ch in q.text)]
    assert len(cyrillic) >= len(TEST) / 5


def test_array_and_plain_scoring_agree(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small candidate sets are scored in plain Python, large ones with numpy: same ranking."""
    import bot.matching.rank as matching

    questions = [q.text for q in DEV]
    plain = [matcher.rank(q) for q in questions]
    monkeypatch.setattr(matching, "SMALL_SCORING", -1)
    matcher.clear_word_cache()
    arrays = [matcher.rank(q) for q in questions]
    assert sum(1 for r in plain if r) > 100  # most questions rank something
    for a, b in zip(plain, arrays, strict=True):
        assert [(m.brief.id, m.terms) for m in a] == [(m.brief.id, m.terms) for m in b]
        assert [m.score for m in a] == pytest.approx([m.score for m in b], abs=1e-3)


def test_remembered_words_do_not_change_answers(matcher: Matcher) -> None:
    questions = [q.text for q in DEV]
    matcher.clear_word_cache()
    first = [matcher.match(q) for q in questions]
    again = [matcher.match(q) for q in questions]  # every word now comes from the cache
    assert first == again


def _brief(brief_id: str, keywords: tuple[str, ...], body: str = "Some body text.",
           examples: tuple[str, ...] = ()) -> Brief:
    return Brief(id=brief_id, title=f"Brief {brief_id}", date=dt.date(2023, 1, 1), tags=(),
                 keywords=keywords, summary="A summary.", body=body,
                 sources=(Source("Headline", "Publisher", f"https://example.org/{brief_id}",
                                 "2023-01-01"),), examples=examples)


def test_words_of_removed_briefs_do_not_shadow_live_ones() -> None:
    """Word ids outlive briefs (the vocabulary only grows); a snapshot must match only the
    words its own briefs use."""
    before = Matcher([_brief("x", ("zirconium exports",)), _brief("y", ("grain",))])
    assert before.match("zirconium").closest.brief.id == "x"  # type: ignore[union-attr]
    # "zirconia" only in a body: the dead exact "zirconium" would outrank it and hide it
    after = Matcher([_brief("y", ("grain",)), _brief("z", ("minerals",), "Zirconia sands.")])
    assert after.match("zirconium").closest.brief.id == "z"  # type: ignore[union-attr]
    assert after.vocabulary_size < before.vocabulary_size + 2


@pytest.mark.parametrize("text", ["Blinken", "блинкен", "Блинкен", "blinkin"])
def test_a_name_every_brief_mentions_offers_the_briefs_about_it(matcher: Matcher,
                                                                text: str) -> None:
    """"Blinken" is in 10 of 11 briefs (so it is damped) but two are about him."""
    result = matcher.match(text)
    assert result.outcome == "suggest"
    assert {m.brief.id for m in result.suggestions} == {"meeting-2022-washington",
                                                        "visit-2023-astana"}


@pytest.mark.parametrize("text", ["Blinken Kazakhstan", "has blinken ever been to kazakhstan"])
def test_blinken_and_the_subject_offers_the_briefs_about_him(matcher: Matcher,
                                                             text: str) -> None:
    result = matcher.match(text)
    assert result.outcome == "suggest"
    assert {m.brief.id for m in result.suggestions} == {"meeting-2022-washington",
                                                        "visit-2023-astana"}


def test_a_question_longer_than_the_word_cache_is_matched(matcher: Matcher) -> None:
    """More distinct words than the per-word cache holds: none of them may be evicted before
    it is read (this raised KeyError), and only Telegram's 4,096 characters are analysed."""
    import random

    import bot.matching.lookup as matching

    rnd = random.Random(1)
    def noise(n: int) -> str:
        return " ".join("".join(rnd.choice("абвгдеқңәabcdefgh") for _ in range(6))
                        for _ in range(n))
    cached = noise(300)
    matcher.match(cached)  # these words are now remembered
    text = f"csto {cached} {noise(40_000)}"  # ... and come back with far more new ones
    result = matcher.match(text)
    assert result.query == text  # reported whole
    assert result.outcome in ("none", "suggest")
    small = Matcher(matcher.briefs)
    original = matching.TOKEN_CACHE_SIZE
    try:
        matching.TOKEN_CACHE_SIZE = 50
        seen = noise(40)
        small.match(seen)
        assert small.match(f"is kazakhstan in the CSTO? {seen} {noise(200)}").outcome \
            != "answer"
        assert small.match("is kazakhstan in the CSTO?").best is not None
    finally:
        matching.TOKEN_CACHE_SIZE = original
