"""Figures found in text and normalized: each written form of a figure gives the same key."""

from __future__ import annotations

import pytest

from bot.dates import month_number
from bot.figures import extract_figures, in_context, provided, unsupported
from bot.text import read_lines


def keys(text: str, year: int | None = None) -> list[str]:
    return [f.key for f in extract_figures(text, year)]


@pytest.mark.parametrize("text", [
    "$3 billion", "3 billion dollars", "3 billion US dollars", "$3bn", "$3 bn", "US$3 billion",
    "USD 3 billion", "$3,000,000,000", "3 млрд долларов", "3 миллиарда долларов США",
    "3 млрд долл. США", "3 млрд АҚШ доллары", "3 миллиард доллар",
])
def test_sums_of_money(text: str) -> None:
    assert keys(f"trade passed {text} in") == ["money:USD:3000000000"]


@pytest.mark.parametrize(("text", "key"), [
    ("$62.5 billion", "money:USD:62500000000"),
    ("62,5 млрд долларов", "money:USD:62500000000"),
    ("$1.5m", "money:USD:1500000"),
    ("$20k", "money:USD:20000"),
    ("62 000 долларов", "money:USD:62000"),
    ("1 500 000 тенге", "money:KZT:1500000"),
    ("€4 million", "money:EUR:4000000"),
    ("50 billion", "number:50000000000"),
    ("50 млрд", "number:50000000000"),
])
def test_other_sums_and_scaled_counts(text: str, key: str) -> None:
    assert keys(text) == [key]


@pytest.mark.parametrize("text", [
    "37.2 percent", "37.2 per cent", "37.2 %", "37.2%", "37,2 %", "37,2%", "37,2 процента",
    "37,2 пайызға", "37.2 pct",
])
def test_percentages(text: str) -> None:
    assert keys(f"up {text} from") == ["percent:37.2"]


@pytest.mark.parametrize("text", [
    "21 May 2022", "21st May 2022", "21 of May 2022", "May 21, 2022", "May 21 2022",
    "2022-05-21", "21.05.2022", "21 мая 2022", "21 мая 2022 года", "2022 жылғы 21 мамыр",
    "2022 жылдың 21 мамырында",
])
def test_full_dates(text: str) -> None:
    assert keys(f"on {text} the") == ["date:2022-05-21"]


@pytest.mark.parametrize(("text", "key"), [
    ("February 2023", "month:2023-02"), ("Feb. 2023", "month:2023-02"),
    ("в феврале 2023 года", "month:2023-02"), ("февраль 2023", "month:2023-02"),
    ("2023 жылдың ақпанында", "month:2023-02"), ("2023-02", "month:2023-02"),
    ("December 1991", "month:1991-12"),
    ("Feb. 28", "day:02-28"), ("28 February", "day:02-28"), ("28 февраля", "day:02-28"),
    ("since 1991", "year:1991"), ("в 2022 году", "year:2022"), ("2022 жылы", "year:2022"),
    ("11 briefs", "number:11"), ("the 3rd time", "number:3"),
])
def test_months_days_years_and_counts(text: str, key: str) -> None:
    assert keys(text) == [key]


@pytest.mark.parametrize("text", [
    "the first three quarters of the year", "two countries", "a billion reasons",
    "it may well", "G20", "первые три квартала", "үш тоқсан",
])
def test_words_are_not_figures(text: str) -> None:
    assert keys(text) == []


def test_may_the_verb_is_not_a_month() -> None:
    assert keys("the figure may 21 be wrong") == ["number:21"]
    assert keys("on May 21") == ["day:05-21"]


def test_several_figures_in_order_with_their_text() -> None:
    text = "Trade passed $3 billion in 2022, up 37.2 percent; FDI tops $62 billion."
    found = extract_figures(text)
    assert [f.text for f in found] == ["$3 billion", "2022", "37.2 percent", "$62 billion"]
    assert [text[f.start:f.end] for f in found] == [f.text for f in found]


def test_a_date_vouches_for_its_day_month_and_year_but_not_the_reverse() -> None:
    keys_ = provided(["dateline 21 May 2022"])
    assert {"date:2022-05-21", "day:05-21", "month:2022-05", "year:2022"} <= keys_
    assert unsupported("in May 2022, on 21 May, in 2022", keys_) == []
    month_only = provided(["published 2023-03"])
    assert [f.text for f in unsupported("on 3 March 2023", month_only)] == ["3 March 2023"]


