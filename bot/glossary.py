"""Russian and Kazakh words for the things the briefs talk about, mapped to the English word
the briefs use, so «Осудил ли Казахстан вторжение России?» meets "Russia" and "invasion" in
an English brief; and common English paraphrases (trip -> visit). Matched by stem (any
inflection of a listed form counts).

Only names and nouns of the subject belong here; a word for something no brief covers may be
listed too (it then simply finds nothing). Keep one line per English word.
"""

from __future__ import annotations

from functools import lru_cache

from .text import fold_kazakh, skeleton, stems

GLOSSARY: dict[str, tuple[str, ...]] = {
    "russia": ("россия", "российский", "антироссийский", "ресей", "ресейдің"),
    "us": ("сша", "штаты", "ақш"),
    "america": ("америка", "американский", "американдық"),
    "american": ("американец", "американцы", "американдықтар"),
    "washington": ("вашингтон", "вашингтондағы"),
    "ukraine": ("украина", "украинский", "украинадағы"),
    "kazakhstan": ("казахстан", "қазақстан", "казахский", "қазақ"),
    "europe": ("европа", "европейский", "еуропа", "еуропалық"),
    "asia": ("азия", "азиатский"),
    "central": ("центральный", "орталық"),
    "moscow": ("москва", "мәскеу"),
    "astana": ("астана",),
    "blinken": ("блинкен",),
    "tokayev": ("токаев", "тоқаев"),
    "tileuberdi": ("тлеуберди", "тілеуберді"),
    "secretary": ("госсекретарь", "секретарь", "хатшы"),
    "state": ("мемлекеттік", "госдеп", "госдепартамент"),
    "minister": ("министр", "министрі"),
    "foreign": ("иностранный", "сыртқы"),
    "president": ("президент", "президенті"),
    "sanctions": ("санкция", "санкции", "санкциялар"),
    "spillover": ("последствия", "салдары", "побочный", "зардап", "жанама"),
    "economy": ("экономика", "экономикалық"),
    "trade": ("торговля", "товарооборот", "сауда"),
    "investment": ("инвестиция", "инвестиции", "вложение", "инвестициялар"),
    "investors": ("инвестор", "инвесторы"),
    "companies": ("компания", "компании", "компаниялар", "фирма"),
    "business": ("бизнес",),
    "energy": ("энергетика", "энергия", "энергетикалық", "энергетический"),
    "exports": ("экспорт",),
    "diversification": ("диверсификация", "әртараптандыру"),
    "partner": ("партнер", "партнёр", "серіктес", "поставщик", "жеткізуші"),
    "partnership": ("партнерство", "әріптестік"),
    "reforms": ("реформа", "реформы", "реформалар"),
    "political": ("политический", "саяси"),
    "rights": ("права", "құқықтары", "құқық"),
    "human": ("человека",),  # not «адам» alone: a person, as in «канша адам турады»
    "sovereignty": ("суверенитет", "егемендік"),
    "independence": ("независимость", "тәуелсіздік", "самостоятельно", "самостоятельный"),
    "territorial": ("территориальный", "аумақтық"),
    "integrity": ("целостность", "тұтастық"),
    "statehood": ("государственность", "мемлекеттілік"),
    "invasion": ("вторжение", "басып"),
    "war": ("война", "соғыс"),
    "humanitarian": ("гуманитарный", "гуманитарлық"),
    "aid": ("помощь", "көмек"),
    "condemned": ("осудить", "осуждение", "айыптады", "айыптау"),
    "border": ("граница", "граничить", "шекара", "шектес", "шекаралас"),
    "mistrust": ("недоверие", "сенімсіздік"),
    "security": ("безопасность", "қауіпсіздік"),
    "alliance": ("альянс", "союз", "одақ"),
    "military": ("военный", "әскери"),
    "organization": ("организация", "ұйым", "блок"),
    "founding": ("основатель", "основатели", "основание", "учредитель", "құрушы", "негізін"),
    "soviet": ("советский", "кеңес"),
    "february": ("февраль", "февраля", "ақпан"),
    "march": ("март", "марта", "наурыз"),
    "future": ("будущее", "болашақ"),
    "nuclear": ("ядерный", "ядролық"),
    "weapons": ("оружие", "қару"),
    "stockpile": ("арсенал",),
    "relations": ("отношения", "қатынас", "связи", "байланыс"),
    "history": ("история", "тарих"),
    "visit": ("визит", "сапар", "приезд"),
    "first": ("первый", "впервые", "алғаш", "алғашқы"),
    "meeting": ("встреча", "кездесу", "переговоры", "келіссөз"),
    "agreed": ("договориться", "договорились", "соглашение", "келісім", "келісті"),
    "briefing": ("брифинг",),
    "billion": ("миллиард", "млрд"),
    "percent": ("процент", "пайыз"),
    "education": ("образование", "білім"),
    "1991": ("советский",),  # the Soviet Union's end: the year relations began
    "fields": ("область", "сфера", "сала"),
    "thanked": ("благодарить", "поблагодарил", "алғыс"),
    "support": ("поддержка", "поддерживать", "поддержать", "қолдау", "қолдайды", "қолдады"),
    "praised": ("похвалить", "похвалил", "хвалить", "мақтады", "жоғары бағалады"),
    "endorsed": ("одобрить", "одобрил", "одобрение", "мақұлдады"),
    "announced": ("объявить", "объявил", "жариялады"),
    "invested": ("инвестировать", "инвестировали", "вложить", "вложили", "салды", "салған"),
    "met": ("встретиться", "встретился", "встречались", "кездесті", "кездесу"),
    "visited": ("посетить", "посетил", "приехать", "приезжал", "приехал", "келді", "барды"),
    "discussed": ("обсудить", "обсуждали", "талқылады"),
}

