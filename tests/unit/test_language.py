"""The language of a text is guessed from its script, or from its function words, or left undetermined."""

# The sentences are in other languages and scripts on purpose; their letters are not look-alikes by mistake.
# ruff: noqa: RUF001

from __future__ import annotations

import time

import pytest

from newsalert.ingest.language import UNDETERMINED, detect_language
from newsalert.models import Article

# Two short news sentences per language, written for these tests.
LATIN_SCRIPT = {
    "en": [
        "The government said on Monday that it would raise the minimum wage after weeks of protests.",
        "Police closed the bridge for the night after a lorry hit one of its supports.",
    ],
    "fr": [
        "Le gouvernement a annoncé lundi une hausse du salaire minimum après des semaines de manifestations.",
        "La police a fermé le pont pour la nuit après qu'un camion a heurté un de ses piliers.",
    ],
    "de": [
        "Die Regierung hat am Montag angekündigt, den Mindestlohn nach wochenlangen Protesten zu erhöhen.",
        "Die Polizei sperrte die Brücke über Nacht, nachdem ein Lastwagen einen Pfeiler gerammt hatte.",
    ],
    "es": [
        "El gobierno anunció el lunes una subida del salario mínimo tras semanas de protestas en la capital.",
        "La policía cerró el puente durante la noche después de que un camión chocara con uno de sus pilares.",
    ],
    "it": [
        "Il governo ha annunciato lunedì un aumento del salario minimo dopo settimane di proteste.",
        "La polizia ha chiuso il ponte per la notte dopo che un camion ha urtato uno dei suoi piloni.",
    ],
    "pt": [
        "O governo anunciou na segunda-feira um aumento do salário mínimo após semanas de protestos.",
        "A polícia fechou a ponte durante a noite depois que um caminhão bateu em um dos seus pilares.",
    ],
    "nl": [
        "De regering heeft maandag aangekondigd dat het minimumloon wordt verhoogd na weken van protesten.",
        "De politie sloot de brug voor de nacht nadat een vrachtwagen tegen een van de pijlers was gereden.",
    ],
    "tr": [
        "Hükümet, haftalardır süren protestoların ardından asgari ücretin artırılacağını pazartesi günü açıkladı.",
        "Polis, bir kamyonun ayaklardan birine çarpması üzerine köprüyü gece boyunca trafiğe kapattı.",
    ],
    "id": [
        "Pemerintah mengumumkan pada hari Senin bahwa upah minimum akan dinaikkan setelah berminggu-minggu protes.",
        "Polisi menutup jembatan itu pada malam hari setelah sebuah truk menabrak salah satu tiangnya.",
    ],
    "pl": [
        "Rząd ogłosił w poniedziałek, że po tygodniach protestów podniesie płacę minimalną.",
        "Policja zamknęła most na noc, po tym jak ciężarówka uderzyła w jeden z filarów.",
    ],
    "sv": [
        "Regeringen meddelade på måndagen att minimilönen ska höjas efter veckor av protester.",
        "Polisen stängde bron över natten efter att en lastbil hade kört in i en av pelarna.",
    ],
    "da": [
        "Regeringen meddelte mandag, at mindstelønnen skal hæves efter ugers protester, og det blev godt modtaget.",
    ],
    "no": [
        "Regjeringen kunngjorde mandag at minstelønnen skal heves etter uker med protester, og det ble godt mottatt.",
    ],
    "vi": ["Chính phủ hôm thứ Hai đã thông báo tăng lương tối thiểu sau nhiều tuần biểu tình ở thủ đô."],
}