def test_a_day_without_year_is_read_in_the_given_year() -> None:
    assert "date:2023-02-28" in provided(["a briefing on Feb. 28 (2023)"], 2023)
    assert "date:2023-02-28" not in provided(["a briefing on Feb. 28"])


def test_money_vouches_for_the_bare_amount_but_a_bare_amount_not_for_money() -> None:
    assert unsupported("3 billion in trade", provided(["$3 billion"])) == []
    assert [f.text for f in unsupported("$3 billion", provided(["3 billion"]))] == ["$3 billion"]
    assert [f.text for f in unsupported("$3 million", provided(["$3 billion"]))] == ["$3 million"]


def test_same_figure_in_three_languages() -> None:
    source = provided(["By Kazakh statistics, trade passed $3 billion in 2022, up 37.2 percent."])
    for text in ("Товарооборот превысил 3 млрд долларов в 2022 году, рост на 37,2 %.",
                 "2022 жылы тауар айналымы 3 млрд АҚШ долларынан асты, 37,2 пайызға өсті.",
                 "Trade topped 3 billion dollars in 2022, 37.2% more than in the year before."):
        assert unsupported(text, source) == [], text
    assert [f.text for f in unsupported("рост на 38,2 %", source)] == ["38,2 %"]


@pytest.mark.parametrize(("name", "number"), [
    ("May", 5), ("Sept.", 9), ("Feb", 2), ("мая", 5), ("феврале", 2), ("декабря", 12),
    ("ақпанында", 2), ("мамыр", 5), ("желтоқсан", 12), ("mars", None), ("маска", None),
])
def test_month_names(name: str, number: int | None) -> None:
    assert month_number(name) == number


@pytest.mark.parametrize("text", [
    # en
    "talks in the C5+1 format", "the B5+1 business council", "a G7 statement",
    "up to 15 787-9 Dreamliners", "F-16 jets", "three 787-9s already due",
    "under Article 5 of the treaty",
    "COVID-19 aid", "Resolution 2231",
    # ru
    "в формате С5+1", "самолёты 787-9", "истребители F-16", "согласно статье 5 договора",
    "саммит G7",
    # kk
    "С5+1 форматында", "787-9 ұшақтары", "G7 елдері", "шарттың 5-бабы бойынша",
])
def test_names_with_digits_are_not_figures(text: str) -> None:
    found = [f.key for f in extract_figures(text)]
    assert found == [] or found == ["number:15"], (text, found)


@pytest.mark.parametrize(("text", "count"), [
    ("Boeing will sell up to 15 787-9 Dreamliners", "number:15"),
    ("Boeing продаст до 15 самолётов 787-9", "number:15"),
    ("Boeing 15 787-9 ұшағын сатады", "number:15"),
])
def test_a_count_before_a_model_number_stays_a_count(text: str, count: str) -> None:
    assert [f.key for f in extract_figures(text)] == [count]


@pytest.mark.parametrize(("text", "expected"), [
    ("1 500 000 tenge", ["money:KZT:1500000"]),
    ("1 500 000 тенге", ["money:KZT:1500000"]),
    ("1 500 000 теңге", ["money:KZT:1500000"]),
    ("62 000 people", ["number:62000"]),
    ("1 500, 2 000 and 3 000 jobs", ["number:1500", "number:2000", "number:3000"]),
    # a list of numbers is not one grouped number
    ("lots 5, 10 250, 300", ["number:5", "number:10", "number:250", "number:300"]),
    ("лоты 5, 10 250, 300", ["number:5", "number:10", "number:250", "number:300"]),
    ("лоттар 5, 10 250, 300", ["number:5", "number:10", "number:250", "number:300"]),
    # groups of other than three digits are separate numbers
    ("in 12 2023 cases", ["number:12", "year:2023"]),
])
def test_space_grouped_thousands_only_where_they_group_by_three(
        text: str, expected: list[str]) -> None:
    assert [f.key for f in extract_figures(text)] == expected


