"""Text normalization shared by matching and statistics: words, stop words, stems, skeletons.

Words fall into classes that the matcher treats differently:
- stop words (function and question words in English, Russian and Kazakh) are dropped;
- soft words (greetings, thanks and generic question vocabulary: "role", "позиция",
  "ұстанымы") are kept as evidence when a brief has them, but a brief that lacks them
  still explains the question;
- subject words name the bot's own subject (listed in the topic file, bot/glossary.py): a
  question made only of them is about everything the bot covers, not about one brief;
- every other word is specific: a brief must account for it to answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import snowballstemmer
from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rapidfuzz.utils import default_process

STOP_WORDS = frozenset(
    """
    a an the is are was were be been being am do does did done doing have has had having will
    would shall should can could may might must what whats which who whom whose when where why
    how about tell me say said says saying on in of for to and or but with from by at as it
    its this that these those there here their they them i you we our your my he she his her
    up out over into than then so if not no yes any some all more most much many very just
    also again please know want like think give show explain anything something
    between did does happen happened going get let lets can't cant don't dont isn't didn't
    doesn't won't wasn't aren't weren't ever ok okay too via per each other own same such only
    s t d ll re ve m whats whos hows wheres whens whys whats much many
    getting gets got pls plz go го
    didnt doesnt dont isnt wasnt arent werent wont cant havent hasnt hadnt wouldnt couldnt
    shouldnt im ive youre theyre
    anyone someone everything really exactly actually currently still yet already even
    since ago while during whether although though because why

    что как про о об в во на и или с со по для это этот эта эти кто где когда почему зачем ли же
    бы не да нет мне нам вы ты он она они его ее её их расскажи расскажите скажи скажите
    сказал сказала есть был была были было будет между у из от до за к какие какой какая каков
    каково какое каких каким там тут всё все весь так уже еще ещё можно нужно хочу знать также
    а но чем сколько зачем отчего куда откуда чей чья чьё чьи ли ль разве неужели который
    которая которое которые которых кого кому чему чего ему ей им нас вас себя свой своя свои
    своих был при под над после перед через без со то тот те та этом этой этого этих там
    же вот ну ведь или либо если раз сам сама сами какую каким каком какого какому каких
    чём насколько много мало очень сильно тоже именно вообще просто ли чтобы потому
    один одна одно одним одной одного одну одними самого самой самых самый сама само
    единственная единственный единственной
    них ним ними него нему нём нее неё ней
    является являются являлся стал стала стали было будут есть

    туралы және қалай не қандай қандай бар мен сен сіз бұл ол сол үшін дейін кім қашан неге
    айтып айтшы арасындағы бойынша ма ме ба бе па пе ғой да де та те қанша неше қайда қайсы
    қай кімдер нені неден неге несі немесе бірақ әлде осы сондай мұнда онда біз олар оның
    олардың оған одан жайлы жөнінде дегеніміз деген деп ба ма ме ғана еді болды болған бола
    болып болса ме мә дағы дегі тағы тегі ның нің дың дің тың тің ға ге қа ке дан ден тан тен
    нан нен ны ні ды ді ты ті ны ма ше шы ші пен бен арқылы кейін бері сияқты ретінде
    бір барлық әр өз соң рет ғана тек бүкіл жоқ емес екі үш жатыр жатқан жағынан
    қатысты немен кімге кімнің нешеде өзі өзінің сияқты бола ала алады
    """.split()
)

HELLO_WORDS = frozenset(
    """
    hi hello hey hiya yo howdy greetings good morning evening afternoon night bye goodbye
    привет здравствуй здравствуйте добрый доброе день утро вечер пока салам
    сәлем салем сәлеметсіз салеметсиз сау болыңыз қайырлы таң кеш күн ассалаумағалейкум
    """.split()
)

THANKS_WORDS = frozenset(
    """
    thanks thank thx ty cheers tnx thankyou appreciated great cool nice ok okay
    спасибо благодарю спс пасибо рахмет рақмет көп
    """.split()
)

# Generic question vocabulary: words people wrap a question in. A brief that has one of them
# counts it as evidence; a brief that lacks it still explains the question.
SOFT_WORDS = frozenset(
    """
    role position stance view views attitude opinion approach impact effect effects
    affect affected affects influence situation status issue issues question questions detail
    details overview summary background main key important major big new latest recent
    current today now news update updates info information fact facts point points thing things
    part kind sort way ways mean meaning means matter matters work works happen happened
    exactly really actually please official officials officially country countries nation
    nations government governments state states talk talked talks discuss discussed discussion
    said saying say statement statements announce announced comment comments comments
    explain brief according year years time times help helps helped helping play plays
    played playing stand stands stood back backs backed respond responded react reacted
    reaction make makes made take takes took come comes came coming go goes went see look
    want wants need needs use used keep keeps kept stay stays remain remains become became
    call calls called plan plans hope expect expects try tries deal world region regional
    international global large small high low money amount number total level reason reasons
    cause causes result results outcome outcomes goal goals purpose aim step steps progress
    change changes future past really member members membership part parts side sides
    relation mention mentioned mentions promise promised promises agree agreed program
    programme programs
    роль позиция позицию мнение отношение влияние влияет повлияли ситуация вопрос вопросы
    подробности подробно кратко суть новое новости последние сейчас сегодня информация
    страна страны страной стране государство правительство говорил говорит сказал заявил
    заявила заявление обсуждали обсудили год году года время помогает помогла помог
    помогли играет играть играл играла роль роли делает сделал сделала сделали хочет хотят
    может могут говорили думает считает относится относятся влияют влиял связаны связь
    происходит случилось произошло итоги итог результаты результат цель причина причины
    член членом члены членство участник стороны сторона обещал обещали согласились
    рөлі рөл ұстанымы ұстаным көзқарасы пікірі әсері әсер жағдайы мәселе мәселесі сұрақ
    жаңалық жаңалықтар ақпарат ел елі елдер елдің мемлекет үкімет айтты айтқан мәлімдеме
    талқылады жыл жылы жылғы уақыт қазір бүгін ойнайды атқарады жасады етті етеді
    болды болады айтты деді дейді қарайды бағалайды санайды атайды кіреді мүше мүшесі
    нәтиже нәтижесі мақсаты мақсат себебі себеп уәде келісті
    """.split()
) | HELLO_WORDS | THANKS_WORDS

# Common verbs, adjectives and adverbs name no topic (a topic is a country, a person, a
# thing): like soft words they count when a brief has them and never count against it.
# Compared by stem, so "arrives", "arrived" and "arriving" are all soft. Topic verbs
# (invest, sanction, condemn, visit, meet, reform, support, trade, thank) are not here.
GENERIC_WORDS = frozenset(
    """
    arrive leave return travel reach begin start end finish continue stop open close bring
    send receive carry hold lead follow join enter pass move turn run walk fly sit stand set
    put place show tell ask answer reply write read speak hear listen learn teach understand
    know believe feel seem appear look watch happen occur exist live grow rise fall increase
    decrease reduce improve build create develop produce provide offer allow let include
    involve consider decide choose prefer like love hate fear worry afraid scared concerned
    worried sure certain possible likely able willing ready free real true false right wrong
    good bad better worse best worst strong weak easy hard difficult simple clear different
    similar same whole full empty early late long short quick slow fast far near close
    recent former previous next last first second third final public private general special
    particular certain specific various several whole entire main basic common usual normal
    ever never always often sometimes usually already still yet soon finally recently
    currently mostly mainly especially particularly exactly actually really truly fully
    quite rather pretty almost nearly enough indeed instead together alone away back forward
    ago later earlier before after since until during within without around across along
    against toward towards despite beyond amid amidst regarding concerning rid top hit hits
    jump jumped wean remind reminds knock offset spread fit fits pick picked pay paid
    trusts spring summer autumn winter west western pressure options option takeaway
    takeaways potential весной летом осенью зимой весна лето осень зима запад западные
    западных западный потенциал көктем көктемде жаз жазда күз күзде қыс қыста батыс
    батыстың әлеует әлеуеті арасында арасы
    hurt hurts harm harms affecting care cares cope coping deal dealing off down
    regularly regular recently lately currently nowadays days day week weeks month months
    area areas field fields sector sectors sphere spheres domain aspect aspects kind type
    types sort lot lots bit example examples case cases idea ideas word words story stories
    fact truly true false really honestly exactly precisely roughly approximately about
    around some much more less most least many few several enough whole entire certain
    next previous latest newest biggest largest smallest closest nearest best worst
    dominated dominate dominant pushes push pushed pitch pitches pitched itself himself
    herself themselves yourself myself ourselves lands landed landing swing breaks broke
    break ranks rank vows vowed caught catch crossfire rattle rattles rattled rhetoric
    recent recently mostly mainly largely partly friendly unfriendly hostile neighbour
    neighbours neighbor neighbors counterpart counterparts host hosts hosted sell sells sold
    buy buys bought threaten threatens threatened warn warns warned claim claims claimed
    argue argues argued signal signals signalled seek seeks sought aim aims aimed plan
    planned expect expected describe described consider considered view viewed treat
    treated depend depends rely relies face faces faced suffer suffers suffered benefit
    benefits gain gains lose loses lost win wins won fail fails failed manage managed
    handle handled solve solved fix fixed boost boosts boosted cut cuts raise raises
    raised lower lowered dollars dollar usd bucks tenge euros currency billions millions
    readout press release report reports reported reporting coverage article articles
    readers today tonight tomorrow yesterday everyone everybody nobody somebody things
    reaffirm affirm restate reiterate confirm respect protect guarantee ensure stress
    highlight note welcome express repeat pledge vow insist urge remain stays
    get got gotten give gave given go went gone make made take took taken come came see saw
    seen find found think thought say said tell told use used try tried work worked call
    called keep kept stay stayed become became want need mean meant put
    fell fallen rose risen grew grown began begun brought sent held led left collapse
    collapsed draw draws drawing drew era outside inside
    приехать приезжать приезжал приехал прибыл прибыть уехать поехать ездил ездить прилетел
    начать начал начали закончить продолжать продолжает стать сделать делать иметь имеет
    знать знает думать считать видеть смотреть сказать говорить рассказать объяснить
    спросить ответить получить получил получила дать дал дали взять взял брать хотеть
    мочь может могут должен должна должны нужно надо готов готова боится бояться опасается
    опасаться беспокоится тревожит хороший плохой большой маленький новый старый главный
    основной важный первый второй последний ранний поздний быстро медленно давно недавно
    всегда никогда часто иногда обычно уже еще снова опять особенно именно действительно
    вместе после перед против ради благодаря несмотря вокруг бьют бьет ударили ударить
    область области областях сфера сферы сферах направление направления направлениях
    аспект аспекты вид виды тип типы случай пример примеры
    сейчас сегодня недавно последнее последние последний главное основное
    затронули затрагивают затронуть отразились отражаются сказываются пострадал пострадала
    келді келу келген барды бару барған кетті жүр жүрді бастады бітті жасады жасау істеді
    істеу алды алу берді беру көрді көру қарады білді білу ойлайды айтады айтты сұрады
    жауап берді алды болды болады болған тұр тұрды қалды қалай жақсы жаман үлкен кіші
    жаңа ескі басты негізгі маңызды бірінші алғашқы соңғы ерте кеш тез баяу әрқашан
    доллар долларов доллара тенге евро январь января февраль марта апрель апреля май мая
    июнь июня июль июля август августа сентябрь сентября октябрь октября ноябрь ноября
    декабрь декабря қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан
    қараша желтоқсан болашақ тарт тарту бас сала салалар салаларда саласы саласында бағыт
    бағыттар кезең аяқталды басталды жүргізді жасалды істеді істеп істейді азайту азайтты
    болу жалғыз ешқашан жиі кейде әдетте қазірдің әлі тағы әсіресе бірге кейін бұрын қарсы қорқады
    қорқа алаңдайды
    """.split()
)

# Abbreviations people type, spelled out as the briefs write them.
ALIASES = {
    "fm": ("foreign", "minister"), "sec": ("secretary",), "secstate": ("secretary", "state"),
    "org": ("organization",), "orgs": ("organization",), "mfa": ("foreign", "ministry"),
    "nukes": ("nuclear", "weapons"),
    "nuke": ("nuclear", "weapons"), "jan": ("january",), "feb": ("february",),
    "mar": ("march",), "apr": ("april",), "jun": ("june",), "jul": ("july",),
    "aug": ("august",), "sep": ("september",), "sept": ("september",), "oct": ("october",),
    "nov": ("november",), "dec": ("december",),
}

_POSSESSIVE = re.compile(r"['’`]s\b")
_DECIMAL = re.compile(r"(\d)[.,](\d)")  # 58.8 and 37,2 stay one word: 58d8, 37d2
_APOSTROPHES = re.compile(r"['’`]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KAZAKH_LETTERS = frozenset("әғқңөұүһі")

# Kazakh endings, in the order they stack on a stem: plural, then possessive, then case (or
# a participle / past ending on a verb). `kazakh_stem` strips at most one of each, from the
# end inward, keeping at least KAZAKH_MIN_STEM letters:
#   case: genitive -ның/-нің/-дың/-дің/-тың/-тің, dative -ға/-ге/-қа/-ке/-на/-не,
#         locative -да/-де/-та/-те/-нда/-нде, ablative -дан/-ден/-тан/-тен/-нан/-нен,
#         accusative -ны/-ні/-ды/-ді/-ты/-ті/-ын/-ін, instrumental -мен/-бен/-пен,
#         relative -дағы/-дегі/-тағы/-тегі/-ндағы/-ндегі; verbs -ған/-ген/-қан/-кен,
#         -атын/-етін/-йтын/-йтін, -ады/-еді
#   possessive: -ы/-і/-сы/-сі/-ымыз/-іміз/-ың/-ің
#   plural: -лар/-лер/-дар/-дер/-тар/-тер
KAZAKH_CASE = tuple(sorted("""
    ның нің дың дің тың тің ға ге қа ке на не нда нде да де та те нан нен дан ден тан тен
    ны ні ды ді ты ті ын ін мен бен пен дағы дегі тағы тегі ндағы ндегі ған ген қан кен га
    атын етін йтын йтін ады еді
    """.split(), key=len, reverse=True))
KAZAKH_POSSESSIVE = ("ымыз", "іміз", "сы", "сі", "ың", "ің", "ы", "і")
KAZAKH_PLURAL = ("лар", "лер", "дар", "дер", "тар", "тер")
KAZAKH_MIN_STEM = 4
_VOICED = {"ғ": "қ", "г": "к", "б": "п"}
# Kazakh letters and the Russian letters people type for them on a Russian keyboard.
_KAZAKH_FOLD = str.maketrans("әғқңөұүһі", "агкноууhи")


def fold_kazakh(word: str) -> str:
    """Kazakh letters as their Russian look-alikes (қанша -> канша), for word lists."""
    return word.translate(_KAZAKH_FOLD)

LANG_DIR = Path(__file__).resolve().parent / "lang"


def read_pairs(name: str) -> dict[str, str]:
    """A word list of pairs (bot/lang/NAME: one pair a line, # comments)."""
    pairs = {}
    for line in (LANG_DIR / name).read_text("utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2:
            pairs[parts[0]] = parts[1]
    return pairs


# English names of peoples and their places share a stem: a Russian question is about Russia.
DEMONYMS = read_pairs("en_demonyms.txt")

_EN = snowballstemmer.stemmer("english")
_RU = snowballstemmer.stemmer("russian")


def normalize(text: str) -> str:
    """NFKC, casefold, ё→е, punctuation to spaces, collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", _POSSESSIVE.sub("", text))
    text = _DECIMAL.sub(r"\1d\2", text)
    return " ".join(default_process(text).split())


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """Latin transliteration of a normalized token (Токаев -> tokaev, ОДКБ -> odkb)."""
    latin = anyascii(token).lower()
    return "".join(ch for ch in latin if ch.isalnum())


def is_cyrillic(token: str) -> bool:
    """True for a word written in Cyrillic (Russian or Kazakh)."""
    return bool(_CYRILLIC.search(token))


def kazakh_stem(word: str) -> str:
    """Strip a Kazakh case, possessive and plural ending, in that order (Тоқаевтың -> тоқаев,
    реформаларын -> реформа)."""
    stripped = False
    for tier in (KAZAKH_CASE, KAZAKH_POSSESSIVE, KAZAKH_PLURAL):
        for ending in tier:
            if word.endswith(ending) and len(word) - len(ending) >= KAZAKH_MIN_STEM:
                word = word[: -len(ending)]
                stripped = True
                break
    if stripped and word[-1] in _VOICED:  # болашағын: болашақ + ын (қ voiced before a vowel)
        word = word[:-1] + _VOICED[word[-1]]
    return word


@lru_cache(maxsize=65536)
def stems(token: str) -> frozenset[str]:
    """A normalized word's stems as Latin skeletons: Snowball English for Latin words;
    Snowball Russian and the Kazakh ending table for Cyrillic ones (a Cyrillic word without
    Kazakh letters may be either language, so it gets both)."""
    if not is_cyrillic(token):
        if not token.isalpha():
            return frozenset()
        return frozenset({skeleton(_EN.stemWord(DEMONYMS.get(token, token)))})
    found = {_RU.stemWord(token)}
    if len(token) > KAZAKH_MIN_STEM:
        kk = kazakh_stem(token)
        if kk != token:
            found |= {kk, _RU.stemWord(kk)}
    found |= {fold_kazakh(s) for s in found}  # қарым meets карым, typed on a Russian keyboard
    return frozenset(s for s in map(skeleton, found) if len(s) >= 4)


def words(text: str) -> list[str]:
    """Normalized words of a text, stop words and greetings included."""
    return normalize(text).split()


@lru_cache(maxsize=1)
def _latin_stop_words() -> frozenset[str]:
    """Russian and Kazakh stop words as people type them in Latin letters (ili, chto, kak),
    except those that are English words too."""
    english = {w for w in STOP_WORDS | SOFT_WORDS | GENERIC_WORDS if not is_cyrillic(w)}
    latin = {skeleton(w) for w in STOP_WORDS if is_cyrillic(w)}
    latin |= {"chto", "pochemu", "skolko", "kakie", "kakoi", "kakoy", "gde", "kogda", "ili",
              "net", "eto", "dlya", "mezhdu", "protiv"}
    return frozenset(w for w in latin if len(w) >= 2) - english


NO_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType({})


def content_tokens(text: str, aliases: Mapping[str, tuple[str, ...]] = NO_ALIASES,
                   keep: frozenset[str] = frozenset()) -> list[str]:
    """Words that can carry a topic: not stop words or 1-character tokens (soft words stay);
    abbreviations spelled out (the language's and `aliases`, the topic's); `keep`: words
    never dropped as a Russian or Kazakh stop word typed in Latin letters (the topic's)."""
    out = []
    latin_stop = _latin_stop_words()
    for w in words(text):
        for word in aliases.get(w) or ALIASES.get(w, (w,)):
            if len(word) > 1 and word not in STOP_WORDS and (
                    word not in latin_stop or word in keep):
                out.append(word)
    return out


# Verb forms by their endings (verbs name no topic): Russian past tense (осудил, приезжали),
# infinitive (инвестировать), present tense of -ать/-ять/-овать verbs (влияет, поддерживают);
# Kazakh participles (шектесетін, келген), present tense (өндіріледі), converbs (барып) and the
# infinitive in the dative (салуға). Applied only to words no brief has (see the matcher):
# a noun caught here (капитал) can at worst lose its veto, never gain a brief.
_VERB_FORM = re.compile(
    r"""(?:
        [аяиеыу]л(?:а|о|и|ся|ась|ось|ись)?      # осудил, приезжала, вложили, обсуждались
      | (?:[ая]ть|еть|ить|ыть|овать|ировать)(?:ся)?   # объявить, инвестировать
      | (?:ает|яет|еет|ует|ают|яют|еют|уют)(?:ся)?    # влияет, поддерживают
      | (?:атын|етін|йтын|йтін|ған|ген|қан|кен)       # шектесетін, келген
      | (?:ады|еді|йды|йді)                           # өндіріледі, береді
      | (?:ып|іп|уға|уге)                             # барып, салуға
      | (?:уы|уі|уын|уін|уына|уіне|уда|уде|удан|уден)  # таңдауына, кіруін
      | (?:[аеоыіәөұүэюя][дт][ыі])                    # дамыды: after a vowel only a past
                                                     # tense (the accusative there is -ны;
                                                     # у and и count as consonants: қаруды)
      | (?:[^аеиоуыэюя]ли)                            # выросли: a Russian past after a
                                                     # consonant
      | (?:[^аеиоуыіәөұүэюя]ды|[^аеиоуыіәөұүэюя]ді
         |[^аеиоуыіәөұүэюя]ты|[^аеиоуыіәөұүэюя]ті)   # аяқталды, жіберді (6+ letters)
    )$""", re.VERBOSE)


_PAST = re.compile(r"[^аеиоуыіәөұүэюя][дт][ыі]$")


def is_verb_form(token: str) -> bool:
    """A Russian or Kazakh word whose ending marks it as a verb (5+ letters; a Kazakh past
    tense, which shares its ending with the accusative, 6+)."""
    if len(token) < 5 or not is_cyrillic(token) or not _VERB_FORM.search(token):
        return False
    return len(token) >= 6 or not _PAST.search(token)


# Verbs of a person's life are what off-topic questions about a name turn on ("Где родился
# Токаев?"): never soft, whatever their ending.
LIFE_WORDS = frozenset(
    """
    born birth birthday married marry wife husband died death age old children kids family
    родился родилась родиться рождения рожден родом женат женился жена муж замужем умер
    умерла возраст лет дети семья туған туды туылды үйленген әйелі күйеуі қайтыс жасы
    балалары отбасы
    """.split()
)


@lru_cache(maxsize=65536)
def is_filler(token: str) -> bool:
    """For a word no brief has: a verb form, or a stop or soft word typed with Russian
    letters for Kazakh ones (канша) or one letter off (сколко). Such a word carries no veto."""
    if token in LIFE_WORDS:
        return False
    if is_verb_form(token):
        return True
    folded = fold_kazakh(token)
    if folded in _folded_fillers():
        return True
    if len(token) < 5:
        return False
    near = process.extractOne(folded, _folded_fillers(), scorer=Levenshtein.distance,
                              score_cutoff=1)
    return near is not None


@lru_cache(maxsize=1)
def _folded_fillers() -> frozenset[str]:
    return frozenset(fold_kazakh(w) for w in STOP_WORDS | SOFT_WORDS | GENERIC_WORDS)


@lru_cache(maxsize=65536)
def is_soft(token: str) -> bool:
    """Generic question vocabulary, greetings, thanks and common verbs, adjectives and
    adverbs (see the module docstring)."""
    if token in LIFE_WORDS:
        return False
    if token in SOFT_WORDS or token in GENERIC_WORDS or kazakh_stem(token) in SOFT_WORDS:
        return True
    return bool(stems(token) & _soft_stems())


@lru_cache(maxsize=1)
def _soft_stems() -> frozenset[str]:
    """Stems of the soft and generic words (4+ letters, so short stems join nothing)."""
    return frozenset(s for w in SOFT_WORDS | GENERIC_WORDS for s in stems(w) if len(s) >= 4)


def same_root(a: str, b: str, prefix: int = 7) -> bool:
    """Two stems of one root: equal, or sharing their first `prefix` letters and 85 % of the
    shorter one (сотрудничают / сотрудничество; not visitor / visit)."""
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= prefix and shared >= 0.85 * min(len(a), len(b))


_HOW_MANY = re.compile(r"\b(?:how (?:many|much)|сколько|қанша|канша|неше)\b", re.IGNORECASE)


def asks_how_many(text: str) -> bool:
    """A question after a figure: "how many …", "сколько …", "қанша …", "неше …"."""
    return _HOW_MANY.search(text) is not None


_WHO = re.compile(r"\b(?:who|whom|кто|кого|кім|kto|kim)\b", re.IGNORECASE)
_NOW_OR_NEXT = re.compile(
    r"\b(?:current|currently|now|today|nowadays|replaced?|replaces|successor|succeeded|became"
    r"|become|сейчас|нынешн\w*|теперь|сменил\w*|заменил\w*|преемник\w*|стал[аи]?|станет"
    r"|қазір\w*|казир\w*|орнына)\b", re.IGNORECASE)


def asks_who_holds_office(text: str) -> bool:
    """"Who is the current …", "who replaced …", "кто стал … после": a question about who
    holds an office now or next, which dated briefs cannot answer."""
    return _WHO.search(text) is not None and _NOW_OR_NEXT.search(text) is not None


def small_talk(text: str) -> str | None:
    """"hello" or "thanks" for a message made only of greetings or thanks (and filler)."""
    ws = [w for w in words(text) if len(w) > 1 and w not in STOP_WORDS]
    if not ws or not all(w in HELLO_WORDS or w in THANKS_WORDS or w in ("much", "lot", "so",
                                                                          "very", "большое",
                                                                          "көп", "сізге")
                         for w in ws):
        return None
    return "thanks" if any(w in THANKS_WORDS for w in ws) else "hello"


def is_greeting(text: str) -> bool:
    """True for messages made only of greetings, thanks and filler ("hi!", "спасибо")."""
    return small_talk(text) is not None
