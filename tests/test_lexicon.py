"""Common words against names: what a question word no brief has turns out to be."""

from __future__ import annotations

import pytest

from bot.lexicon import is_common_word, russian_readings, typed_as_names, typed_in_latin
from bot.library import load_library
from bot.text import words
from tests.conftest import FIXTURE_BRIEFS


@pytest.fixture(autouse=True)
def _uncached() -> None:
    """Each test asks the dictionaries itself, not a cache an earlier test filled (so a test
    that reaches the lexicon is seen to reach it: mutation testing picks tests that way)."""
    is_common_word.cache_clear()


@pytest.mark.parametrize("word", [
    "cushion", "drive", "supply", "supplies", "minimize", "headlines", "warming", "volume",
    "shadow", "ослабить", "удар", "зависимость", "смягчить",
])
def test_dictionary_words_are_common(word: str) -> None:
    assert is_common_word(word)


@pytest.mark.parametrize("word", [
    "gaza", "kyrgyzstan", "taiwan", "delhi", "lavrov", "sullivan",  # not in the lexicon
    "china", "turkey", "jordan",  # country names that are also nouns, or were
    "ирана", "лаврова", "самарканде", "турции", "армения",  # tagged as names by pymorphy3
    "2024", "g20", "60",  # numbers
    "wife", "born", "birthday", "жена", "родился",  # a person's life
    "studied", "hobbies", "tennis", "хобби", "учился",  # ... and pastimes
    "tonnes", "barrels", "тонн", "баррелей", "prices", "цены",  # figures no brief states
    "қытай", "зияны", "kashan", "suplier",  # Kazakh, transliterated, misspelt: no lexicon
])
def test_names_numbers_and_unknown_words_are_not(word: str) -> None:
    assert not is_common_word(word)


@pytest.mark.parametrize("word", ["trump", "chevron"])
def test_names_in_the_news_that_are_english_words_are_names(word: str) -> None:
    """The topic file lists them: a name no brief has, never a common word forgiven."""
    library = load_library(FIXTURE_BRIEFS)[0]
    assert word in library.topic.names
    result = library.match(f"what did {word} say about the sanctions spillover")
    assert result.outcome != "answer" and result.unknown == (word,)


@pytest.mark.parametrize(("text", "names"), [
    ("What did Trump say about Kazakhstan?", {"trump", "kazakhstan"}),
    ("aid to Gaza. Then more", {"gaza"}),  # a sentence's first word is capitalized anyway
    ("End. 2022 Trump", {"trump"}),  # a number before it: inside the sentence
    ("Trump visit", set()),
    ("ОДКБ и Армения", {"армения"}),  # an acronym is not a name's capital
    ("Kazakhstan's Reform Drive Wins American Praise", set()),  # title case: capitals say nothing
    ("Moscow and Astana: Allies, But Trust Is Wearing Thin", set()),
    # a short question whose other words are lower case is no headline
    ("What is the tuition at Nazarbayev University?", {"nazarbayev", "university"}),
    ("will the us cushion kazakhstan", set()),
])
def test_words_capitalized_inside_a_sentence_are_names(text: str, names: set[str]) -> None:
    assert typed_as_names(text) == names


def test_the_english_word_sets_answer_as_lemminflect_does() -> None:
    """The two word sets read from lemminflect's files give getAllLemmas's answers: known or
    not, and a lemma among the asked-for facts or not (every 20th word of its lexicon, the
    asked-for facts themselves and words it does not know)."""
    import gzip

    from lemminflect import config, getAllLemmas

    from bot.lexicon import ASKED_FACTS, in_dictionary, is_place_or_person
    with gzip.open(config.lemma_lu_fn, "rt", encoding="utf-8") as f:
        words = sorted({line.split(",")[0] for line in f})[::20]
    words += [*sorted(w for w in ASKED_FACTS if w.isascii()), "gazaa", "qzx", "tonnes"]
    for word in (w for w in words if w.isalpha() and w == w.lower()):
        lemmas = getAllLemmas(word)
        asked = any(lemma in ASKED_FACTS for forms in lemmas.values() for lemma in forms)
        in_dictionary.cache_clear()
        assert in_dictionary(word) == bool(lemmas), word
        if word not in ASKED_FACTS and not is_place_or_person(word):  # country names
            assert is_common_word(word) == (bool(lemmas) and not asked), word
        is_common_word.cache_clear()


@pytest.mark.parametrize(("word", "russian"), [
    ("protsentov", ("процентов",)), ("tarify", ("тарифы",)), ("sanktsii", ("санкции", "санкций")),
    ("pomogayushchey", ("помогающей",)), ("semya", ("семя", "семья")),  # ь dropped
    ("schet", ("счет",)),
    ("visa", ()), ("report", ()),  # English words stay English
    ("stafft", ()), ("kazakhstanq", ()),  # no Russian word is spelt so
    ("e" * 4000, ()),  # past any Russian word: not spelt out at all
])
def test_a_latin_word_english_lacks_is_read_as_the_russian_words_it_spells(
        word: str, russian: tuple[str, ...]) -> None:
    assert russian_readings(word) == russian


@pytest.mark.parametrize(("text", "latin"), [
    ("tarify Trampa Kazakhstan 27 protsentov", True),
    ("posol SShA v Kazakhstane Stafft prioritety", True),
    ("what did lavrov say", False),
    # names spelt alike in both languages count for neither, and English words outweigh
    ("what did macron say about the csto and sco membership of kazakhstan", False),
    ("did sberbank leave kazakhstan because of sanctions on russia", False),
    ("usaid freeze kazakhstan astana sberbank", False),
])
def test_a_question_is_typed_in_latin_when_russian_words_outnumber_english_ones(
        text: str, latin: bool) -> None:
    assert typed_in_latin(words(text)) is latin


@pytest.mark.parametrize(("word", "common"), [
    ("protsentov", True), ("prioritety", True),
    ("lavrov", False), ("vera", False), ("nadezhda", False),  # a name among the readings
    ("zhenat", False), ("deti", False), ("semya", False),  # a person's life, as in Cyrillic
])
def test_a_latin_typed_word_is_common_when_every_russian_reading_is(word: str,
                                                                    common: bool) -> None:
    assert is_common_word(word, latin=True) is common
    assert not is_common_word(word)  # read as English, none is a word