@pytest.mark.parametrize(("source", "brief"), [
    ("It opened in October (2023).", "in October 2023"),
    ("It opened in October 2023.", "in October 2023"),
    ("Открылось в октябре (2023).", "в октябре 2023 года"),
    ("It opened in October (2023).", "2023 жылғы қазанда"),
    ("2023 жылғы қазанда ашылды.", "October 2023"),
    ("On Oct. 5 (2023) it opened.", "5 октября 2023 года"),
])
def test_a_month_with_its_year_in_brackets_vouches_for_that_month(source: str,
                                                                  brief: str) -> None:
    assert unsupported(brief, provided([source])) == []


def test_in_context_quotes_the_words_around_a_figure() -> None:
    text = "Boeing agreed to sell up to 15 787-9 Dreamliners to the airline in 2024."
    start = text.index("787-9")
    assert in_context(text, start, start + 5) == "…up to 15 ▸787-9◂ Dreamliners to the…"
    assert in_context("$3 billion.", 0, 10) == "▸$3 billion◂."
    ru = "Товарооборот вырос на 37,2 % за год."
    at = ru.index("37,2 %")
    assert in_context(ru, at, at + 6) == "Товарооборот вырос на ▸37,2 %◂ за год."


@pytest.mark.parametrize("text, keys", [
    ("the 2024-25 season", ["year:2024", "year:2025"]),
    ("сезон 2024–25", ["year:2024", "year:2025"]),
    ("Dec 2-6, 2023", ["date:2023-12-02", "date:2023-12-06"]),
    ("2–6 декабря 2023 года", ["date:2023-12-02", "date:2023-12-06"]),
    ("2023 жылғы 2-6 желтоқсанда", ["date:2023-12-02", "date:2023-12-06"]),
    ("$4-5 billion", ["money:USD:4000000000", "money:USD:5000000000"]),
    ("4–5 млрд долларов", ["money:USD:4000000000", "money:USD:5000000000"]),
    ("4-5 миллиард АҚШ доллары", ["money:USD:4000000000", "money:USD:5000000000"]),
    ("rose 10-15%", ["percent:10", "percent:15"]),
    ("open 24/7", []),
    ("a 50/50 split", []),
])
def test_ranges_read_as_both_ends_and_a_schedule_is_no_figure(text: str,
                                                              keys: list[str]) -> None:
    assert [f.key for f in extract_figures(text)] == keys


def test_a_day_range_vouches_for_every_day_in_it() -> None:
    keys = provided(["Talks ran Dec 2-6, 2023."])
    assert {"date:2023-12-04", "date:2023-12-06", "month:2023-12"} <= keys
    assert not unsupported("On 6 December 2023 they met.", keys)
    assert not unsupported("$4-5 billion", provided(["$4 billion", "5 billion dollars"]))
    assert [f.part for f in unsupported("$4-5 billion", provided(["$4 billion"]))] \
        == ["$5 billion"]


