"""Matching's decision at its boundaries: answer, did-you-mean or none, for given rankings.

The ranking is made up here (scores and shares at each threshold exactly), so a threshold that
moves, a comparison that flips or a rule that goes is caught without hunting for questions
that happen to land on it; tests/test_matching.py measures the whole matcher on real ones.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.briefs import load_briefs
from bot.matching import Match, Matcher, MatchResult, Thresholds, Word, _Scores
from bot.topic import read_topic
from tests.conftest import FIXTURE_BRIEFS
from tests.test_alerts import _brief

T = Thresholds()
BRIEFS = tuple(_brief(b) for b in ("a", "b", "c"))
MATCHER = Matcher(BRIEFS)


WORDS = {"specific": ("csto",), "unknown": ("india",), "soft": ("what",),
         "common": ("cushion",), "two common": ("cushion", "drive")}


def scores(kind: str) -> _Scores:
    """A question of one specific word briefs have, a name no brief has, one soft word, or
    one or two common words no brief has."""
    words = [Word(w, w, kind == "soft") for w in WORDS[kind]]
    found = [() if kind != "specific" else ((0, 100.0),) for _ in words]
    return _Scores(np.zeros(len(BRIEFS)), words, found, {},
                   [0.0 if kind == "soft" else 0.5 for _ in words])


def match(brief: int, score: float, explained: float = 1.0, keyed: float = 1.0,
          cue: str = "") -> Match:
    return Match(BRIEFS[brief], score, explained=explained, keyed=keyed, cue=cue)


def decide(kind: str, *ranked: Match) -> MatchResult:
    """The decision, checked to carry the question, its ranking and closest brief whatever
    the outcome (the editors' report and inline mode read them)."""
    result = MATCHER._decide("q", scores(kind), ranked)
    assert result.query == "q" and result.ranked == ranked
    assert result.closest is (ranked[0] if ranked else None)
    assert result.unknown == (() if kind in ("specific", "soft") else WORDS[kind])
    # soft words alone ("подробнее") below an answer ask what about (vague), offering nothing
    assert result.intent == ("vague" if kind == "soft" and result.outcome == "none"
                             else "question")
    return result


def test_an_answer_needs_each_threshold_reached_exactly_or_more() -> None:
    edge = match(0, T.answer, T.answer_share, T.strong_share)
    assert decide("specific", edge).outcome == "answer"
    for below in (match(0, T.answer - 0.01, T.answer_share, T.strong_share),
                  match(0, T.answer, T.answer_share - 0.01, T.strong_share),
                  match(0, T.answer, T.answer_share, T.strong_share - 0.01)):
        assert decide("specific", below).outcome != "answer"


def test_a_close_rival_turns_an_answer_into_a_did_you_mean() -> None:
    best = match(0, 2.0)  # a rival must itself be able to answer, and within the margin
    assert decide("specific", best, match(1, 2.0 * (1 - T.margin))).outcome == "answer"
    rival = decide("specific", best, match(1, 2.0 * (1 - T.margin) + 0.01))
    assert rival.outcome == "suggest" and rival.matches == ()
    higher = decide("specific", match(1, 2.2, explained=0.1), best)  # a better-scored other
    assert higher.outcome == "suggest"
    level = decide("specific", best, match(1, 2.0, explained=0.1))  # as good, but unable
    assert level.outcome == "answer" and level.matches == (best,)


def test_a_word_no_brief_has_rules_out_an_answer() -> None:
    result = decide("unknown", match(0, 5.0))
    assert result.outcome != "answer" and result.unknown == ("india",)


LEAD = T.lead_answer * T.answer  # the score of a clear lead


@pytest.mark.parametrize(("best", "runner_up", "keyed", "answered"), [
    (T.common_answer, T.common_answer * T.lead, T.common_keyed, True),  # each at its edge
    (T.common_answer - 0.01, None, 1.0, False),
    (T.common_answer, T.common_answer * T.lead + 0.01, 1.0, False),
    (T.common_answer, None, T.common_keyed - 0.01, False),
])
def test_a_common_word_no_brief_has_answers_only_a_clear_leader(
        best: float, runner_up: float | None, keyed: float, answered: bool) -> None:
    """"cushion the fallout": a paraphrase, forgiven when one brief leads clearly."""
    ranked = [match(0, best, explained=keyed, keyed=keyed)]
    if runner_up is not None:
        ranked.append(match(1, runner_up))
    assert (decide("common", *ranked).outcome == "answer") is answered


def test_a_name_or_two_common_words_no_brief_has_are_never_forgiven() -> None:
    for kind in ("unknown", "two common"):
        assert decide(kind, match(0, 9.0)).outcome != "answer"


@pytest.mark.parametrize("text", ["How many did it cushion?", "how much cushion",
                                  "Сколько cushion", "қанша cushion", "неше cushion"])
def test_a_question_after_a_figure_is_never_forgiven_a_word_no_brief_has(text: str) -> None:
    assert MATCHER._decide(text, scores("common"), (match(0, 9.0),)).outcome != "answer"
    assert MATCHER._decide("cushion", scores("common"), (match(0, 9.0),)).outcome == "answer"


@pytest.mark.parametrize(("best", "runner_up", "outcome"), [
    (LEAD, LEAD * T.lead, "answer"),  # the lead score, the runner-up at `lead` of it
    (LEAD - 0.01, None, "none"),
    (LEAD, LEAD * T.lead + 0.01, "none"),
    (LEAD, None, "answer"),  # no runner-up at all
])
def test_soft_words_answer_only_a_brief_far_above_the_rest(
        best: float, runner_up: float | None, outcome: str) -> None:
    ranked = [match(0, best)] + ([match(1, runner_up, keyed=0.0)] if runner_up else [])
    assert decide("soft", *ranked).outcome == outcome


def test_no_runner_up_is_a_lead_whatever_the_lead_share() -> None:
    strict = Thresholds(lead=0.5)  # a runner-up scoring 1.0 would not be under half of 1.7
    matcher = Matcher(BRIEFS, strict)
    ranked = (match(0, strict.lead_answer * strict.answer),)
    assert matcher._decide("q", scores("soft"), ranked).outcome == "answer"


@pytest.mark.parametrize(("best", "runner_up", "outcome"), [
    (LEAD, LEAD * T.lead, "answer"),
    (LEAD - 0.01, None, "suggest"),
    (LEAD, LEAD * T.lead + 0.01, "suggest"),
])
def test_body_text_answers_only_a_brief_far_above_the_rest(
        best: float, runner_up: float | None, outcome: str) -> None:
    """Every word explained, but by body text (keyed 0): only a clear lead answers."""
    ranked = [match(0, best, keyed=0.0)] + (
        [match(1, runner_up, explained=0.5, keyed=0.5)] if runner_up else [])
    assert decide("specific", *ranked).outcome == outcome
    unexplained = decide("specific", match(0, LEAD, explained=T.answer_share - 0.01, keyed=0.0))
    assert unexplained.outcome != "answer"  # a lead never stands in for explaining


def test_soft_words_answer_a_brief_whose_example_they_are() -> None:
    assert decide("soft", match(0, 1.0, cue="example")).outcome == "answer"
    assert decide("soft", match(0, 1.0)).outcome == "none"


def test_none_keeps_the_ranking_it_decided_on() -> None:
    ranked = (match(0, T.suggest - 0.01, explained=0.1, keyed=0.0),)
    result = decide("specific", *ranked)
    assert result.outcome == "none"
    assert result.ranked == ranked and result.closest == ranked[0]


def test_a_did_you_mean_offers_keyed_briefs_within_half_the_best() -> None:
    ranked = (match(0, 2.0, explained=0.5, keyed=0.5), match(1, 1.0, explained=0.5, keyed=0.5),
              match(2, 0.99, explained=0.5, keyed=0.5))
    result = decide("specific", *ranked)
    assert result.outcome == "suggest"
    assert [m.brief.id for m in result.suggestions] == ["a", "b"]


def test_body_text_alone_offers_only_a_brief_with_every_word() -> None:
    ranked = (match(0, 2.0, explained=0.5, keyed=0.5), match(1, 1.5, explained=0.5, keyed=0.0),
              match(2, 1.2, explained=1.0, keyed=0.0))
    assert [m.brief.id for m in decide("specific", *ranked).suggestions] == ["a", "c"]


def test_a_did_you_mean_needs_the_suggest_thresholds_exactly_or_more() -> None:
    edge = match(0, T.suggest, explained=T.suggest_share, keyed=0.5)
    assert decide("specific", edge).outcome == "suggest"
    assert decide("specific", match(0, T.suggest - 0.01, T.suggest_share, 0.5)).outcome == "none"
    assert decide("specific", match(0, T.suggest, T.suggest_share - 0.01, 0.5)).outcome == "none"


def test_a_name_every_brief_mentions_suggests_the_few_about_it() -> None:
    shipped = Matcher(load_briefs(FIXTURE_BRIEFS).briefs, topic=read_topic(FIXTURE_BRIEFS)[0])
    result = shipped.match("blinken?")  # in most briefs; the two visits are about him
    assert result.outcome == "suggest" and result.query == "blinken?"
    assert {m.brief.id for m in result.suggestions} == {"meeting-2022-washington",
                                                         "visit-2023-astana"}
    assert result.ranked and result.closest is result.ranked[0] and result.unknown == ()
    assert result.intent == "question"
    now = shipped.match("who is blinken now?")  # the same briefs, and the office reply
    assert now.outcome == "suggest" and now.intent == "office"
    assert {m.brief.id for m in now.suggestions} == {"meeting-2022-washington",
                                                      "visit-2023-astana"}


@pytest.mark.parametrize("text", ["Who is the current head?", "who replaced him",
                                  "Кто сейчас министр?", "Кто стал министром?", "қазір кім?"])
def test_who_holds_an_office_now_is_never_answered(text: str) -> None:
    result = MATCHER._decide(text, scores("specific"), (match(0, 9.0),))
    assert result.outcome == "suggest" and result.intent == "office"
    assert MATCHER._decide("who met him", scores("specific"), (match(0, 9.0),)).outcome == "answer"
    alone = MATCHER._decide(text, scores("specific"), (match(0, 0.1),))  # nothing close
    assert alone.outcome == "none" and alone.intent == "office"


def test_a_clear_leader_with_enough_evidence_answers_though_it_lacks_a_word() -> None:
    """The one credible brief: it leads clearly and its keywords explain `evidence` specific
    words, so a word of the question other briefs mention does not turn it into a did-you-mean
    with a single button."""
    def leader(specifics: int = T.evidence, explained: float = T.evidence_share,
               lacks: tuple[str, ...] = ()) -> Match:
        return Match(BRIEFS[0], LEAD, explained=explained, keyed=explained, lacks=lacks,
                     specifics=specifics)
    far = match(1, LEAD * T.lead, explained=0.5, keyed=0.5)
    result = decide("specific", leader(), far)
    assert result.outcome == "answer" and result.best is not None
    assert result.best.brief is BRIEFS[0]
    for weaker in (leader(specifics=T.evidence - 1), leader(explained=T.evidence_share - 0.01),
                   leader(lacks=("kyrgyzstan",))):
        assert decide("specific", weaker, far).outcome == "suggest"
    near = match(1, LEAD * T.lead + 0.01, explained=0.5, keyed=0.5)  # a real choice
    assert decide("specific", leader(), near).outcome == "suggest"
    assert decide("specific", leader(specifics=T.evidence, explained=0.5)).outcome != "answer"


@pytest.mark.parametrize(("runner_keyed", "outcome"), [
    (0.8 * T.keyed_lead, "answer"),  # the runner-up scores by its body text
    (0.8 * T.keyed_lead + 0.01, "suggest"),  # ... its keywords explain it as well: a choice
])
def test_a_leader_whose_rivals_score_by_body_text_leads_clearly(runner_keyed: float,
                                                                outcome: str) -> None:
    best, runner = T.lead_answer * T.answer, T.lead_answer * T.answer * 0.9
    ranked = (match(0, best, explained=0.7, keyed=0.8),
              match(1, runner, explained=0.7, keyed=runner_keyed))
    words = [Word("a", "a", False), Word("b", "b", False), Word("c", "c", False)]
    held = _Scores(np.zeros(len(BRIEFS)), words, [((0, 100.0),)] * 3, {}, [0.5, 0.5, 0.5])
    evidenced = (Match(BRIEFS[0], best, explained=0.7, keyed=0.8, specifics=T.evidence),
                 ranked[1])
    assert MATCHER._decide("q", held, evidenced).outcome == outcome


def test_a_leader_with_no_keyword_evidence_of_its_own_is_no_keyed_lead() -> None:
    best, runner = T.lead_answer * T.answer, T.lead_answer * T.answer * 0.9
    words = [Word("a", "a", False), Word("b", "b", False), Word("c", "c", False)]
    held = _Scores(np.zeros(len(BRIEFS)), words, [((0, 100.0),)] * 3, {}, [0.5, 0.5, 0.5])
    ranked = (Match(BRIEFS[0], best, explained=1.0, keyed=0.0, specifics=T.evidence),
              Match(BRIEFS[1], runner, explained=1.0, keyed=0.0))
    assert MATCHER._decide("q", held, ranked).outcome != "answer"  # two scores of body text
