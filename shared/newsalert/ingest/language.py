"""Guess the language of a news text, without dependencies and in microseconds.

Used only when nothing declares the language (not the item, the feed nor the source).
Two steps:

1. **Script.** Most writing systems belong to one language, or one main language
   among news outlets: Bengali script is ``bn``, Hangul ``ko``, Greek ``el``. Han
   characters are ``zh`` unless kana are mixed in (``ja``). Cyrillic and Arabic
   script are narrowed by the letters only some of their languages use.
2. **Stopwords**, for Latin script: the short function words ("the", "und", "của")
   that make up a large share of any running text and differ between languages.
   Each such word gives one point, shared among the languages that use it ("de" is
   French, Spanish, Portuguese and Dutch); letters only some languages use (``ß``,
   ``ł``, ``ğ``) add half a point each, shared in the same way.

The answer is an ISO 639-1 code, or ``"und"`` (undetermined, ISO 639-2) when the
text is too short or too evenly split to tell.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

UNDETERMINED = "und"

SAMPLE_LENGTH = 600
"""Characters read from the start of a text (about a hundred words): enough for a verdict, and cheap."""

MIN_STOPWORD_SCORE = 2.0
"""Below this, a Latin-script text gives too little evidence (a bare headline of names)."""

MIN_LEAD = 1.25
"""The winner's score must be this many times the runner-up's, or the text is undetermined."""

MIN_SCRIPT_SHARE = 0.4
"""The share of letters a non-Latin script needs to decide the language alone."""

# ---------------------------------------------------------------------------
# Scripts
# ---------------------------------------------------------------------------

LATIN = "latin"
HAN = "han"
KANA = "kana"
HANGUL = "hangul"
CYRILLIC = "cyrillic"
ARABIC = "arabic"
_CJK = frozenset({HAN, KANA, HANGUL})

# (first code point, last code point, script); sorted and non-overlapping.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, LATIN),  # ASCII letters, Latin-1, Latin Extended-A and -B
    (0x0370, 0x03FF, "el"),
    (0x0400, 0x052F, CYRILLIC),
    (0x0530, 0x058F, "hy"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, ARABIC),
    (0x0750, 0x077F, ARABIC),
    (0x0900, 0x097F, "hi"),  # Devanagari: Hindi first among its languages in news
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0A80, 0x0AFF, "gu"),
    (0x0B00, 0x0B7F, "or"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"),
    (0x0D00, 0x0D7F, "ml"),
    (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x0F00, 0x0FFF, "bo"),
    (0x1000, 0x109F, "my"),
    (0x10A0, 0x10FF, "ka"),
    (0x1100, 0x11FF, HANGUL),
    (0x1200, 0x139F, "am"),
    (0x1780, 0x17FF, "km"),
    (0x1E00, 0x1EFF, LATIN),  # Latin Extended Additional (Vietnamese)
    (0x1F00, 0x1FFF, "el"),
    (0x3040, 0x30FF, KANA),
    (0x3130, 0x318F, HANGUL),
    (0x3400, 0x4DBF, HAN),
    (0x4E00, 0x9FFF, HAN),
    (0xAC00, 0xD7AF, HANGUL),
    (0xF900, 0xFAFF, HAN),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
)
_RANGE_STARTS = [start for start, _, _ in _SCRIPT_RANGES]

# Letters that only some of the languages sharing a script use, most telling first.
_CYRILLIC_HINTS = (
    ("kk", "әғқңөұүһ"),
    ("uk", "їєґ"),
    ("be", "ў"),
    ("sr", "ђћџљњј"),
    ("mk", "ѓќѕ"),
)
_ARABIC_HINTS = (
    ("ur", "ٹڈڑںے"),
    # Persian's own letters, then its forms of yeh and kaf (Arabic writes ي and ك).
    ("fa", "پچژگیک"),
)
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _script_of(character: str) -> str | None:
    code = ord(character)
    index = bisect.bisect_right(_RANGE_STARTS, code) - 1
    if index < 0:
        return None
    start, end, script = _SCRIPT_RANGES[index]
    return script if start <= code <= end else None


def _script_counts(non_ascii_letters: list[str], all_letters: int) -> Counter[str]:
    """How many letters of each script there are; ASCII letters are Latin without a look-up each."""
    counts: Counter[str] = Counter()
    for character, occurrences in Counter(non_ascii_letters).items():  # a few dozen distinct letters
        script = _script_of(character)
        if script is not None:
            counts[script] += occurrences
    counts[LATIN] += all_letters - len(non_ascii_letters)
    return counts


def _narrow(text: str, hints: tuple[tuple[str, str], ...], default: str) -> str:
    for language, letters in hints:
        if any(letter in text for letter in letters):
            return language
    return default


def _language_of_script(script: str, counts: Counter[str], text: str) -> str:
    if script == CYRILLIC:
        lowered = text.lower()
        if "\u0456" in lowered and "\u044b" not in lowered:  # Ukrainian i and no yery (Belarusian has both)
            return "uk"
        return _narrow(lowered, _CYRILLIC_HINTS, "ru")
    if script == ARABIC:
        return _narrow(text, _ARABIC_HINTS, "ar")
    if script in _CJK:
        if counts[HANGUL] >= counts[HAN]:
            return "ko"
        # Japanese writes its grammar in kana between kanji; Chinese never uses kana.
        return "ja" if counts[KANA] * 10 >= counts[HAN] else "zh"
    return script  # the script's one language code


# ---------------------------------------------------------------------------
# Latin-script languages
# ---------------------------------------------------------------------------

_STOPWORDS: dict[str, str] = {
    "en": "the a an of and to in is that for on with as was at by from it be are has have had he she they "
    "this which but not were will said after their its who been would about over into than can more new",
    "fr": "le la les des du de et est une un dans pour que qui sur au aux par pas avec ce cette il elle "
    "ils sont ont été plus mais selon leur après où être lors à ses sa son ces leurs nous vous dont sans sous "
    "vers aussi déjà entre l d qu",
    "de": "der die das und ist nicht ein eine einen dem den des mit auf für von zu im sich auch es sie "
    "wird werden hat wurde nach bei aus dass noch über wie oder vor",
    "es": "el la los las de y que en un una del por con para es se su al lo como más pero sus fue han "
    "este esta según tras sobre entre ha ya también",
    "it": "il lo la gli le di e che un una del della dei delle per con non sono è nel nella al alla "
    "da dal più ma come anche dopo suo sua questo stato",
    "pt": "o a os as de do da dos das e que em um uma no na nos nas por para com não se ao foi mais "
    "mas seu sua pelo pela como também são após está",
    "nl": "de het een en van in is dat op te voor met niet zijn er aan ook als bij door maar om nog "
    "naar dan wordt werd heeft hebben deze die uit over",
    "tr": "bir ve bu da de için ile olarak çok daha ne gibi olan ama en kadar sonra ise değil her "
    "var yok göre ancak oldu bin yeni büyük",
    "id": "yang dan di dari ini itu dengan untuk tidak dalam akan pada juga ke karena oleh ada sudah "
    "telah bisa mereka kami atau seperti saat setelah tersebut",
    "pl": "i w nie na się z do że to jest o jak ale co od po przez dla za jego przy jej tym są był "
    "była było także który która oraz już",
    "sv": "och att det som en är på av för med till den inte har om de ett men var vi sig efter "
    "från också när kan ska eller hade mot",
    "da": "og at det som en er på af for med til den ikke har om de et men var vi sig efter fra "
    "også når kan skal eller havde mod blev",
    "no": "og at det som en er på av for med til den ikke har om de et men var vi seg etter fra "
    "også når kan skal eller hadde mot ble",
    "fi": "ja on ei se että oli hän mutta kun ovat myös tai joka mukaan vuoden kuin sekä hänen "
    "jälkeen nyt voi olisi olla",
    "ro": "și în de la cu pe că din nu un o este pentru care mai sau au fost ca sunt după acest această dar fi",
    "cs": "a v se na je že to s z do o jako ale pro by jsou bylo byl která který podle také jeho už jen při",
    "hu": "a az és hogy nem is egy meg van volt de csak ez már mint még után szerint pedig kell lesz között",
    "vi": "của và là các có được những trong cho với không người này đã một khi đến từ theo năm cũng để sẽ như",
}

# Letters only one or two of the candidate languages use.
_SIGNATURE_LETTERS: dict[str, str] = {
    "de": "äöüß",
    "fr": "àâçèêëîïôùûœ",
    "es": "ñ¿¡áíóú",
    "it": "àèìòù",
    "pt": "ãõçâêô",
    "tr": "ğışçöü",
    "pl": "łąężźśćń",
    "sv": "åäö",
    "da": "æøå",
    "no": "æøå",
    "fi": "äö",
    "ro": "ășțâî",
    "cs": "řěůčšžý",
    "hu": "őűáéó",
    "vi": "ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
}


def _shared_points(features: dict[str, list[str]], points: float) -> dict[str, tuple[tuple[str, float], ...]]:
    """Feature -> (language, its share of the points) for every language that has the feature."""
    languages_of: dict[str, list[str]] = defaultdict(list)
    for language, items in features.items():
        for item in items:
            languages_of[item].append(language)
    return {
        item: tuple((language, points / len(languages)) for language in languages)
        for item, languages in languages_of.items()
    }


_POINTS_OF_WORD = _shared_points({language: words.split() for language, words in _STOPWORDS.items()}, 1.0)
_POINTS_OF_LETTER = _shared_points({language: list(letters) for language, letters in _SIGNATURE_LETTERS.items()}, 0.5)
_WORD = re.compile(r"[^\W\d_]+")


def _latin_language(words: list[str], non_ascii_letters: list[str]) -> str:
    scores: dict[str, float] = defaultdict(float)
    for word in words:
        for language, points in _POINTS_OF_WORD.get(word, ()):
            scores[language] += points
    for letter in non_ascii_letters:
        for language, points in _POINTS_OF_LETTER.get(letter, ()):
            scores[language] += points
    ranked = sorted(scores.items(), key=lambda pair: pair[1], reverse=True)[:2]
    if not ranked or ranked[0][1] < MIN_STOPWORD_SCORE:
        return UNDETERMINED
    if len(ranked) == 2 and ranked[0][1] < ranked[1][1] * MIN_LEAD:
        return UNDETERMINED
    return ranked[0][0]


def detect_language(text: str) -> str:
    """The language ``text`` is written in, as an ISO 639-1 code, or ``"und"`` when unsure."""
    sample = text[:SAMPLE_LENGTH].lower()
    words = _WORD.findall(sample)
    if not words:
        return UNDETERMINED
    non_ascii_letters = [] if sample.isascii() else _NON_ASCII_LETTER.findall(sample)
    letters = sum(map(len, words))
    counts = _script_counts(non_ascii_letters, letters)
    # Han, kana and Hangul mix within one language, so they compete with other scripts as one.
    grouped = Counter({script: count for script, count in counts.items() if script not in _CJK})
    grouped[HAN] += sum(counts[script] for script in _CJK)
    script, count = max(grouped.items(), key=lambda pair: pair[1])
    if script != LATIN:
        if count / letters >= MIN_SCRIPT_SHARE:
            return _language_of_script(script, counts, sample)
        return UNDETERMINED
    return _latin_language(words, non_ascii_letters)