@pytest.mark.parametrize(("text", "expected"), [
    # a case ending after a hyphen leaves the number as it is (Kazakh, Russian)
    ("31 500-ге жуық шетелдік", ["number:31500"]),
    ("31 500-ге дейін", ["number:31500"]),
    ("31 500-ден астам", ["number:31500"]),
    ("31 500-ға", ["number:31500"]),
    ("1 500 000-ның", ["number:1500000"]),
    ("около 31 500-ти человек", ["number:31500"]),
    ("в 1 500-х годах", ["number:1500"]),
    ("500-ге жуық", ["number:500"]),
    # not an ending: a name stays a name
    ("up to 15 787-9 Dreamliners", ["number:15"]),
])
def test_a_number_with_a_case_ending_is_the_number(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("in the 12th-17th centuries", ["number:12", "number:17"]),
    ("in the XII century", ["number:12"]),
    ("XII–XVII веков", ["number:12", "number:17"]),
    ("в XIX в. и", ["number:19"]),
    ("в XXI веке", ["number:21"]),
    ("XII–XVII ғасырлардағы", ["number:12", "number:17"]),
    ("XXI ғасырда", ["number:21"]),
    # a Roman numeral that is no century, or past XXI, is no figure
    ("Louis XIV was", []),
    ("XXV век", []),
])
def test_roman_numeral_centuries(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("translation", ["XII–XVII веков", "XII–XVII ғасырлардағы"])
def test_roman_centuries_vouch_for_the_english_ones(translation: str) -> None:
    english = "trade of the 12th-17th centuries"
    assert unsupported(translation, provided([english])) == []
    assert unsupported(english, provided([translation])) == []


@pytest.mark.parametrize("text", [
    "in April 27% tariffs", "апреле 27% пошлины", "сәуірде 27% баж", "April 27 percent",
    "апреле 27,5%",
])
def test_a_percentage_after_a_month_is_no_day_of_it(text: str) -> None:
    assert [f.key for f in extract_figures(text, 2025)] == [
        "percent:27.5" if "27,5" in text else "percent:27"]


NOV30_DEC3 = ["date:2023-11-30", "date:2023-12-03"]
DEC30_JAN2 = ["date:2023-12-30", "date:2024-01-02"]
DEC2_DEC6 = ["date:2023-12-02", "date:2023-12-06"]


@pytest.mark.parametrize(("text", "expected"), [
    # en: a range across two months gives its year to both ends
    ("from 30 November to 3 December 2023", NOV30_DEC3),
    ("30 November – 3 December 2023", NOV30_DEC3),
    ("30 November-3 December 2023", NOV30_DEC3),
    ("November 30 - December 3, 2023", NOV30_DEC3),
    ("between 30 November and 3 December 2023", NOV30_DEC3),
    ("30 November 2023 until 3 December", NOV30_DEC3),
    # ru
    ("с 30 ноября по 3 декабря 2023 года", NOV30_DEC3),
    ("30 ноября – 3 декабря 2023 года", NOV30_DEC3),
    ("с 30 ноября 2023 года до 3 декабря", NOV30_DEC3),
    # kk
    ("2023 жылғы 30 қарашадан 3 желтоқсанға дейін", NOV30_DEC3),
    ("2023 жылғы 30 қараша – 3 желтоқсан", NOV30_DEC3),
    # a second end in an earlier month crosses a year; years written at both ends stay theirs
    ("from 30 December to 2 January 2024", DEC30_JAN2),
    ("с 30 декабря по 2 января 2024 года", DEC30_JAN2),
    ("2023 жылғы 30 желтоқсаннан 2 қаңтарға дейін", DEC30_JAN2),
    ("30 December 2023 – 2 January 2024", DEC30_JAN2),
    ("с 30 декабря 2023 по 2 января 2024 года", DEC30_JAN2),
    ("2023 жылғы 30 желтоқсаннан 2024 жылғы 2 қаңтарға дейін", DEC30_JAN2),
    # no year written: each end is its day
    ("from 30 November to 3 December", ["day:11-30", "day:12-03"]),
    ("30 қарашадан 3 желтоқсанға дейін", ["day:11-30", "day:12-03"]),
    # a range within one month joined by words
    ("from 2 to 6 December 2023", DEC2_DEC6),
    ("со 2 по 6 декабря 2023 года", DEC2_DEC6),
    ("2023 жылғы 2-ден 6 желтоқсанға дейін", DEC2_DEC6),
    # two days, not a range: each as written
    ("on 30 November and 3 December 2023", ["day:11-30", "date:2023-12-03"]),
    ("rose 2 to 6 December 2023", ["number:2", "date:2023-12-06"]),
])
def test_a_day_range_gives_its_year_to_both_ends(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("translation", [
    "с 30 ноября по 3 декабря 2023 года", "2023 жылғы 30 қарашадан 3 желтоқсанға дейін",
    "30 November – 3 December 2023",
])
def test_a_range_across_months_is_the_same_in_every_language(translation: str) -> None:
    english = "from 30 November to 3 December 2023"
    assert keys(translation) == keys(english)
    assert unsupported(translation, provided([english])) == []
    assert unsupported(english, provided([translation])) == []


@pytest.mark.parametrize(("fact", "year", "inside", "outside"), [
    ("Talks ran 30 November – 3 December 2023.", None, "date:2023-12-01", "date:2023-12-04"),
    ("Talks ran 30 December – 2 January 2024.", None, "date:2023-12-31", "date:2024-12-31"),
    # a period longer than a month vouches for its ends only
    ("The programme ran from 1 January to 31 December 2023.", None, "date:2023-12-31",
     "date:2023-06-15"),
])
def test_a_range_across_months_vouches_for_the_days_in_it(fact: str, year: int | None,
                                                           inside: str, outside: str) -> None:
    vouched = provided([fact], year)
    assert inside in vouched
    assert outside not in vouched


def test_a_range_joined_by_a_word_vouches_for_its_ends_only() -> None:
    # 'from … to' may be a move, not the days of one event
    moved = provided(["The vote was moved from 20 to 28 February (2023)."], None)
    assert {"date:2023-02-20", "date:2023-02-28"} <= moved and "date:2023-02-24" not in moved
    moved = provided(["The visit moved from 26 February to 2 March 2023."], None)
    assert {"date:2023-02-26", "date:2023-03-02"} <= moved and "date:2023-03-01" not in moved
    held = provided(["The forum was held 26 February – 2 March 2023."], None)
    assert "date:2023-03-01" in held


def test_a_range_across_a_new_year_written_without_a_year_vouches_for_no_year() -> None:
    # the record's year could be either end's: a December record of coming talks, or a
    # January record of past ones
    vouched = provided(["Talks will run from 30 December to 2 January."], 2023)
    assert {"day:12-30", "day:01-02"} <= vouched
    assert not any(key.startswith(("date:", "month:")) for key in vouched)


def test_a_range_whose_first_year_is_in_brackets() -> None:
    keys = [f.key for f in extract_figures("Talks ran from 30 November (2023) to 3 December.",
                                           None)]
    assert keys == ["date:2023-11-30", "date:2023-12-03"]
    keys = [f.key for f in extract_figures("from 30 December (2023) to 2 January (2024)", None)]
    assert keys == ["date:2023-12-30", "date:2024-01-02"]


def test_a_space_grouped_number_reads_up_to_six_groups() -> None:
    keys = [f.key for f in extract_figures("1 000 000 000 000 000 tenge and 62 000 000 dollars",
                                           None)]
    assert keys == ["money:KZT:1000000000000000", "money:USD:62000000"]


def test_a_list_of_numbers_is_no_space_grouped_number_far_into_a_text() -> None:
    text = "x" * 5000 + " 5, 10 250, 300"
    assert [f.key for f in extract_figures(text, None)] == [
        "number:5", "number:10", "number:250", "number:300"]


def _coded_lines(section: str) -> list[tuple[str, str]]:
    """(code, word) for each word of a coded section of bot/lang/figures.txt."""
    return [(code.upper(), word) for code, *words in
            (line.split() for line in read_lines("figures.txt", section, normalized=False))
            for word in words]


@pytest.mark.parametrize(("code", "word"), _coded_lines("currencies"))
def test_every_currency_word_of_the_data_file_reads_as_its_currency(code: str,
                                                                    word: str) -> None:
    written = word.rstrip("*")
    assert keys(f"paid 5 {written} in") == [f"money:{code}:5"]
    assert keys(f"paid 5 million {written} in") == [f"money:{code}:5000000"]


@pytest.mark.parametrize(("code", "sign"), _coded_lines("currency_signs"))
def test_every_currency_sign_of_the_data_file_reads_as_its_currency(code: str,
                                                                    sign: str) -> None:
    space = " " if sign[-1].isalpha() else ""  # 'USD5' is a name, like 'G7'
    assert keys(f"paid {sign}{space}5 million in") == [f"money:{code}:5000000"]


@pytest.mark.parametrize("form", read_lines("figures.txt", "percent", normalized=False))
def test_every_percent_form_of_the_data_file_reads_as_a_percentage(form: str) -> None:
    assert keys(f"up 4.5 {form.rstrip('*')} from") == ["percent:4.5"]


def test_a_currency_country_name_goes_on_either_side_of_its_word_only() -> None:
    assert keys("5 долларов США") == keys("5 US dollars") == ["money:USD:5"]
    assert keys("5 АҚШ доллары") == ["money:USD:5"]
    assert keys("5 US tenge") == ["number:5"]  # no country of the tenge is listed


@pytest.mark.parametrize("text", [
    "Article 5", "art. 5", "статья 5", "статьёй 5", "ст. 5", "главе 2", "5-бап", "3-тармақ",
])
def test_a_numbered_part_of_a_document_is_no_figure(text: str) -> None:
    assert keys(f"under {text} of the treaty") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("$2.5-3 billion", ["money:USD:2500000000", "money:USD:3000000000"]),
    ("2.5-3%", ["percent:2.5", "percent:3"]),
    ("1,5-2 млрд долларов", ["money:USD:1500000000", "money:USD:2000000000"]),
    ("Boeing 787-9 jets", []),  # a model number stays a name
])
def test_a_range_whose_first_end_has_decimals(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("record", [
    "Кездесу 2023 жылғы 2-ден 6 желтоқсанға ауыстырылды.",
    "Кездесу 2023 жылғы 30 қарашадан 3 желтоқсанға ауыстырылды.",
])
def test_a_kazakh_range_joined_by_the_ablative_vouches_for_its_ends_only(record: str) -> None:
    vouched = provided([record], 2023)
    assert "date:2023-12-03" in vouched or "date:2023-12-06" in vouched
    assert "date:2023-12-01" not in vouched and "date:2023-12-04" not in vouched


@pytest.mark.parametrize(("text", "key"), [
    ("31 мыңнан астам адам", "number:31000"), ("500 мыңға дейін", "number:500000"),
    ("$3B", "money:USD:3000000000"), ("$3 bln", "money:USD:3000000000"),
])
def test_scale_words_with_endings_and_sign_scales(text: str, key: str) -> None:
    assert keys(text) == [key]
    assert unsupported(text, provided(["The fund holds $5 million and 31 people."])) != []


@pytest.mark.parametrize(("text", "key"), [
    ("2022 жылғы 21-мамырда", "date:2022-05-21"), ("21-мамырда өтті", "day:05-21"),
    ("21-го мая 2022 года", "date:2022-05-21"), ("21-го мая", "day:05-21"),
    ("2022 жылғы 21-ші мамырда", "date:2022-05-21"), ("21-ші мамырда", "day:05-21"),
])
def test_a_day_joined_to_its_month_by_a_hyphen(text: str, key: str) -> None:
    assert keys(text) == [key]
    assert unsupported(text, provided(["The delegation arrived on 21 May 2022."], 2022)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("planted a shrub 5 metres tall", ["number:5"]),  # no 'RUB' inside a word
    ("the Forbes Entrepreneur 2022 list", ["year:2022"]),  # no 'EUR' inside a word
    ("главами 12-14 закона", []), ("статьею 5", []),  # numbered parts of a document
    ("5.F-16 мая", ["number:5"]),  # a name after a full stop stays a name
    ("с 21-го по 25-е мая 2022 года", ["date:2022-05-21", "date:2022-05-25"]),
    ("21-ші–25-ші мамыр", ["day:05-21", "day:05-25"]),  # Kazakh ordinals at both ends
    ("30-го ноября-3-го декабря 2023 года", ["date:2023-11-30", "date:2023-12-03"]),
    ("The EUR1 movement certificate", []),  # a code glued to digits is a name, like G7
    ("Between 1,500-2,000 people", ["number:1500", "number:2000"]),  # grouped thousands
    ("$2,500-3,000", ["money:USD:2500", "money:USD:3000"]),
    ("в нарушение статей 5 и 6", ["number:6"]),  # «статей 5»: a numbered part
    ("Главари 5 банд задержаны", ["number:5"]),  # ringleaders, not chapters
    ("models: 747,787-9 and 777", ["number:747", "number:777"]),  # thousands, not decimals
    ("v2.5-3", []),  # the 2 belongs to a name
    ("встреча глав 5 государств", ["number:5"]),  # «глав»: heads of state, not chapters
    ("2022 жылғы 21-25-мамыр", ["date:2022-05-21", "date:2022-05-25"]),
    ("2022 жылғы 21-ден 25-мамырға дейін", ["date:2022-05-21", "date:2022-05-25"]),
    ("2023 жылғы 30-қарашадан 3-желтоқсанға дейін", ["date:2023-11-30", "date:2023-12-03"]),
])
def test_words_signs_and_endings_around_numbers(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_a_currency_the_data_file_does_not_list_is_a_bare_number() -> None:
    assert keys("£5 million") == ["number:5000000"]


def test_a_scale_word_with_its_full_stop_is_read_whole() -> None:
    assert [f.text for f in extract_figures("rose to 5 млрд.", None)] == ["5 млрд."]