# English paraphrases of the words the briefs use.
ENGLISH: dict[str, tuple[str, ...]] = {
    "visit": ("trip", "trips", "journey", "tour", "travelled", "traveled", "came", "went"),
    "meeting": ("talks", "met", "meet", "meets", "summit"),
    "companies": ("firms", "corporations", "businesses"),
    "aid": ("assistance", "help", "relief"),
    "concerns": ("fears", "fear", "afraid", "worries", "worried", "nervous", "anxious",
                 "uneasy"),
    "condemned": ("denounced", "criticised", "criticized", "opposed"),
    "investment": ("invested", "investing"),
    "independence": ("independent",),
    "nuclear": ("atomic",),  # nukes: an alias in text.py, spelled out before matching
    "weapons": ("arms", "arsenal", "warheads"),
    "relations": ("ties", "relationship", "friendship"),
    "fields": ("areas", "spheres"),
    "1991": ("1990s", "90s", "nineties", "soviet"),  # ussr, ссср: aliases of soviet, советский
    "sanctions": ("penalties", "restrictions", "embargo"),
    "spillover": ("fallout", "damage", "consequences", "repercussions", "collateral",
                  "knock-on", "side-effects", "secondary"),
    "invasion": ("troops", "attack", "offensive", "aggression", "invaded", "invade"),
    "alliance": ("pact", "treaty"),
    "mistrust": ("trust", "distrust", "suspicion", "frosty", "frostier", "cooling", "friction"),
    "future": ("path", "destiny", "course"),
    "state": ("department",),
    "russia": ("moscow", "kremlin", "putin", "москва", "кремль", "путин", "мәскеу"),
    "secretary": ("diplomat", "diplomats", "госсекретарь"),
    "organization": ("club", "bloc", "grouping", "body", "group", "union"),
    "partner": ("supplier", "suppliers", "source", "provider"),
    "diversification": ("diversify", "diversifying", "routes", "alternatives"),
    "minister": ("counterpart", "fm"),
}


@lru_cache(maxsize=1)
def _by_stem() -> dict[str, tuple[str, ...]]:
    """Stem of each listed form -> the skeletons of the English words it stands for."""
    found: dict[str, list[str]] = {}
    for english, forms in (*GLOSSARY.items(), *ENGLISH.items()):
        for form in forms:  # Kazakh also as typed with Russian letters (құрушы: курушы)
            for variant in {form, fold_kazakh(form)}:
                for stem in stems(variant) | {skeleton(variant)}:
                    found.setdefault(stem, []).append(skeleton(english))
    return {stem: tuple(dict.fromkeys(words)) for stem, words in found.items()}


def english_for(word: str) -> tuple[str, ...]:
    """The English words (skeletons) a Russian or Kazakh word, or an English paraphrase,
    stands for, if any."""
    table = _by_stem()
    found: list[str] = []
    for stem in stems(word) | {skeleton(word)}:
        found.extend(table.get(stem, ()))
    return tuple(dict.fromkeys(found))