OTHER_SCRIPTS = {
    "ru": "Правительство в понедельник объявило о повышении минимальной зарплаты после протестов.",
    "uk": "Уряд у понеділок оголосив про підвищення мінімальної зарплати після кількох тижнів протестів.",
    "ar": "أعلنت الحكومة يوم الاثنين رفع الحد الأدنى للأجور بعد أسابيع من الاحتجاجات في العاصمة.",
    "fa": "دولت روز دوشنبه اعلام کرد که پس از هفته‌ها اعتراض در پایتخت، حداقل دستمزد را افزایش می‌دهد.",
    "bn": "কয়েক সপ্তাহের বিক্ষোভের পর সোমবার সরকার ন্যূনতম মজুরি বাড়ানোর ঘোষণা দিয়েছে।",
    "hi": "सरकार ने सोमवार को राजधानी में हफ्तों के विरोध प्रदर्शन के बाद न्यूनतम वेतन बढ़ाने की घोषणा की।",
    "zh": "政府周一宣布，在首都持续数周的抗议活动之后，将提高最低工资。",
    "ja": "政府は月曜日、首都での数週間にわたる抗議活動を受けて、最低賃金を引き上げると発表した。",
    "ko": "정부는 수도에서 몇 주간 시위가 이어진 끝에 월요일 최저임금 인상을 발표했다.",
    "el": "Η κυβέρνηση ανακοίνωσε τη Δευτέρα αύξηση του κατώτατου μισθού μετά από εβδομάδες διαμαρτυριών.",
    "he": "הממשלה הודיעה ביום שני על העלאת שכר המינימום לאחר שבועות של הפגנות בבירה.",
    "th": "รัฐบาลประกาศเมื่อวันจันทร์ว่าจะขึ้นค่าแรงขั้นต่ำหลังการประท้วงหลายสัปดาห์ในเมืองหลวง",
    "ta": "தலைநகரில் பல வாரங்கள் போராட்டங்களுக்குப் பிறகு குறைந்தபட்ச ஊதியத்தை உயர்த்துவதாக அரசு அறிவித்தது.",
}


@pytest.mark.parametrize(
    ("language", "sentence"),
    [(language, sentence) for language, sentences in LATIN_SCRIPT.items() for sentence in sentences],
)
def test_latin_script_languages_are_told_by_their_function_words(language: str, sentence: str) -> None:
    assert detect_language(sentence) == language


@pytest.mark.parametrize(("language", "sentence"), OTHER_SCRIPTS.items())
def test_other_scripts_name_their_language(language: str, sentence: str) -> None:
    assert detect_language(sentence) == language


def test_an_english_article_quoting_a_name_in_another_script_is_english() -> None:
    text = "Protesters in Moscow carried banners reading Москва, and the police said they would not intervene."

    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "2024-07-04 13:29", "Xi Jinping", "NATO", "Putin, Xi, Erdoğan", "🙂🙂🙂"],
)
def test_too_little_to_go_on_is_undetermined(text: str) -> None:
    assert detect_language(text) == UNDETERMINED


def test_undetermined_is_a_language_code_articles_accept() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 7, 4, tzinfo=UTC)

    article = Article.create(title="Xi Jinping", source="Wire", published=now, received_at=now, language=UNDETERMINED)

    assert article.language == "und"


def test_detection_is_fast_enough_for_every_article() -> None:
    text = " ".join(LATIN_SCRIPT["en"] * 40)
    started = time.perf_counter()

    for _ in range(1_000):
        detect_language(text)

    assert time.perf_counter() - started < 1.0  # well under a millisecond each


# A headline and its lead, as a feed item gives them: French full of elisions (l', d', qu') and
# of words other languages share ("a", "de", "la"), which read as Hungarian before the elided
# articles counted as French; English, Spanish and German saying the same thing.
HEADLINE_AND_LEAD = [
    (
        "fr",
        "Rutte souligne l'importance d'atteindre l'objectif\nLe secrétaire général a ouvert la réunion de La Haye "
        "en soulignant l'unité de l'alliance.",
    ),
    (
        "fr",
        "L'Élysée salue l'accord\nLa présidence a jugé l'entente «historique» à l'issue d'une nuit de "
        "négociations à Bruxelles.",
    ),
    (
        "en",
        "Rutte stresses the importance of reaching the goal\nThe secretary general opened the meeting in The Hague "
        "by stressing the unity of the alliance.",
    ),
    (
        "es",
        "Rutte subraya la importancia de alcanzar el objetivo\nEl secretario general abrió la reunión de La Haya "
        "destacando la unidad de la alianza.",
    ),
    (
        "de",
        "Rutte betont, wie wichtig das Ziel ist\nDer Generalsekretär eröffnete das Treffen in Den Haag und "
        "betonte die Einheit des Bündnisses.",
    ),
]


@pytest.mark.parametrize(("language", "text"), HEADLINE_AND_LEAD)
def test_a_headline_and_its_lead_are_enough_to_tell_french_from_english(language: str, text: str) -> None:
    assert detect_language(text) == language


def test_persian_is_told_from_arabic_by_its_yeh_and_kaf_without_its_own_four_letters() -> None:
    # No پ چ ژ گ here: only Persian's ی and ک separate it from Arabic.
    assert detect_language("وزیر خارجه ایران امروز در نشست سران کشورهای عضو سخنرانی کرد") == "fa"
    assert detect_language("ألقى وزير الخارجية كلمة في اجتماع قادة الدول الأعضاء اليوم") == "ar"
