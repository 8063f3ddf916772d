"""The written rule per watch topic (docs/classifier.md, "The rule per topic"), asserted on the
bundled taxonomy one rule at a time: for every rule the queries follow, a headline and lead that
must fire the topic and one that must not.

Each case is a class of articles, not one article: words for the topic in each language, names
in each language, salience (headline or lead), and the kinds of traps the rules name. Every
sentence here was written for these tests (none is a publisher's).
"""

# ruff: noqa: RUF001 - Cyrillic, Arabic and other letters that look Latin are the point of these tests.

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pytest

from newsalert.classify.taxonomy import Taxonomy, load_taxonomy
from newsalert.classify.topics import classify, explain
from newsalert.models import Article

WHEN = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


@cache
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def topics_of(title: str, summary: str = "", language: str = "en") -> set[str]:
    article = Article.create(
        title=title, summary=summary, source="test", published=WHEN, received_at=WHEN, language=language
    )
    return {match.topic for match in classify(article, taxonomy()).topics}


def reason(topic: str, title: str, summary: str = "", language: str = "en") -> str:
    article = Article.create(
        title=title, summary=summary, source="test", published=WHEN, received_at=WHEN, language=language
    )
    return next(verdict.reason for verdict in explain(article, taxonomy()) if verdict.topic == topic)


# (topic, language, title, lead, fires): what each rule makes fire, and what it must leave alone.
CASES = [
    # g7-g20: "other G7s and G20s (phones, cameras)"; "a group of 20 people" is a number, not the group.
    ("g7-g20", "en", "Panasonic Lumix G7 review: a small camera for travellers", "", False),
    ("g7-g20", "en", "Moto G20 arrives in shops", "The budget Motorola handset costs less than a dinner.", False),
    ("g7-g20", "en", "Police detain a group of 20 people after a brawl", "", False),
    ("g7-g20", "en", "G20 leaders meet in Johannesburg", "The summit opens with a debate on debt relief.", True),
    (
        "g7-g20",
        "fr",
        "Le Groupe des 20 adopte sa déclaration finale",
        "Les dirigeants se sont accordés dès samedi.",
        True,
    ),
    ("g7-g20", "hi", "जी-20 शिखर सम्मेलन में घोषणा पत्र पर सहमति", "", True),
    (
        "g7-g20",
        "de",
        "Gipfel der sieben großen Industriestaaten beginnt",
        "Die Staats- und Regierungschefs beraten über Handel und Sicherheit.",
        True,
    ),
    # sanctions: Spanish "sin embargo" is "however", never an embargo.
    (
        "sanctions",
        "es",
        "Sin embargo, Moscú insiste en que el bloque no apunta contra nadie",
        "El portavoz ruso habló con la prensa.",
        False,
    ),
    ("sanctions", "es", "Estados Unidos amplía el embargo contra Venezuela", "", True),
    # sanctions: "new sanctions on Russia" in the lead is the decision, not a passing word.
    (
        "sanctions",
        "es",
        "Los líderes se reúnen por videoconferencia",
        "Se comprometieron a aprobar nuevas sanciones a Rusia y a seguir apoyando a Kiev.",
        True,
    ),
    (
        "sanctions",
        "hi",
        "अमेरिका ने तेल आयात पर रोक लगाई",
        "राष्ट्रपति ने कहा कि आर्थिक प्रतिबंधों का यह पैकेज सबसे बड़ा है।",
        True,
    ),
    ("sanctions", "en", "Club fined after fans' sanctions protest", "The league imposed the penalty on Monday.", False),
    # climate-diplomacy: COP written "Cop30"; climate conference words in Hindi and Bengali.
    (
        "climate-diplomacy",
        "fr",
        "La Cop30 s'achève à Belém",
        "Les négociateurs ont trouvé un texte de compromis.",
        True,
    ),
    ("climate-diplomacy", "bn", "বাকুতে জলবায়ু সম্মেলন শুরু", "প্রায় দুইশো দেশের প্রতিনিধিরা অংশ নিচ্ছেন।", True),
    ("climate-diplomacy", "hi", "जलवायु वार्ता में वित्त पर बहस", "विकासशील देशों ने नई राशि की मांग की।", True),
    ("climate-diplomacy", "en", "Heatwave breaks records across Spain", "Temperatures reached 45 degrees.", False),
    # un: a UN climate conference is climate diplomacy unless the UN itself is a thread.
    ("un", "fr", "La Cop30, conférence climat de l'ONU, s'achève à Belém", "Un accord final a été adopté.", False),
    ("un", "ar", "ختام مؤتمر الأمم المتحدة للمناخ كوب 30 في البرازيل", "اتفقت الحكومات على نص نهائي.", False),
    # un: the UN as the source of population figures.
    (
        "un",
        "hi",
        "संयुक्त राष्ट्र के जनसंख्या अनुमान जारी",
        "संयुक्त राष्ट्र की रिपोर्ट के अनुसार देश की आबादी बढ़ी है।",
        False,
    ),
    ("un", "en", "UN population estimates show a shrinking Europe", "The United Nations figures cover 2050.", False),
    ("un", "en", "UN Security Council votes on a truce resolution", "The United Nations body met on Friday.", True),
    # geopolitics: the Security Council in every language; a German ceasefire; mediators.
    (
        "geopolitics",
        "de",
        "Im UNO-Sicherheitsrat scheitert ein Resolutionsentwurf",
        "Ein Staat legte sein Veto ein.",
        True,
    ),
    ("geopolitics", "zh", "安理会就停火决议草案进行表决", "", True),
    (
        "geopolitics",
        "ru",
        "Катар проведет встречу посредников по Газе",
        "В Дохе обсудят перемирие между Израилем и ХАМАС.",
        True,
    ),
    ("geopolitics", "zh", "二十國集團外長會呼籲彌合地緣政治分歧", "", True),
    # geopolitics, middle-east: an oil-price story with a crisis as its driver is a markets story.
    (
        "geopolitics",
        "en",
        "Oil rises on US-Iran tensions",
        "Brent gained two percent as traders watched the Gulf.",
        False,
    ),
    (
        "middle-east",
        "en",
        "Oil rises on US-Iran tensions",
        "Brent gained two percent as traders watched the Gulf.",
        False,
    ),
    ("middle-east", "es", "El precio del petróleo registra un aumento por Irán", "El Brent sube en Londres.", False),
    ("middle-east", "en", "Israel and Iran exchange strikes", "Tehran promised a response to the raids.", True),
    # geopolitics: a bloc's summit in the lead alone is as much geopolitics as it is the bloc's story.
    (
        "geopolitics",
        "de",
        "Mehr als 20 Staats- und Regierungschefs sind angereist",
        "Putin warb in Kasan für die Erweiterung der BRICS.",
        True,
    ),
    # sco (and geopolitics): a trade zone named after the SCO is not the organisation.
    ("sco", "zh", "中国-上海合作组织地方经贸合作示范区新项目开工", "", False),
    ("sco", "zh", "上海合作组织峰会在天津开幕", "", True),
    # china-russia: the relationship named in the headline; the gas pipeline's name in other languages.
    ("china-russia", "es", "Xi y Putin celebran su relación especial", "", True),
    ("china-russia", "fr", "Le gazoduc Force de Sibérie 2 relance les échanges", "Pékin et Moscou ont signé.", True),
    # china-russia: a Security Council vote both take part in is the UN's story.
    (
        "china-russia",
        "fa",
        "قطعنامه پیشنهادی روسیه و چین در شورای امنیت رد شد",
        "اعضای شورای امنیت به این متن رأی ندادند.",
        False,
    ),
    # nato: the alliance named twice, once as "the defence alliance".
    (
        "nato",
        "de",
        "Gipfel in Den Haag beginnt",
        "Der Nato-Generalsekretär empfängt die Gäste der Verteidigungsallianz.",
        True,
    ),
    ("nato", "de", "Türkei: Inflation steigt weiter", "Das Nato-Mitglied meldet höhere Preise.", False),
    # ukraine-war: a sanctions package or the shadow fleet, with Russia, in the headline or lead.
    (
        "ukraine-war",
        "de",
        "EU bereitet neues Sanktionspaket vor",
        "Es zielt auf die russische Schattenflotte und ihre Tanker.",
        True,
    ),
    ("ukraine-war", "zh", "欧盟对俄罗斯影子舰队油轮实施港口禁令", "", True),
    # ukraine-war: the Russian-Ukrainian talks; Kyiv in Hindi.
    ("ukraine-war", "ru", "Обмен пленными согласован", "В Стамбуле прошли российско-украинские переговоры.", True),
    ("ukraine-war", "hi", "रूस ने कीव पर ड्रोन से हमले किए", "", True),
    # ukraine-war: another bloc's summit with Ukraine as one thread, unless the headline has the war.
    (
        "ukraine-war",
        "fr",
        "Le sommet du G7 se termine sans accord",
        "Les dirigeants ont redit leur soutien à l'Ukraine et parlé commerce.",
        False,
    ),
    ("ukraine-war", "ru", "Саммит ШОС принял декларацию", "В тексте нет упоминания Украины и войны.", False),
    (
        "ukraine-war",
        "en",
        "G7 ministers call for a ceasefire in Ukraine",
        "The meeting in Canada ended on Tuesday.",
        True,
    ),
    # middle-east: UNRWA's story is the Palestinians'; Iran's nuclear file.
    ("middle-east", "en", "UNRWA warns of a funding gap", "The agency may cut schools and clinics next year.", True),
    ("middle-east", "en", "IAEA inspectors return to Iran", "The nuclear watchdog visited two sites in Iran.", True),
    # elections: results without the word "election"; pageants, student unions, sports federations.
    ("elections", "en", "Labour wins a landslide", "The party took a large majority of seats.", True),
    (
        "elections",
        "fr",
        "Élection de Miss France : la gagnante couronnée",
        "Le concours de beauté a eu lieu à Dijon.",
        False,
    ),
    ("elections", "hi", "छात्र संघ चुनाव में छात्र इकाई की जीत", "विश्वविद्यालय परिसर में जश्न मनाया गया।", False),
    ("elections", "ru", "Выборы президента Федерации хоккея прошли в Москве", "Новый глава избран единогласно.", False),
    ("elections", "hi", "सुरक्षा परिषद में मतदान", "भारत ने संयुक्त राष्ट्र सुरक्षा परिषद में मतदान किया।", False),
    ("elections", "ru", "Выборы в Госдуму: предварительные итоги", "ЦИК подсчитал половину бюллетеней.", True),
    # sanctions: German compounds, the shadow fleet and the oil price cap in every language.
    (
        "sanctions",
        "de",
        "Neue Energiesanktionen gegen Moskau",
        "Russland soll weniger Geld mit Öl verdienen.",
        True,
    ),
    ("sanctions", "ru", "G7 обсуждает потолок цен на российскую нефть", "", True),
    # sanctions: "sanctions on <state>" is side by side; a declaration rejecting sanctions in general is not.
    (
        "sanctions",
        "ru",
        "Саммит принял декларацию",
        "Документ закрепил неприятие односторонних санкций. Война, начатая РФ, в нем не упомянута.",
        False,
    ),
    # climate-diplomacy and un: COP with a space, or joined to Arabic كوب.
    ("climate-diplomacy", "fr", "Ce qu'il faut retenir de la COP 29 à Bakou", "", True),
    ("un", "ar", "الدول تقر اتفاقا في مؤتمر الأمم المتحدة للمناخ كوب28", "", False),
    # un: the UN as the source of labour figures or of a count.
    ("un", "en", "U.N.: global unemployment edges down", "The United Nations labour agency says so.", False),
    # elections: a press club's and a cricket board's votes.
    ("elections", "bn", "প্রেসক্লাবের নির্বাচনে নতুন সভাপতি", "", False),
    ("elections", "en", "Cricket board election ends in a tie", "Members voted on Monday.", False),
    # elections: Persian "قرار" is "placed", not an Arabic "resolution".
    ("elections", "fa", "نتایج انتخابات ریاست جمهوری اعلام شد", "شمارش آرا در دستور کار قرار گرفت.", True),
    # middle-east: sanctions on a state of the region; Iran's institutions in Persian stand for Iran.
    ("middle-east", "en", "Treasury widens sanctions on Iran's oil exports", "", True),
    ("middle-east", "fa", "انتخابات مجلس شورای اسلامی برگزار شد", "نتایج انتخابات فردا اعلام می‌شود.", True),
    # ukraine-war: a sanctions package on Iran is not the war; the shadow fleet without a state named is.
    ("ukraine-war", "ar", "الاتحاد الأوروبي يقر حزمة عقوبات جديدة على إيران", "", False),
    ("ukraine-war", "en", "EU lists 40 more shadow fleet tankers", "They may no longer enter its ports.", True),
    # ukraine-war: a UN body's vote on the offensive is the war's story.
    (
        "ukraine-war",
        "en",
        "General Assembly demands an end to the offensive in Ukraine",
        "The UN General Assembly vote was 93 to 18.",
        True,
    ),
    # sanctions: new sanctions imposed, in the lead; export controls by any name in the headline.
    (
        "sanctions",
        "hi",
        "अमेरिका का रुख कड़ा",
        "राष्ट्रपति ने मंगलवार को रूस के ख़िलाफ़ नए प्रतिबंध लगाए।",
        True,
    ),
    ("sanctions", "en", "US tightens chip export restrictions on China", "More firms join the Entity List.", True),
    ("geopolitics", "en", "US tightens chip export restrictions on China", "More firms join the Entity List.", True),
    # middle-east, geopolitics: an oil high is a markets story; the region's weather is not its politics.
    ("middle-east", "fa", "قیمت نفت به بیشترین میزان در دو سال رسید", "تنش در خلیج فارس ادامه دارد.", False),
    ("middle-east", "ar", "موجة حر تضرب الشرق الأوسط", "تحذيرات من درجات حرارة قياسية.", False),
    # elections: a conclave; a UN body's proposal in Bengali.
    ("elections", "bn", "নতুন পোপ নির্বাচনে কার্ডিনালরা ভ্যাটিকানে", "", False),
    (
        "elections",
        "bn",
        "নিরাপত্তা পরিষদে যুদ্ধবিরতির প্রস্তাব নিয়ে ভোট",
        "জাতিসংঘ নিরাপত্তা পরিষদে প্রস্তাবটি পাস হয়েছে।",
        False,
    ),
    # un: "UN figures" are a source.
    (
        "un",
        "de",
        "Weltbevölkerung wächst weiter",
        "Nach UN-Angaben leben bald neun Milliarden Menschen auf der Erde.",
        False,
    ),
    # elections: a chamber of commerce's vote.
    ("elections", "fa", "انتخابات اتاق بازرگانی امروز برگزار شد", "اعضای اتاق بازرگانی رای دادند.", False),
    ("elections", "en", "Chamber of commerce elections draw record turnout", "", False),
    # un: a UN report cited for poverty figures.
    ("un", "bn", "জাতিসংঘের প্রতিবেদনে দারিদ্র কমার কথা", "জাতিসংঘ বলছে অগ্রগতি হয়েছে।", False),
    # ukraine-war: the invasion in Spanish; the G7's oil price cap on Russia (war-related sanctions).
    (
        "ukraine-war",
        "es",
        "Rusia veta en el Consejo de Seguridad una condena de su invasión de Ucrania",
        "",
        True,
    ),
    ("ukraine-war", "en", "G7 weighs a lower price cap on Russian oil", "Leaders meet in Canada next week.", True),
    ("ukraine-war", "en", "G7 leaders discuss trade and AI", "They also said they support Ukraine.", False),
    # geopolitics: sanctions evasion by Russia's shadow fleet, in German compounds.
    (
        "geopolitics",
        "de",
        "Brüssel listet weitere Tanker der russischen Schattenflotte",
        "Die Schiffe umgehen die Energiesanktionen.",
        True,
    ),
    # middle-east: a chamber of commerce's vote in Tehran is not the country's election.
    ("middle-east", "fa", "انتخابات اتاق بازرگانی تهران برگزار شد", "اعضای اتاق بازرگانی رای دادند.", False),
    # elections: referendums in every language, run-offs, a re-election, a presidency or seats won.
    ("elections", "es", "El referéndum sobre la reforma se celebra el domingo", "", True),
    ("elections", "de", "Volksabstimmung über die Verfassung", "Die Wahllokale schließen um 18 Uhr.", True),
    ("elections", "en", "Two candidates head to the presidential run-off", "", True),
    ("elections", "en", "The governor wins the presidency with 52%", "", True),
    ("elections", "en", "Party secures an absolute majority", "The count ended overnight.", True),
    ("elections", "en", "Football association re-elected its president", "Members met in the capital.", False),
    ("elections", "en", "Firm wins majority stake in a rival", "", False),
    # un: the UN chief as a guest at an SCO or BRICS summit is the bloc's story; a club's general assembly.
    (
        "un",
        "en",
        "SCO summit opens in Tianjin",
        "Leaders of the member states and UN Secretary-General Antonio Guterres attend.",
        False,
    ),
    ("un", "en", "BRICS declaration calls for reform of the United Nations", "", False),
    ("un", "en", "Security Council meets on the sidelines of the BRICS summit", "", True),
    ("un", "en", "Members vote as the club's general assembly elects a board", "", False),
    # china-russia: three leaders meeting in the headline is a three-way summit.
    ("china-russia", "en", "Xi, Putin and Modi meet on the summit sidelines", "", False),
    ("china-russia", "en", "Xi and Putin meet in Beijing", "", True),
    # sanctions: an import ban on a state is an embargo by another name.
    ("sanctions", "hi", "अमेरिका ने रूस से तेल आयात पर बैन लगाया", "", True),
    ("sanctions", "en", "US bans imports of Russian oil", "The White House announced the step on Tuesday.", True),
    ("sanctions", "en", "Talks resume on lifting the sanctions the US has imposed on Iran", "", True),
    (
        "sanctions",
        "en",
        "Negotiators return to Oman",
        "The talks seek a deal in exchange for lifting sanctions the US has imposed on Iran over the years.",
        False,
    ),
    # middle-east: the region's own name in the lead carries the story.
    (
        "middle-east",
        "fr",
        "Le sommet s'achève plus tôt que prévu",
        "Le président est parti pour s'occuper de la crise au Moyen-Orient.",
        True,
    ),
    # ukraine-war (round 3): the war's words in English and beyond: a conflict, the battlefield, peace.
    (
        "ukraine-war",
        "en",
        "Kremlin studies a new plan to end the conflict with Ukraine",
        "Officials in Moscow gave no date for a reply.",
        True,
    ),
    (
        "ukraine-war",
        "en",
        "Factory in Ohio doubles its output of 155 mm rounds",
        "The shells are meant to meet Ukraine's needs on the battlefield this winter.",
        True,
    ),
    ("ukraine-war", "en", "Ukraine's national ballet opens its season in Lviv", "Tickets sold out in a day.", False),
    # ukraine-war: the Security Council or the General Assembly taking up Russia and Ukraine in the lead.
    (
        "ukraine-war",
        "en",
        "Security Council meets in emergency session",
        "The Security Council met at Ukraine's request after Russia moved more troops to its border.",
        True,
    ),
    (
        "ukraine-war",
        "ru",
        "Совбез ООН отклонил российский проект резолюции по Украине",
        "За документ проголосовали только два члена.",
        True,
    ),
    (
        "ukraine-war",
        "en",
        "Security Council renews its mission in South Sudan",
        "The vote was unanimous; Russia abstained on a separate text about Ukraine's grain.",
        False,
    ),
    # ukraine-war: the G7's cap on Russia's oil told with the verb, not the noun.
    ("ukraine-war", "en", "G7 ministers agree to cap Russian crude at a lower price", "", True),
    ("ukraine-war", "en", "G7 ministers agree to cap plastic waste exports", "", False),
    # ukraine-war: new sanctions on Russia in the headline are the war's (not when another state is their target).
    ("ukraine-war", "hi", "अमेरिका ने रूस पर नए प्रतिबंध लगाए", "तेल और गैस का आयात बंद होगा।", True),
    (
        "ukraine-war",
        "en",
        "EU sanctions Russia and Iran over drone deliveries",
        "Tehran's suppliers are listed too.",
        False,
    ),
    # ukraine-war: the conflict and its settlement in Russian, Chinese, Arabic, Persian and Hindi.
    ("ukraine-war", "ru", "Конфликт на Украине обсудят в Стамбуле", "", True),
    ("ukraine-war", "zh", "乌克兰冲突进入第三年", "", True),
    ("ukraine-war", "hi", "यूक्रेन संकट पर कूटनीति तेज", "", True),
    ("ukraine-war", "ru", "Украина выиграла конкурс молодых пианистов", "Жюри назвало победителя в Вене.", False),
    # ukraine-war: a Xi-Putin meeting is the relationship's story, unless the headline names Ukraine or
    # the lead speaks of settling the war.
    (
        "ukraine-war",
        "fr",
        "Xi Jinping reçoit Vladimir Poutine à Pékin",
        "Les deux hommes, que la guerre en Ukraine a rapprochés, ont signé des accords sur le gaz.",
        False,
    ),
    (
        "ukraine-war",
        "de",
        "Xi Jinping empfängt Wladimir Putin in Peking",
        "Beide sprachen über eine Lösung für den Krieg in der Ukraine und über Gaslieferungen.",
        True,
    ),
    (
        "ukraine-war",
        "en",
        "Putin and Xi discuss peace in Ukraine by video",
        "The call lasted an hour, the Kremlin said.",
        True,
    ),
    # china-russia: a third party's story in which the two are named, the one asked to press the other
    # or both counted in a vote (G7, G20, EU, NATO, the UN, a resolution), is not their relationship.
    (
        "china-russia",
        "en",
        "G7 foreign ministers ask China to lean on Russia over the war",
        "The statement also criticised Beijing's export controls.",
        False,
    ),
    (
        "china-russia",
        "fr",
        "Le texte rejeté par la Chine et la Russie",
        "Le projet de résolution sur la Syrie a recueilli neuf voix; Pékin et Moscou ont voté contre.",
        False,
    ),
    (
        "china-russia",
        "en",
        "EU adds Chinese suppliers to its list of Russia sanctions",
        "The European Union says the firms shipped drone parts to Moscow.",
        False,
    ),
    # china-russia: a joint word on the UN's place in the world order is still their relationship.
    (
        "china-russia",
        "en",
        "Xi and Putin pledge to deepen their partnership",
        "Both leaders said they would defend a world order with the United Nations at its centre.",
        True,
    ),
    # china-russia: the two drawing closer, even on the eve of another bloc's summit.
    (
        "china-russia",
        "de",
        "Russland und China nähern sich vor dem G20-Treffen weiter an",
        "Der Handel wächst, Moskau und Peking wollen ihre Energieprojekte ausbauen.",
        True,
    ),
    (
        "china-russia",
        "es",
        "Acercamiento entre China y Rusia en pleno debate sobre aranceles",
        "Pekín y Moscú firman acuerdos de gas y de pagos en yuanes.",
        True,
    ),
    # china-russia: Xi's surname alone beside Putin, in Persian, Russian, Hindi.
    ("china-russia", "fa", "گفت‌وگوی تلفنی شی و پوتین درباره همکاری", "دو رهبر درباره تجارت و انرژی گفتند.", True),
    (
        "china-russia",
        "ru",
        "Путин и Си провели переговоры по видеосвязи",
        "Лидеры обсудили торговлю и энергетику.",
        True,
    ),
    ("china-russia", "hi", "पुतिन और शी की मुलाकात, व्यापार पर चर्चा", "दोनों नेताओं ने ऊर्जा सौदों पर भी बात की।", True),
    ("china-russia", "ru", "Нота си бемоль в новой опере", "Премьера в Москве, гастроли в Китае осенью.", False),
    # middle-east (round 3): a state of the region named in the headline and again in the lead is the subject.
    (
        "middle-east",
        "de",
        "UN-Sicherheitsrat vertagt Syrien-Debatte",
        "Die Mitglieder konnten sich nicht auf einen Text zu Syrien einigen.",
        True,
    ),
    (
        "middle-east",
        "ru",
        "Постпред назвал голосование провалом",
        "Речь шла о проекте резолюции по Ближнему Востоку.",
        True,
    ),
    ("middle-east", "hi", "इसराइल और हमास के बीच संघर्षविराम की घोषणा", "", True),
    ("middle-east", "de", "Parlamentswahl im Irak: Auszählung dauert an", "", True),
    # middle-east: a headline about the oil price or the markets is the markets' story; the World Cup is
    # sport; a delegation to a COP is climate diplomacy.
    (
        "middle-east",
        "fr",
        "Le baril de Brent recule malgré la tension avec l'Iran",
        "Les marchés restent nerveux.",
        False,
    ),
    ("middle-east", "de", "Ölpreis klettert wegen der Lage in Nahost", "Die Händler sind nervös.", False),
    (
        "middle-east",
        "en",
        "Oil eases as Iraq resumes exports",
        "Iraqi crude flows again through the southern pipeline.",
        False,
    ),
    # middle-east: Spanish "Mundial" is the World Cup only as "el Mundial"; the World Food Programme is not.
    (
        "middle-east",
        "es",
        "El Programa Mundial de Alimentos suspende la ayuda en Gaza",
        "Los camiones no pueden entrar en la Franja de Gaza.",
        True,
    ),
    ("middle-east", "es", "Irán se despide del Mundial", "La selección de Irán perdió ante Gales.", False),
    # middle-east: barrels counted in a seizure are not a price headline.
    (
        "middle-east",
        "en",
        "Iran seizes a tanker carrying two million barrels",
        "Iranian forces took the ship in the Gulf of Oman.",
        True,
    ),
    ("middle-east", "en", "Iran knocked out of the World Cup qualifiers", "Iraq won 2-0 in Basra.", False),
    ("middle-east", "fa", "هیئت ایران در نشست کاپ ۲۹ شرکت می‌کند", "نمایندگان ایران به باکو می‌روند.", False),
    # un (round 3): named in the headline, or twice in the headline and lead; once in passing is not enough.
    (
        "un",
        "en",
        "Refugee agency may halt its work within weeks",
        "UNRWA says it needs new funds by March; the UN agency can no longer pay its teachers.",
        True,
    ),
    ("un", "en", "Trade ministers meet in Geneva", "A UN official attended as an observer.", False),
    ("un", "bn", "রাষ্ট্রসংঘে যুদ্ধবিরতির প্রস্তাব পাস", "", True),
    # un: a veto on a resolution is the Security Council's; countries voting on a resolution, the Assembly's.
    (
        "un",
        "fr",
        "Moscou bloque le texte sur le Yémen",
        "La Russie a opposé son véto à la résolution britannique.",
        True,
    ),
    ("un", "ar", "تصويت واسع على وقف إطلاق النار", "صوتت 150 دولة لصالح مشروع القرار.", True),
    ("un", "en", "President vetoes the pension bill", "Deputies may override the veto next week.", False),
    # un: a UN climate conference is climate diplomacy's unless the Secretary-General is a thread.
    ("un", "en", "UN climate talks in Bonn end without a deal", "Negotiators left finance for the next COP.", False),
    ("un", "zh", "联合国气候变化大会在巴库闭幕", "各国就气候资金达成协议。", False),
    # g7-g20 (round 3): the G20 in Persian and Bengali digits; the G20 told as the industrialised and
    # emerging economies.
    ("g7-g20", "fa", "بیانیه پایانی اجلاس گروه-۲۰ منتشر شد", "", True),
    ("g7-g20", "fa", "گروه ۲۰ نفره کوهنوردان به قله رسید", "", False),
    ("g7-g20", "bn", "জি-২০ সম্মেলনে বিশ্বনেতারা", "", True),
    (
        "g7-g20",
        "de",
        "Gipfel der Industrie- und Schwellenländer endet mit Erklärung",
        "Beim Gipfel einigten sich die Industriestaaten und großen Schwellenländer auf Schuldenhilfe.",
        True,
    ),
    ("g7-g20", "de", "Schwellenländer locken Investoren", "Die Börsen in Asien legen zu.", False),
    ("g7-g20", "en", "Emerging economies outgrow industrialised nations again", "The IMF sees a wider gap.", False),
    # g7-g20 (round 6): the OECD's figures for the G7 or G20 economies are statistics, not the group, unless a
    # summit or its ministers are in the headline or lead; Hindi product words beside a Latin G7 (the Moto G7 series).
    ("g7-g20", "fr", "Croissance solide pour les pays du G7, selon l'OCDE", "", False),
    ("g7-g20", "ar", "منظمة التعاون الاقتصادي والتنمية: نمو اقتصادات مجموعة العشرين يتباطأ", "", False),
    ("g7-g20", "fr", "L'OCDE présente ses prévisions au sommet du G20", "", True),
    (
        "g7-g20",
        "hi",
        "Moto G7 सीरीज के नए फोन जल्द आएंगे",
        "पिछले कई हफ्तों से खबरों में रहने के बाद अब G7 सीरीज की तस्वीरें लीक हुई हैं।",
        False,
    ),
    ("g7-g20", "hi", "G7 देशों के नेताओं की बैठक शुरू", "", True),
    # climate-diplomacy (round 3): climate finance and loss and damage in every language; COP 21 to 25;
    # the COP in Persian beside a meeting.
    ("climate-diplomacy", "de", "Streit um Klimafinanzierung in Bonn", "Ärmere Länder fordern mehr Geld.", True),
    (
        "climate-diplomacy",
        "fr",
        "Un fonds pour les pertes et dommages adopté",
        "Les pays pauvres recevront une aide après les catastrophes.",
        True,
    ),
    ("climate-diplomacy", "fa", "نشست کاپ ۲۹ در باکو آغاز شد", "", True),
    ("climate-diplomacy", "fa", "تیم ملی در سوپر کاپ آسیا", "", False),
    ("climate-diplomacy", "de", "Schäden nach dem Unwetter in Bayern", "Verluste für die Landwirte.", False),
    (
        "climate-diplomacy",
        "fr",
        "Tempête: les assureurs chiffrent les pertes et dommages",
        "Les pertes et dommages déclarés dépassent 300 millions d'euros.",
        False,
    ),
    # sanctions (round 3): the G7's cap on Russian oil told with the verb; OFAC and the Entity List are
    # the US sanctions machinery; a Venezuelan target.
    ("sanctions", "en", "G7 moves to cap Russian oil at $45 a barrel", "", True),
    (
        "sanctions",
        "es",
        "La OFAC designa a cinco funcionarios venezolanos",
        "El Tesoro congela sus bienes en Estados Unidos.",
        True,
    ),
    ("sanctions", "zh", "华为回应美国禁令", "美国商务部将华为列入实体名单。", True),
    ("sanctions", "en", "Russia caps prices on bread before winter", "Bakers say the rule hurts them.", False),
    # elections (round 3): German compounds for city and local votes; Russia's central election commission;
    # a church council choosing its patriarch; countries voting on a draft resolution (the UN's story).
    ("elections", "de", "Bürgerschaftswahl in Bremen: SPD klar vorn", "", True),
    ("elections", "ru", "Центризбирком назвал первые итоги", "Партия власти набирает больше половины.", True),
    ("elections", "ru", "Явка с повинной помогла следствию", "Подозреваемый сам пришел в полицию.", False),
    ("elections", "ru", "Собор Церкви избрал патриарха тайным голосованием", "", False),
    ("elections", "ar", "صوتت 140 دولة لصالح مشروع قرار بشأن غزة", "وامتنعت 20 دولة عن التصويت.", False),
    # geopolitics (round 3): "six nations" invited to a bloc is not the rugby tournament; BRICS as an
    # investment category and the BRICS bank's loans outside a summit are not relations between states.
    (
        "geopolitics",
        "en",
        "BRICS invites six nations to join the bloc",
        "Leaders agreed on the enlargement at their summit.",
        True,
    ),
    ("geopolitics", "en", "Best BRICS ETFs for investors this year", "Funds that track the bloc's markets.", False),
    (
        "geopolitics",
        "en",
        "New Development Bank lends $500 million to India",
        "The BRICS bank will fund roads and water projects.",
        False,
    ),
    (
        "geopolitics",
        "en",
        "BRICS summit weighs a bigger New Development Bank",
        "Leaders also discussed paying each other in local currencies.",
        True,
    ),
    (
        "geopolitics",
        "en",
        "Investors pull out of Russia as new sanctions bite",
        "The EU package targets Russian banks.",
        True,
    ),
    # geopolitics: the price cap on Russian oil is sanctions between states, even with "barrel" in the
    # headline; an oil-price headline otherwise is the markets' story.
    ("geopolitics", "en", "G7 agrees a $60 price cap on Russian oil barrels", "", True),
    (
        "geopolitics",
        "fr",
        "Le baril de Brent grimpe après des frappes en Iran",
        "Les marchés redoutent une escalade.",
        False,
    ),
    # geopolitics: Israel striking another state of the region; US sanctions through OFAC; a ceasefire in Hindi.
    ("geopolitics", "ru", "Израиль нанес удар по Дохе", "Катар осудил атаку на своей территории.", True),
    ("geopolitics", "en", "OFAC designates three Venezuelan officials", "", True),
    ("geopolitics", "hi", "इजरायल और हमास के बीच युद्ध विराम खत्म", "", True),
    # sco: its Arabic spellings (شنغهاى, شنجهاي) and "the Shanghai summit".
    ("sco", "ar", "قمة شنغهاي تدعو إلى وقف إطلاق النار", "", True),
    ("sco", "ar", "أعضاء منظمة شنغهاى للتعاون يجتمعون في إسلام آباد", "", True),
    # middle-east: a bloc's summit is the region's story when its headline names the conflict.
    ("middle-east", "ar", "قمة شنغهاي تدين قصف المدنيين في غزة", "", True),
    ("middle-east", "en", "Iran joins the SCO as its tenth member", "The bloc welcomed Tehran at its summit.", False),
    # middle-east: the region's states and movements named in every language (Jordan, Hezbollah, Oman...).
    ("middle-east", "ru", "Иордания и Египет обсудили гуманитарную помощь", "", True),
    ("middle-east", "bn", "হিজবুল্লাহর নতুন প্রধান ঘোষণা", "", True),
    (
        "middle-east",
        "es",
        "Jordania acoge una cumbre sobre refugiados",
        "El rey de Jordania recibe a ministros de la región.",
        True,
    ),
    ("middle-east", "en", "Jordan scores 40 points in the final", "The crowd in Chicago stood for minutes.", False),
    # ukraine-war (round 4): the war's words the languages lacked near Ukraine (support, peace, the
    # military, a ceasefire); its president stands for Ukraine as Kyiv does.
    ("ukraine-war", "bn", "ইউক্রেনে শান্তি ফেরাতে ইউরোপের মন্ত্রীদের বৈঠক", "", True),
    ("ukraine-war", "ru", "Генассамблея призвала к прекращению огня в Украине", "", True),
    ("ukraine-war", "es", "Zelenski pide más defensa aérea a sus aliados", "Los misiles rusos golpearon Járkov.", True),
    ("ukraine-war", "bn", "ইউক্রেনের শিল্পীরা লন্ডনে চিত্র প্রদর্শনী করছেন", "", False),
    # ukraine-war: a bloc's meeting is the war's story when its headline or lead names Russia and
    # Ukraine together, Russia's drones, Russia's frozen assets, the price cap or Russia's aggression,
    # or keeps coming back to Ukraine.
    ("ukraine-war", "ru", "Министры G7 обсудили Украину и Россию", "Встреча прошла в Канаде.", True),
    ("ukraine-war", "en", "G7 finance chiefs near a deal on frozen Russian assets", "A loan would go to Kyiv.", True),
    ("ukraine-war", "zh", "七国集团下周公布俄油价格上限", "", True),
    ("ukraine-war", "en", "NATO scrambles jets as Russian drones enter Polish airspace", "", True),
    (
        "ukraine-war",
        "fr",
        "Les chefs du G7 réunis en Italie",
        "Ils condamnent l'agression de la Russie et promettent de rester unis.",
        True,
    ),
    (
        "ukraine-war",
        "en",
        "NATO ministers meet in Brussels",
        "Ukraine was on the agenda. Ukraine's minister joined them. Allies pledged more shells for Ukraine.",
        True,
    ),
    ("ukraine-war", "en", "G7 ministers agree on frozen accounts of tax evaders", "", False),
    (
        "ukraine-war",
        "de",
        "NATO-Gipfel in Den Haag beschließt höhere Verteidigungsausgaben",
        "Die Ukraine kam kaum vor.",
        False,
    ),
    # ukraine-war: EU sanctions on Russia in the headline, with the EU's name between the two.
    ("ukraine-war", "ar", "عقوبات الاتحاد الأوروبي الجديدة على روسيا تبدأ اليوم", "", True),
    ("ukraine-war", "ar", "عقوبات الاتحاد الأوروبي الجديدة على إيران تبدأ اليوم", "", False),
    # ukraine-war (round 5): a bloc's summit is the war's story when Zelensky is in its headline or
    # Ukraine's joining NATO in its headline or lead; not a summit with Ukraine in passing, nor another
    # state's NATO membership, nor "a NATO member" beside Ukraine.
    (
        "ukraine-war",
        "en",
        "Zelensky lands in Italy for the G7 summit",
        "The leaders meet for two days by the sea.",
        True,
    ),
    ("ukraine-war", "fr", "Au sommet de l'Otan, Zelensky rencontre les alliés", "", True),
    ("ukraine-war", "ru", "НАТО пригласит Украину вступить в альянс", "Решение примут лидеры на саммите.", True),
    ("ukraine-war", "fa", "دبیرکل ناتو: اوکراین باید عضو این ائتلاف شود", "", True),
    (
        "ukraine-war",
        "en",
        "Sweden joins NATO after Turkey lifts its veto",
        "Stockholm's membership ends years of neutrality.",
        False,
    ),
    (
        "ukraine-war",
        "en",
        "G7 summit opens by the sea",
        "Trade tops the agenda; Ukraine's finance minister also attends.",
        False,
    ),
    ("ukraine-war", "en", "NATO member Romania ships Ukrainian grain to Egypt", "", False),
    # ukraine-war: the war named beside Ukraine in a bloc's or a UN agency's lead when Ukraine is also in
    # the headline or named twice, "the situation in Ukraine" (the UN's name for the war), the Zaporizhzhia
    # nuclear plant; not a summit whose lead names the war once among its topics, an SCO or BRICS story
    # with the war as background, the Council on another country, nor the IAEA at another plant.
    (
        "ukraine-war",
        "ru",
        "СБ ООН обсудит беженцев из Украины",
        "Война в Украине подняла число беженцев в мире до рекорда.",
        True,
    ),
    ("ukraine-war", "zh", "北约工业论坛讨论乌克兰", "弹药产量的变化可能重塑乌克兰战场格局。", True),
    (
        "ukraine-war",
        "en",
        "G7 leaders meet in the Alps",
        "Tariffs, migration and the war in Ukraine divide the seven on the first day.",
        False,
    ),
    ("ukraine-war", "zh", "安理会就乌克兰局势举行紧急会议", "", True),
    ("ukraine-war", "en", "IAEA chief to visit the Zaporizhzhia NPP", "Inspectors will rotate at the site.", True),
    (
        "ukraine-war",
        "fr",
        "Les fonds indexés sur les BRICS ferment",
        "La guerre en Ukraine n'est pas la seule cause.",
        False,
    ),
    ("ukraine-war", "zh", "安理会讨论苏丹局势", "乌克兰代表也发了言。", False),
    ("ukraine-war", "en", "IAEA chief to visit Iran's Bushehr plant", "Inspectors will rotate at the site.", False),
    # ukraine-war: a bloc's headline naming Ukraine with aid for Ukraine in its lead; a sanctions package
    # in the headline in Hindi; the price cap in Russian words beside Russia.
    ("ukraine-war", "hi", "जी-7 नेताओं ने कहा, वे यूक्रेन के साथ हैं", "नेताओं ने यूक्रेन को नए समर्थन का वादा किया।", True),
    ("ukraine-war", "hi", "यूरोपीय संघ ने प्रतिबंधों का एक नया पैकेज अपनाया", "", True),
    ("ukraine-war", "ru", "G7 ужесточит ценовой лимит на российскую нефть", "", True),
    ("ukraine-war", "hi", "यूरोपीय संघ ने ईरान पर प्रतिबंधों का एक नया पैकेज अपनाया", "", False),
    ("ukraine-war", "ru", "Ценовой потолок на бензин продлят до весны", "Так решили власти региона.", False),
    # ukraine-war: China, Iran or North Korea giving Russia military support; Russian drones in another
    # state's airspace; a Xi-Putin meeting whose lead speaks of ending the war. Not Russia's own military
    # support for another state, drones with no Russia, nor a Xi-Putin meeting about gas.
    ("ukraine-war", "zh", "美国商务部将多家中国企业列入出口管制清单", "理由是它们向俄罗斯提供军事支援。", True),
    ("ukraine-war", "fa", "اتحادیه اروپا در پی پشتیبانی نظامی ایران از مسکو اقدام می‌کند", "", True),
    ("ukraine-war", "ru", "Польша: российские дроны нарушили воздушное пространство", "", True),
    (
        "ukraine-war",
        "de",
        "Xi und Putin treffen sich in Moskau",
        "Peking soll helfen, den Angriffskrieg gegen die Ukraine zu beenden.",
        True,
    ),
    ("ukraine-war", "en", "Russia pledges military support to Mali's junta", "Moscow will send instructors.", False),
    ("ukraine-war", "en", "Drones close the airspace over a Danish airport", "Police look for the operators.", False),
    (
        "ukraine-war",
        "de",
        "Xi und Putin treffen sich in Moskau",
        "Russland und die Ukraine waren kein Thema, es ging um Gas.",
        False,
    ),
    # ukraine-war: a sports body's sanctions on a Russian club or Russian athletes, and Eurovision or
    # football in a headline in any language, are not the war; a state's sanctions on Russia are.
    ("ukraine-war", "en", "UEFA sanctions a Russian club over racist chants", "", False),
    ("ukraine-war", "ru", "РУСАДА оспорило санкции против российских спортсменов", "", False),
    ("ukraine-war", "es", "Ucrania gana Eurovisión en plena guerra", "", False),
    ("ukraine-war", "en", "EU sanctions Russian banks over the invasion", "", True),
    # ukraine-war: a headline about the oil price is the markets' story even when the war drives it,
    # unless it caps Russia's oil.
    ("ukraine-war", "fa", "جنگ اوکراین قیمت نفت را بالا برد", "", False),
    ("ukraine-war", "en", "Oil prices jump as the war in Ukraine escalates", "", False),
    ("ukraine-war", "en", "Oil prices steady as the G7 caps Russian crude", "", True),
    ("ukraine-war", "en", "EU sanctions on Russia add an oil price ceiling", "", True),
    # ukraine-war: a building in Ukraine "was struck" is the war; Ukraine that "struck a deal" is not.
    ("ukraine-war", "en", "A residential building in Kyiv was struck overnight", "Rescuers searched the rubble.", True),
    ("ukraine-war", "en", "Ukraine struck a deal with the IMF on Friday", "The loan supports the budget.", False),
    # ukraine-war (round 6): culture with the war as backdrop (a ballet's tour, a concert, artists) unless
    # the headline has the war hitting it; a Model UN; Eurovision in the lead.
    ("ukraine-war", "en", "Russian ballet company cancels its UK tour over the Ukraine crisis", "", False),
    (
        "ukraine-war",
        "en",
        "Missile strike damages Kharkiv opera theatre",
        "Russian missiles hit the city centre overnight.",
        True,
    ),
    ("ukraine-war", "bn", "ইউক্রেনের জন্য কনসার্ট", "যুদ্ধের সংকটে ইউক্রেনের পাশে দাঁড়াতে শিল্পীরা গান গাইলেন।", False),
    ("ukraine-war", "ru", "Студенты обсудили конфликт России и Украины на модели ООН", "", False),
    (
        "ukraine-war",
        "fr",
        "Le président ukrainien salue la victoire de son pays",
        "L'Ukraine accueillera l'Eurovision, libre et en paix.",
        False,
    ),
    # ukraine-war (round 6): support in Chinese (支持), an Arabic raid (غارة), the annexation of Ukraine's regions,
    # Kyiv spelled کی یف and a prisoner exchange in Persian, Russia's drones in Hindi's plural (ड्रोन्स), China's
    # military aid to Russia as 军援; annexation, drones or military aid elsewhere are not the war.
    ("ukraine-war", "zh", "北约秘书长访问基辅表示支持乌克兰", "", True),
    ("ukraine-war", "ar", "غارة ليلية تستهدف مدينة كييف", "", True),
    ("ukraine-war", "en", "The Assembly condemns the annexation of four Ukrainian regions", "", True),
    ("ukraine-war", "en", "Texas marks the anniversary of its annexation", "", False),
    ("ukraine-war", "fa", "توافق مسکو و کی یف بر سر تبادل زندانیان", "", True),
    ("ukraine-war", "hi", "रूस के ड्रोन्स पोलैंड के हवाई क्षेत्र में घुसे", "", True),
    ("ukraine-war", "hi", "शादी में ड्रोन्स से फूलों की बारिश", "", False),
    ("ukraine-war", "zh", "美国制裁多家中国企业", "美方担忧中国军援俄罗斯。", True),
    ("ukraine-war", "zh", "中国军援非洲国家", "", False),
    # ukraine-war (round 6): a bloc's statement is the war's when its lead names "Angriffskrieg" beside Ukraine,
    # or aid or support for Ukraine with Ukraine named twice; China and Russia in a headline with Russia's
    # aggression in the lead; the G7's cap on Russia's oil in Bengali (দাম বেঁধে), not a price fixed at home.
    (
        "ukraine-war",
        "de",
        "G7-Gipfel endet mit Abschlusserklärung",
        "Ukraine: Die G7 verurteilen erneut den Angriffskrieg gegen die Ukraine.",
        True,
    ),
    (
        "ukraine-war",
        "de",
        "G7-Gipfel endet mit Abschlusserklärung",
        "Die G7 sprechen über Handel und die Ukraine.",
        False,
    ),
    (
        "ukraine-war",
        "en",
        "G7 foreign ministers issue a joint statement",
        "They discussed Ukraine's security and reaffirmed support for Ukraine's independence.",
        True,
    ),
    (
        "ukraine-war",
        "en",
        "G7 foreign ministers issue a joint statement",
        "They reaffirmed support for free trade and discussed Ukraine.",
        False,
    ),
    (
        "ukraine-war",
        "en",
        "China and India abstain as the Assembly votes against Russia",
        "The resolution deplores Russia's aggression against Ukraine.",
        True,
    ),
    (
        "ukraine-war",
        "en",
        "China and Russia deepen trade ties",
        "Trade has grown since the war in Ukraine began.",
        False,
    ),
    ("ukraine-war", "bn", "রাশিয়ার তেলের দাম বেঁধে দিল জি-৭", "", True),
    ("ukraine-war", "bn", "চালের দাম বেঁধে দিল সরকার", "", False),
    # ukraine-war (round 6): the war named only as a date (its anniversary, its third year, the first visit
    # since it began) in a Xi-Putin headline or a bloc's headline is not the war's story; aid or peace is.
    (
        "ukraine-war",
        "en",
        "Xi and Putin hold a video call days before the anniversary of the invasion of Ukraine",
        "The two leaders praised their partnership.",
        False,
    ),
    ("ukraine-war", "en", "Xi and Putin discuss a peace plan for Ukraine", "", True),
    ("ukraine-war", "en", "NATO deepens ties with Pacific partners in the third year of the war in Ukraine", "", False),
    ("ukraine-war", "en", "NATO pledges air defence for Ukraine in the third year of the war", "", True),
    ("ukraine-war", "hi", "शी जिनपिंग और पुतिन की मुलाकात, यूक्रेन युद्ध के बाद पहला दौरा", "", False),
    # ukraine-war (round 6): China, Iran or North Korea supplying drones, missiles or shells to Russia is military
    # support; the price cap and Russia in a bloc's headline, however far apart, are the war's sanctions.
    ("ukraine-war", "en", "EU punishes Iranian officials for supplying drones to Russia", "", True),
    ("ukraine-war", "en", "A start-up is supplying drones to farmers in Kenya", "", False),
    ("ukraine-war", "en", "Russia has reportedly sold crude to India above the G7-imposed price cap", "", True),
    ("ukraine-war", "en", "G7 ministers weigh a price cap on shipping fees", "", False),
    # china-russia (round 4): Xi and Putin meeting, talking or calling in the headline is their story,
    # at a bloc's summit too; their foreign ministers or premiers meeting each other in the lead.
    ("china-russia", "en", "Xi Jinping and Putin met for an hour before the SCO dinner", "", True),
    ("china-russia", "ru", "Путин и Си Цзиньпин обсудили энергетику в Тяньцзине", "", True),
    ("china-russia", "fr", "Lavrov reçu à Pékin par Wang Yi", "Les deux ministres ont parlé commerce.", True),
    ("china-russia", "fa", "دیدار در مسکو", "لاوروف و وانگ یی درباره همکاری دو کشور گفتگو کردند.", True),
    ("china-russia", "en", "Lavrov and Wang Yi join SCO ministers in Bishkek", "", False),
    # china-russia: Chinese cars selling in Russia's market are the car trade's story, not the relationship.
    (
        "china-russia",
        "en",
        "Chinese carmakers take a third of Russia's car market",
        "Russian brands lost ground.",
        False,
    ),
    ("china-russia", "es", "Las marcas chinas dominan las ventas de coches en Rusia", "", False),
    # china-russia (round 5): trade between the two in the headline, even said at a bloc's summit; Xi and
    # Putin by name meeting or calling in a longer headline (India named as a place is not Modi); Lavrov
    # meeting Xi in a long headline. Not: the Security Council vote in which 中俄 voted; Chinese cars counted
    # by registrations or assembly; the Pentagon's list of adversaries; a visitor asking China to bring
    # Russia round (pressure, influence, "à la raison").
    (
        "china-russia",
        "en",
        "Trade between Russia and China is now settled in roubles and yuan, Putin says",
        "He spoke at the SCO summit in Astana.",
        True,
    ),
    ("china-russia", "ru", "Путин приехал на саммит ШОС и встретится с Си Цзиньпином", "", True),
    ("china-russia", "en", "Putin arrives in Bishkek for the SCO summit", "Xi Jinping will also attend.", False),
    ("china-russia", "hi", "भारत दौरे से पहले शी जिनपिंग ने पुतिन से फोन पर बात की", "", True),
    (
        "china-russia",
        "ru",
        "Лавров во время визита в Китай провёл отдельную двустороннюю встречу с председателем КНР Си Цзиньпином",
        "",
        True,
    ),
    ("china-russia", "zh", "中俄投反对票 安理会决议草案未获通过", "", False),
    (
        "china-russia",
        "en",
        "Two million Chinese-brand cars now registered in Russia",
        "Registrations of Chinese brands rose again in Russia.",
        False,
    ),
    ("china-russia", "ru", "Половина китайских автомобилей в России будет собрана на местных заводах", "", False),
    ("china-russia", "en", "Pentagon names China and Russia its main adversaries", "", False),
    # china-russia (round 6): the two leaders' own talks named in the lead are theirs even at a bloc's summit
    # (not when Modi is at the table); Chinese cars and phones in Russia's market and a third state's blacklist
    # of firms from both are not relations between the two; Persian writes Xi without the joiner.
    (
        "china-russia",
        "en",
        "Leaders gather in Tianjin",
        "The Kremlin said Vladimir Putin and Xi Jinping held a long conversation on the sidelines of the SCO summit.",
        True,
    ),
    (
        "china-russia",
        "en",
        "Leaders gather in Tianjin",
        "Narendra Modi held talks with Xi Jinping and Vladimir Putin on the sidelines of the SCO summit.",
        False,
    ),
    ("china-russia", "fa", "دیدار شی جینپینگ و ولادیمیر پوتین در حاشیه اجلاس", "", True),
    ("china-russia", "fr", "Les ventes de voitures chinoises en Russie bondissent", "", False),
    ("china-russia", "bn", "রাশিয়ার গাড়ি বাজারে চীনা ব্র্যান্ডের দাপট", "", False),
    ("china-russia", "ar", "السيارات الصينية تتصدر المبيعات في السوق الروسية", "", False),
    ("china-russia", "en", "Chinese smartphones now lead the Russian market", "", False),
    ("china-russia", "en", "Why Russians are snapping up Chinese cars", "", False),
    ("china-russia", "en", "US adds Chinese and Russian firms to its trade blacklist", "", False),
    ("china-russia", "zh", "美国商务部将中国和俄罗斯企业列入实体清单", "", False),
    (
        "china-russia",
        "fr",
        "Le chancelier compte sur la Chine pour ramener la Russie à la raison",
        "Il a rencontré le président chinois à Pékin.",
        False,
    ),
    # sanctions (round 4): frozen state assets, the price cap and "more sanctions" in every language;
    # tariffs threatened as punishment on a bloc's friends.
    ("sanctions", "ru", "Министры G7 обсудили судьбу замороженных российских активов", "", True),
    ("sanctions", "hi", "अमेरिका ने रूसी तेल पर प्राइस कैप सख्त किया", "", True),
    ("sanctions", "bn", "শীর্ষ সম্মেলনে যৌথ বিবৃতি", "নেতারা রাশিয়ার ওপর আরও নিষেধাজ্ঞার বিষয়ে একমত হয়েছেন।", True),
    ("sanctions", "es", "Estados Unidos amenaza con aranceles a los socios de los BRICS", "", True),
    ("sanctions", "en", "Court keeps frozen assets of a fraud ring in Madrid", "", False),
    ("sanctions", "en", "BRICS leaders criticise rising tariffs", "They call for open trade.", False),
    # sanctions: an oil-price headline is the markets' story; an Olympic body's measures are sport's.
    ("sanctions", "en", "Oil prices climb as traders weigh sanctions on Iranian exports", "", False),
    ("sanctions", "zh", "国际奥委会维持对俄罗斯和白俄罗斯的制裁", "", False),
    ("sanctions", "en", "G7 lowers the oil price cap on Russian crude", "", True),
    # sanctions (round 5): UN sanctions named in the lead and their snapback on Iran; the price cap in
    # Russian words beside Russia; a US Treasury blacklist. Not a domestic fuel price cap, stocks that
    # "snap back", an EU tax-haven blacklist, nor a sports body's doping sanctions.
    (
        "sanctions",
        "fa",
        "ایران و اروپا هنوز توافق نکرده‌اند",
        "دو طرف برای جلوگیری از بازگشت تحریم‌های سازمان ملل تلاش می‌کنند.",
        True,
    ),
    ("sanctions", "en", "Europeans trigger the snapback on Iran", "Tehran warned of a response.", True),
    ("sanctions", "fa", "اروپا مکانیسم ماشه را علیه ایران فعال کرد", "", True),
    ("sanctions", "ru", "G7 ужесточит ценовой лимит на российскую нефть", "", True),
    (
        "sanctions",
        "en",
        "Five firms added to a US blacklist",
        "The Treasury Department says they sold drone parts to Iran.",
        True,
    ),
    ("sanctions", "ru", "Ценовой потолок на бензин продлят до весны", "Так решили власти региона.", False),
    ("sanctions", "en", "US stocks snap back after a rough week", "", False),
    (
        "sanctions",
        "en",
        "EU adds three territories to its tax haven blacklist",
        "The list is reviewed twice a year.",
        False,
    ),
    ("sanctions", "en", "UN panel reviews doping sanctions on athletes", "", False),
    # sanctions (round 6): sanctions "issued" or announced in the lead, Hindi's पाबंदियां beside a state or as new,
    # the shadow fleet once beside Russia, the G7's cap on Russia's oil in Bengali; not "an issue", a city's ban
    # on firecrackers, a shadow fleet with no state, a price fixed at home.
    (
        "sanctions",
        "en",
        "Washington targets an oil smuggling network",
        "The United States issued sanctions on Tuesday against a network it tied to Iran's Quds Force.",
        True,
    ),
    ("sanctions", "en", "Iranian exporters look for new markets", "Sanctions remain an issue, traders say.", False),
    ("sanctions", "hi", "अमेरिका ने ईरान पर नई पाबंदियां लगाईं", "", True),
    ("sanctions", "hi", "दिवाली से पहले शहर में पटाखों पर पाबंदी", "", False),
    (
        "sanctions",
        "fa",
        "طرح اروپا برای بازرسی نفتکش‌ها",
        "اروپا از طرح بازرسی ناوگان سایه نفتکش‌های روسیه حمایت کرد.",
        True,
    ),
    ("sanctions", "en", "Tanker insurers raise premiums", "Brokers speak of a shadow fleet of ageing ships.", False),
    ("sanctions", "bn", "রাশিয়ার তেলের দামের সীমা বাঁধল জি-৭", "", True),
    ("sanctions", "bn", "চালের দাম বেঁধে দিল সরকার", "", False),
    # sanctions (round 6): sanctions named once in the lead as a cause (since, amid, as, because of, из-за) behind a
    # headline about something else are background; named again, or in the headline, they are the story.
    (
        "sanctions",
        "en",
        "Chinese carmakers win Russian buyers",
        "Sales have soared since Western sanctions hit Moscow.",
        False,
    ),
    (
        "sanctions",
        "ru",
        "Китайские смартфоны заняли российский рынок",
        "Из-за санкций против России западные бренды ушли.",
        False,
    ),
    (
        "sanctions",
        "en",
        "Moscow's banks adapt",
        "Despite sanctions the banks grew, and the EU is preparing new sanctions on Russia.",
        True,
    ),
    (
        "sanctions",
        "en",
        "Chinese phones dominate Russia's market",
        "Other brands ran out as sanctions on Russia halted imports.",
        False,
    ),
    # un (round 4): Russia's own Security Council (in English and in Russian, with Medvedev or Shoigu
    # beside it) is not the UN's; UNO the card game is not the UNO; the Arabic spelling without hamza.
    ("un", "en", "Putin chairs the Russian Security Council on border security", "", False),
    ("un", "ru", "Медведев провёл заседание Совбеза", "Обсуждали пограничную безопасность.", False),
    ("un", "ru", "Совбез ООН соберется по просьбе Украины", "", True),
    ("un", "de", "UNO bringt ein neues Kartenspiel heraus", "", False),
    ("un", "de", "UNO warnt vor Hungersnot im Sudan", "Die Vereinten Nationen bitten um Spenden.", True),
    ("un", "ar", "مجلس الامن يصوت على وقف إطلاق النار", "", True),
    # un: the Secretary-General in the headline at another bloc's summit is his diplomacy.
    ("un", "ru", "Гутерриш встретился с Путиным на саммите БРИКС", "", True),
    ("un", "ru", "Путин встретился с лидерами на саммите БРИКС", "Генсек ООН тоже приехал.", False),
    # un (round 5): the UN acting by a resolution, UN sanctions or a veto beside its name is its story,
    # even beside a source phrase ("according to", a news agency's "به گزارش") or the civilian population;
    # a UN figure with no such act stays a source.
    (
        "un",
        "en",
        "Sanctions on Iran return after ten years",
        "According to U.N. officials, the U.N. sanctions took effect at midnight.",
        True,
    ),
    (
        "un",
        "fa",
        "آمریکا قطعنامه غزه را وتو کرد",
        "به گزارش ایلنا، شورای امنیت سازمان ملل قطعنامه را تصویب نکرد.",
        True,
    ),
    ("un", "ru", "Проект не прошёл", "СБ ООН не принял проект резолюции о защите мирного населения.", True),
    ("un", "hi", "युद्धविराम पर मतदान", "UNGA में युद्धविराम का प्रस्ताव पारित हुआ।", True),
    ("un", "ru", "Население мира растёт", "По данным ООН, население Земли превысит девять миллиардов.", False),
    # un: a Model UN is a school club, in every language.
    ("un", "en", "Model UN: pupils debate in Philadelphia", "The Model UN club simulates the United Nations.", False),
    ("un", "es", "Modelo de la ONU en la Legislatura", "Los alumnos simularon una asamblea de Naciones Unidas.", False),
    ("un", "en", "UN General Assembly debates reform", "The United Nations members met in New York.", True),
    # un: national climate pledges (NDCs), the Paris Agreement and a climate conference in Persian are climate
    # diplomacy's, as the COPs are; the Security Council meeting in Paris is still the UN's.
    (
        "un",
        "en",
        "UN climate chief urges countries to file their NDCs",
        "The United Nations wants pledges under the Paris Agreement.",
        False,
    ),
    ("un", "fa", "کنفرانس تغییر اقلیم سازمان ملل در بلم آغاز شد", "", False),
    ("un", "fr", "Le Conseil de sécurité de l'ONU se réunit à Paris", "", True),
    # un: the IAEA in every language (not Iran's own atomic energy organisation); a Persian news agency's
    # dateline is not the UN as a source, "according to the UN" still is; a meeting on the sidelines of
    # the General Assembly has the UN as its venue, unless the UN is in the headline.
    ("un", "ru", "МАГАТЭ направит инспекторов на станцию", "", True),
    ("un", "zh", "国际原子能机构总干事抵达德黑兰", "", True),
    ("un", "fr", "L'AIEA envoie des inspecteurs en Iran", "", True),
    ("un", "fa", "مدیرکل آژانس بین المللی انرژی اتمی وارد تهران شد", "", True),
    ("un", "fa", "سازمان انرژی اتمی ایران از پیشرفت غنی‌سازی خبر داد", "", False),
    (
        "un",
        "fa",
        "آژانس بین‌المللی انرژی اتمی: گروسی به تهران می‌رود",
        "به گزارش خبرگزاری مهر، آژانس بین‌المللی انرژی اتمی این سفر را تایید کرد.",
        True,
    ),
    (
        "un",
        "fa",
        "آمار تازه پناهجویان",
        "به گزارش سازمان ملل، شمار پناهجویان افزایش یافت و سازمان ملل خواستار کمک شد.",
        False,
    ),
    (
        "un",
        "en",
        "G7 ministers back Europe's steps on Iran",
        "They met on the sidelines of the UN General Assembly; the IAEA's access was discussed.",
        False,
    ),
    ("un", "en", "Guterres meets leaders on the sidelines of the UN General Assembly", "", True),
    # un: German "UN-Sicherheitsrat" is one name, one mention (as "UN Security Council" is): a state
    # described as a permanent member of it in the lead is not the UN's story.
    (
        "un",
        "de",
        "Scholz drängt China zu mehr Druck auf Russland",
        "China habe als ständiges Mitglied des UN-Sicherheitsrats eine besondere Aufgabe.",
        False,
    ),
    ("un", "de", "UN-Sicherheitsrat verurteilt den Angriff", "Der Rat tagte am Abend in New York.", True),
    # un (round 6): a state's National Security Council (مجلس الأمن القومي) is not the UN's; the UN climate
    # convention's conference in Russian and Arabic (Конференция сторон, لمؤتمر الأطراف, مؤتمر ... للمناخ) is
    # climate diplomacy's; the UN's data as a figure's source and a Model UN in Russian's cases are not the UN acting.
    ("un", "ar", "الرئيس يترأس اجتماع مجلس الأمن القومي لبحث التصعيد", "", False),
    ("un", "en", "The president convenes the National Security Council after the attack", "", False),
    ("un", "ar", "مجلس الأمن يصوت على قرار بشأن غزة", "", True),
    ("un", "ru", "В Баку завершилась Конференция сторон Рамочной конвенции ООН об изменении климата", "", False),
    ("un", "ar", "انطلاق مؤتمر الأمم المتحدة للمناخ في باكو", "", False),
    ("un", "ar", "العراق يشارك في الدورة الجديدة لمؤتمر الأطراف في اتفاقية الأمم المتحدة الإطارية", "", False),
    ("un", "en", "India is now the most populous country, according to data from the United Nations", "", False),
    ("un", "en", "UN General Assembly adopts a resolution on data protection", "", True),
    ("un", "ru", "Студентка выступила с докладом на модели ООН", "", False),
    # elections (round 4): an academy's, a bar's, a students' union's or a trade union's vote is the body's
    # own, in every language; a national vote with the unions in its lead stays an election.
    ("elections", "ru", "Выборы президента Академии художеств завершились", "", False),
    ("elections", "hi", "बार एसोसिएशन चुनाव में नए अध्यक्ष चुने गए", "", False),
    ("elections", "ar", "فوز قائمة المعارضة في انتخابات نقابة المهندسين", "", False),
    ("elections", "hi", "छात्रसंघ चुनाव में एनएसयूआई की जीत", "", False),
    ("elections", "ar", "المحامي سامح يفوز بنقيب المحامين", "أعلنت لجنة الانتخابات لنقابة المحامين النتيجة.", False),
    ("elections", "ar", "انتخابات برلمانية في العراق الشهر المقبل", "", True),
    ("elections", "en", "Turnout rises in the European Union elections", "Polls closed on Sunday night.", True),
    (
        "elections",
        "en",
        "Labour wins the general election",
        "Trade unions had campaigned for the party for weeks.",
        True,
    ),
    # elections (round 5): a result told by exit polls, the ballot boxes, the president-elect, the mandate or
    # the seats a party won (Hindi, Bengali); not the cardinals' vote, a board's (董監事), a bar's in Persian
    # (کانون وکلای), union or works-council elections (sindicales, professionnelles), a sports union (РФС),
    # a UN resolution spelled out in Bengali, or a resignation whose lead only expects an election.
    ("elections", "en", "Exit polls give the opposition a narrow lead", "Counting begins on Thursday morning.", True),
    ("elections", "es", "Cerraron las urnas en todo el país", "El presidente electo hablará esta noche.", True),
    ("elections", "hi", "राज्य में भाजपा को 150 सीटें आईं", "कांग्रेस दूसरे स्थान पर रही।", True),
    ("elections", "bn", "তৃণমূল পেল ২০টি আসন", "বিজেপি দ্বিতীয় স্থানে।", True),
    ("elections", "hi", "त्योहार पर ट्रेन में सीटें खाली नहीं", "रेलवे ने नई ट्रेनें चलाईं।", False),
    (
        "elections",
        "de",
        "Die Kardinäle ziehen in die Sixtinische Kapelle ein",
        "Sie stimmen in geheimer Wahl ab.",
        False,
    ),
    ("elections", "en", "Cardinals gather in Rome for the election", "Smoke will signal the result.", False),
    ("elections", "zh", "宮廟改選董監事", "現任董事長以高票當選連任。", False),
    ("elections", "fa", "نتایج انتخابات هیات مدیره کانون وکلای مرکز اعلام شد", "", False),
    ("elections", "es", "La central obrera gana las elecciones sindicales", "Logró el 40% de los delegados.", False),
    ("elections", "fr", "Les élections professionnelles s'ouvrent à La Poste", "", False),
    ("elections", "ru", "Президент РФС переизбран на новый срок", "Он победил на выборах без соперников.", False),
    ("elections", "bn", "জাতিসংঘে রেজ্যুলেশন বিপুল ভোটে গৃহীত", "সাধারণ পরিষদে ভোটাভুটি হয়।", False),
    (
        "elections",
        "en",
        "Prime minister resigns as the coalition collapses",
        "A general election is expected in the autumn.",
        False,
    ),
    ("elections", "en", "Prime minister resigns after election defeat", "His party lost half its seats.", True),
    # elections (round 6): the president-elect counts in the headline, not as a person's title in a lead; a
    # cricket toss, a club's vote (نادي), the Olympic committee, a union's general secretary, a workers'
    # union's vote and a professional council's are not elections.
    ("elections", "en", "Ghana's president-elect names his first ministers", "", True),
    ("elections", "en", "Hunger tops the agenda as the summit opens", "Hosts await the US president-elect.", False),
    (
        "elections",
        "en",
        "G20 summit opens in Rio",
        "Leaders discussed hunger before meeting the US president-elect.",
        False,
    ),
    ("elections", "en", "Hosts slump to 90 all out", "Their captain elected to bat first on a green pitch.", False),
    ("elections", "ar", "انتخابات نادي الشرق تنتهي بفوز القائمة الموحدة", "", False),
    ("elections", "ar", "انطلاق الانتخابات البرلمانية في الأردن", "", True),
    ("elections", "zh", "国际奥委会选举产生新一任主席", "", False),
    (
        "elections",
        "en",
        "Teachers have elected a new general secretary",
        "The union counted the ballots on Friday.",
        False,
    ),
    ("elections", "bn", "শ্রমিক ইউনিয়নের নির্বাচনে নতুন প্যানেল জয়ী", "", False),
    ("elections", "bn", "জাতীয় সংসদ নির্বাচনে ভোটগ্রহণ শুরু", "", True),
    ("elections", "hi", "कर्मचारी संघ के चुनाव में नया अध्यक्ष चुना गया", "", False),
    ("elections", "hi", "लोकसभा चुनाव के पहले चरण का मतदान शुरू", "", True),
    ("elections", "fa", "انتخابات نظام پزشکی تهران برگزار شد", "", False),
    ("elections", "en", "Medical council elections draw a record turnout", "", False),
    # The chairman of an electoral commission declaring a result is the election's; a board's chairman is not.
    (
        "elections",
        "en",
        "The electoral commission's chairman declared the opposition leader winner",
        "The presidential vote was counted over four days.",
        True,
    ),
    (
        "elections",
        "en",
        "Shareholders re-elected the bank's chairman",
        "The vote took place at the annual general meeting.",
        False,
    ),
    # brics (round 4): the BRICS Games are sport's; BRICS equity funds are an investment category; the bloc
    # named once in the lead among other bodies is a list, unless the headline or a second mention holds it.
    ("brics", "ru", "Сборная России выиграла Игры БРИКС", "", False),
    ("brics", "en", "Investors pull money from BRICS equity funds", "", False),
    (
        "brics",
        "en",
        "Foreign ministers hold talks in Beijing",
        "They discussed work at the UN, BRICS and the G20.",
        False,
    ),
    (
        "brics",
        "en",
        "Foreign ministers hold talks in Beijing",
        "They prepared the BRICS summit and BRICS payments, and talked about the UN and the G20.",
        True,
    ),
    ("brics", "en", "BRICS summit opens in Kazan", "The heads of the UN and the G20 presidency were invited.", True),
    # brics (round 5): BRIC(S) markets a few words from the name (capital flight, equity funds), not the bloc's
    # bank and its loans in local currencies; the Arabic name with its article, and as a Persian keyboard
    # types it (البریکس).
    ("brics", "en", "Capital flight from the BRICs hits their shares and currencies", "", False),
    ("brics", "fr", "Les BRICS s'élargissent, mais les fonds d'actions de ces pays ferment", "", False),
    ("brics", "en", "BRICS bank lends in local currencies", "The loans fund roads and bonds in rand.", True),
    ("brics", "ar", "مصر تصبح عضوا في البريكس", "", True),
    ("brics", "ar", "إيران عضو رسمي في البریکس", "", True),
    # brics (round 6): 金砖 is also the imperial golden brick fired in Suzhou's kilns, not the bloc.
    ("brics", "zh", "探访御窑金砖博物馆", "明清皇室专用的金砖在这里烧制。", False),
    ("brics", "zh", "金砖峰会在约翰内斯堡开幕", "", True),
    # middle-east (round 4): the region's sport (a striker's signing, a UFC bout, a tennis final) and
    # city life (a book fair, the metro timetable) are not its politics, unless the war is in them.
    (
        "middle-east",
        "en",
        "Saudi club signs a Brazilian striker",
        "The Pro League side in Riyadh paid a record fee.",
        False,
    ),
    ("middle-east", "ar", "افتتاح معرض الكتاب في دمشق", "تشارك دور نشر سورية وعربية في المعرض.", False),
    ("middle-east", "fa", "ساعت کار مترو تهران تغییر کرد", "مترو تهران از فردا زودتر باز می‌شود.", False),
    (
        "middle-east",
        "en",
        "Drone strike hits Riyadh metro depot",
        "Saudi officials blamed the Houthis for the attack.",
        True,
    ),
    ("middle-east", "ar", "قصف إسرائيلي قرب ملعب النادي في غزة", "قتل لاعب وعدد من المدنيين.", True),
    # middle-east (round 5): the region's effect at home (remittances from the Gulf, fuel at the pump, Afghan
    # migrants returning from Iran) unless the headline has a strike, sanctions or the nuclear file; a festival
    # or the weather in the headline; Arabic football (بنادي, لكرة, a match, a stadium); a school's Model UN.
    # Iran's nuclear deal by its name (JCPOA, برجام, the snapback); the Security Council on the region's war.
    ("middle-east", "bn", "সৌদি আরব থেকে রেমিট্যান্স কমেছে", "মধ্যপ্রাচ্যের শ্রমবাজারে প্রবাসীদের আয় কমেছে।", False),
    (
        "middle-east",
        "fa",
        "بازگشت مهاجران افغان از ایران",
        "هزاران مهاجر افغان هفته گذشته از ایران به کشورشان برگشتند.",
        False,
    ),
    (
        "middle-east",
        "es",
        "La gasolina vuelve a subir por la tensión con Irán",
        "Los conductores pagan más en Irán y en España.",
        False,
    ),
    ("middle-east", "hi", "ईरान तनाव से पेट्रोल डीजल महंगा", "ईरान और इजराइल के तनाव का असर दिखा।", False),
    (
        "middle-east",
        "en",
        "Iran strikes back at Israel",
        "Petrol queues formed in Tehran after the missile attack.",
        True,
    ),
    (
        "middle-east",
        "fa",
        "اختتامیه جشنواره فیلم فجر در تهران برگزار شد",
        "هنرمندان ایران در تهران گرد هم آمدند.",
        False,
    ),
    ("middle-east", "ar", "النجوم على السجادة الحمراء لمهرجان القاهرة", "عرض الفيلم لأول مرة في الشرق الأوسط.", False),
    ("middle-east", "fa", "بارش برف در تهران آغاز شد", "هواشناسی تهران از ادامه بارش خبر داد.", False),
    (
        "middle-east",
        "ar",
        "الهلال يواجه الاستقلال الإيراني الليلة",
        "مباراة إياب دوري أبطال آسيا على ملعب الرياض.",
        False,
    ),
    (
        "middle-east",
        "es",
        "Modelo de la ONU en un colegio de San Juan",
        "Los alumnos de Israel y Palestina debatieron.",
        False,
    ),
    ("middle-east", "fa", "اسنپ\u200cبک و آینده برجام", "اروپا و تهران تا شنبه فرصت دارند.", True),
    ("middle-east", "en", "Europeans trigger the snapback", "UN sanctions could return within thirty days.", True),
    ("middle-east", "en", "US vetoes the draft", "The Security Council draft called for a ceasefire in Gaza.", True),
    ("middle-east", "en", "US vetoes the draft", "The Security Council draft called for a ceasefire in Sudan.", False),
    # middle-east and geopolitics (round 6): fuel prices at the pump told in English, and the price of gold, are
    # the region's effect at home unless the headline has a strike, an attack, sanctions or the nuclear file.
    (
        "middle-east",
        "en",
        "Fuel prices set to rise as Middle East tensions grow",
        "Drivers could pay more at the pump next month.",
        False,
    ),
    ("middle-east", "en", "Israeli strikes on Iran push fuel prices up", "", True),
    # Syria with the Arabic article or as a demonym (السورية, السوري) and Damascus, as Iraq and Lebanon are.
    ("middle-east", "ar", "الرئيس السوري يصدر مرسوما بتشكيل مجلس الأمن القومي", "", True),
    ("middle-east", "ar", "المنتخب السوري لكرة القدم يفوز وديا", "", False),
    # The crescent moon sighted (or not) for Eid is the calendar, as the weather is; a strike in the headline is not.
    ("middle-east", "bn", "সৌদি আরবে শাওয়াল মাসের চাঁদ দেখা যায়নি", "সৌদি আরবে সোমবার ঈদ পালিত হবে।", False),
    (
        "middle-east",
        "en",
        "Saudi Arabia announces Eid after the crescent moon is sighted",
        "Saudi Arabia will celebrate on Monday.",
        False,
    ),
    ("middle-east", "en", "Saudi Arabia intercepts a Houthi missile", "", True),
    ("middle-east", "hi", "ईरान-इजरायल तनाव के बीच सोना रिकॉर्ड ऊंचाई पर", "", False),
    ("geopolitics", "en", "Fuel prices set to jump amid US-Iran tensions", "Motorists face higher bills.", False),
    # climate-diplomacy (round 4): the Paris Agreement in every case and script (Парижскому соглашению,
    # 巴黎气候协定, पेरिस समझौते), COP with its number in Hindi and Bengali, the Bonn sessions.
    ("climate-diplomacy", "ru", "США решили выйти из Парижского климатического соглашения", "", True),
    ("climate-diplomacy", "ru", "Вашингтон вернется к Парижскому соглашению", "", True),
    ("climate-diplomacy", "zh", "多国重申支持巴黎气候协定", "", True),
    ("climate-diplomacy", "hi", "सीओपी29 में जलवायु वित्त पर बहस", "", True),
    ("climate-diplomacy", "fr", "Reprise de la session de Bonn", "Les délégués discutent d'un nouveau texte.", True),
    ("climate-diplomacy", "de", "Bonn feiert sein Beethovenfest", "Die Stadt erwartet viele Gäste.", False),
    # climate-diplomacy: companies signing a net-zero pledge are not climate diplomacy.
    (
        "climate-diplomacy",
        "en",
        "Hundreds of companies sign a net-zero climate pledge",
        "Retailers lead the list.",
        False,
    ),
    (
        "climate-diplomacy",
        "en",
        "Countries and companies sign a climate pledge at COP30",
        "Governments promised to cut methane.",
        True,
    ),
    # climate-diplomacy (round 5): a climate summit in traditional Chinese (氣候峰會); the G20 or G7 on climate
    # change; not an airline industry's net-zero pledge (a company's pledge).
    ("climate-diplomacy", "zh", "格拉斯哥氣候峰會揭開序幕", "各國領袖同意控制升溫幅度。", True),
    ("climate-diplomacy", "zh", "二十国集团发表关于气候变化问题的声明", "", True),
    ("climate-diplomacy", "zh", "二十国集团财长讨论债务问题", "", False),
    # climate-diplomacy (round 6): the Conference of the Parties and the framework convention named in full
    # (Arabic joins the preposition: لمؤتمر), a climate conference in Russian words, the Pacific Islands Forum
    # and small island states on climate, and climate change beside the developed countries' obligations.
    (
        "climate-diplomacy",
        "ru",
        "В Баку завершилась сессия Конференции сторон",
        "Делегаты согласовали новую цель.",
        True,
    ),
    ("climate-diplomacy", "ar", "انطلاق أعمال الدورة الجديدة لمؤتمر الأطراف في باكو", "", True),
    ("climate-diplomacy", "en", "Delegates gather under the Framework Convention on Climate Change", "", True),
    (
        "climate-diplomacy",
        "ru",
        "Конференция по вопросам изменения климата под угрозой из-за нехватки средств",
        "",
        True,
    ),
    ("climate-diplomacy", "en", "Pacific Islands Forum leaders call for climate funds", "", True),
    ("climate-diplomacy", "en", "Pacific Islands Forum opens with a debate on fisheries", "", False),
    ("climate-diplomacy", "bn", "জলবায়ু পরিবর্তনের ক্ষতি পূরণে উন্নত দেশগুলোর কাছে দাবি", "", True),
    ("climate-diplomacy", "en", "Developed countries must pay for climate change, minister says", "", True),
    (
        "climate-diplomacy",
        "en",
        "Climate change made the heatwave five times likelier",
        "Scientists compared today's temperatures with the last century's.",
        False,
    ),
    (
        "climate-diplomacy",
        "en",
        "Member airlines pledge net-zero emissions by 2050",
        "The industry group represents US carriers.",
        False,
    ),
    # geopolitics (round 4): the traps the blocs' topics leave alone are not relations between states
    # either: BRIC(S) equity funds, the BRICS Games, Chinese cars in Russia's market, the Olympics, NATO
    # razor wire or the phonetic alphabet, Russia's own Security Council.
    ("geopolitics", "en", "Investors desert BRIC funds after weak returns", "Managers close the funds.", False),
    ("geopolitics", "ru", "Россия выиграла медальный зачет Игр БРИКС", "", False),
    ("geopolitics", "es", "Los coches chinos ganan cuota en el mercado ruso", "Las ventas crecen en Rusia.", False),
    ("geopolitics", "zh", "国际奥委会允许俄罗斯选手以中立身份参加奥运", "", False),
    ("geopolitics", "en", "Putin convenes the Russian Security Council", "The Kremlin gave no agenda.", False),
    ("geopolitics", "en", "UN Security Council meets on the Red Sea attacks", "Members debated a resolution.", True),
    ("geopolitics", "en", "BRICS summit agrees on a grain exchange", "Leaders also discussed the bloc's bank.", True),
    # geopolitics (round 5): not the UN's own elections and appointments (non-permanent seats, the
    # secretary-general), BRIC(S) markets (equity funds, capital flight), a summit's hotels or
    # traffic, club football (the Champions League), fuel at the pump or an oil-price rise as a war's
    # effect, Chinese cars counted by registrations, a climate conference or the Paris Agreement in the
    # headline, North York (北约克). Sanctions and blacklists in Hindi and Bengali, the G7 or G20 on Russia,
    # the price cap in Persian, drones in a state's airspace, India and China's talks in Hindi are.
    (
        "geopolitics",
        "en",
        "Five states elected to the Security Council as non-permanent members",
        "The General Assembly voted on Tuesday.",
        False,
    ),
    (
        "geopolitics",
        "en",
        "General Assembly appoints the next UN secretary-general",
        "The Assembly adopted a resolution on his appointment by acclamation.",
        False,
    ),
    ("geopolitics", "zh", "美国正式退出巴黎协定", "美国是唯一退出该协定的国家。", False),
    (
        "geopolitics",
        "es",
        "Estados Unidos veta la resolución del Consejo de Seguridad",
        "El texto lo presentaron los diez miembros no permanentes.",
        True,
    ),
    (
        "geopolitics",
        "en",
        "Capital flight from the BRICs drags down their shares and currencies",
        "Investors sold Brazil, Russia, India and China alike.",
        False,
    ),
    (
        "geopolitics",
        "en",
        "Hoteliers count the takings after the NATO summit",
        "The delegations filled every room in the city.",
        False,
    ),
    (
        "geopolitics",
        "en",
        "A Ukrainian club plays its Champions League home games in Poland",
        "The war keeps international football out of Ukraine.",
        False,
    ),
    ("geopolitics", "hi", "ईरान-इजराइल तनाव से पेट्रोल डीजल के दाम बढ़े", "ईरान और इजराइल के बीच तनाव का असर।", False),
    ("geopolitics", "en", "Israel and Iran trade missile strikes", "Diesel prices rose across Europe.", True),
    (
        "geopolitics",
        "en",
        "Crude prices increase on supply worries",
        "Tensions between Iran and the United States worsened.",
        False,
    ),
    (
        "geopolitics",
        "ru",
        "Китайских машин на дорогах России стало больше",
        "Так следует из данных о регистрации автомобилей в России.",
        False,
    ),
    (
        "geopolitics",
        "de",
        "In Bonn beginnt die Weltklimakonferenz",
        "Die USA und China verhandeln über das Pariser Abkommen.",
        False,
    ),
    ("geopolitics", "zh", "北约克发生交通事故", "警方封锁了北约克的一条街道。", False),
    ("geopolitics", "bn", "র\u200d্যাবের সাবেক কর্মকর্তাদের ওপর যুক্তরাষ্ট্রের নিষেধাজ্ঞা", "", True),
    ("geopolitics", "hi", "अमेरिका ने रूसी तेल टैंकरों को ब्लैकलिस्ट किया", "", True),
    ("geopolitics", "zh", "七国集团外长会议讨论对俄罗斯的新措施", "", True),
    ("geopolitics", "zh", "G20财长会议在成都举行", "中国担任今年的主席国。", False),
    ("geopolitics", "fa", "سقف قیمت نفت روسیه تا دو روز دیگر اعلام می\u200cشود", "", True),
    (
        "geopolitics",
        "en",
        "Poland says drones from Russia entered its airspace",
        "Warsaw summoned the chargé d'affaires.",
        True,
    ),
    ("geopolitics", "en", "Airlines reroute flights as the airspace reopens", "Passengers faced long delays.", False),
    ("geopolitics", "hi", "भारत और चीन के बीच सैन्य वार्ता का नया दौर", "", True),
    ("geopolitics", "hi", "उत्तर भारत में लू की चेतावनी जारी", "मौसम विभाग ने अलर्ट दिया।", False),
    # geopolitics (round 6): Chinese cars and phones in Russia's market (but trade between the two stays, even
    # when its lead lists cars and smartphones), doping and the sports court, a Model UN, ballet, concerts and
    # songs, the box office and the theatre owners' NATO are not relations between states.
    ("geopolitics", "en", "Why Russians are snapping up Chinese cars", "", False),
    ("geopolitics", "fr", "Les ventes de voitures chinoises en Russie bondissent", "", False),
    ("geopolitics", "en", "Chinese smartphones now lead the Russian market", "", False),
    (
        "geopolitics",
        "en",
        "China's trade with Russia hits a record",
        "Moscow bought more Chinese goods, from cars to smartphones, as European and American brands left the Russian"
        " market.",
        True,
    ),
    (
        "geopolitics",
        "ru",
        "Россия проиграла суд против WADA",
        "Москва назвала решение угрозой, спортсмены не выступят под флагом страны.",
        False,
    ),
    ("geopolitics", "ru", "Студенты обсудили войну Украины и России на модели ООН", "", False),
    ("geopolitics", "en", "Bolshoi Ballet tour cancelled after Russia's attacks on Ukraine", "", False),
    ("geopolitics", "ru", "Украина вышла в финал конкурса песни, несмотря на войну с Россией", "", False),
    ("geopolitics", "bn", "ভারতীয় বক্স অফিস নিয়ে বছরজুড়ে আলোচনা", "", False),
    (
        "geopolitics",
        "en",
        "Cinema owners' lobby NATO changes its name",
        "The National Association of Theatre Owners will now be called Cinema United.",
        False,
    ),
    # geopolitics (round 6): the shadow fleet in Persian, Arabic mediators and a ceasefire with its joined
    # preposition (لوقف), a UN vote or a resolution adopted in Hindi and Bengali, the Security Council's
    # permanent membership; not a body's rotating presidency passing to a state, unless another state protests.
    ("geopolitics", "fa", "اتحادیه اروپا ناوگان سایه روسیه را هدف گرفت", "", True),
    ("geopolitics", "ar", "وسطاء يقتربون من اتفاق لوقف إطلاق النار في غزة", "", True),
    ("geopolitics", "hi", "संयुक्त राष्ट्र में प्रस्ताव पर मतदान से भारत दूर रहा", "", True),
    ("geopolitics", "bn", "জাতিসংঘে প্রস্তাব গৃহীত, ভোট দেয়নি ভারত", "", True),
    ("geopolitics", "bn", "জাতিসংঘের নতুন প্রস্তাব নিয়ে আলোচনা", "", False),
    ("geopolitics", "hi", "भारत सुरक्षा परिषद की स्थायी सदस्यता चाहता है", "", True),
    ("geopolitics", "en", "Putin meets permanent members of the Russian Security Council", "", False),
    ("geopolitics", "fa", "آمریکا ریاست دوره‌ای شورای امنیت سازمان ملل را برعهده گرفت", "", False),
    ("geopolitics", "ru", "Председательство в ШОС перешло к Кыргызстану", "", False),
    ("geopolitics", "fa", "روسیه با وجود اعتراض اوکراین رئیس دوره‌ای شورای امنیت سازمان ملل شد", "", True),
    # The United States named twice is not the US beside another state; export controls told in Chinese count
    # characters, so the Entity List and export controls may stand further from China.
    ("geopolitics", "hi", "Washington: अमेरिका में राष्ट्रपति चुनाव की मतगणना जारी", "", False),
    ("geopolitics", "en", "US embassy: visa fraudsters face a lifetime ban from the United States", "", False),
    ("geopolitics", "en", "Israel thanks the United States for its support", "", True),
    (
        "geopolitics",
        "zh",
        "美國商務部再次擴大出口管制範圍",
        "當地時間8日發布一項最終規則，宣布將位於中國大陸、土耳其和阿拉伯聯合大公國的實體新增至實體清單。",
        True,
    ),
    # geopolitics: the appointment told with the appointee's titles between the verb and the post.
    (
        "geopolitics",
        "en",
        "UN General Assembly names a new chief",
        "It appointed the former Chilean foreign minister as the next secretary-general, backing the Security"
        " Council's choice in a resolution.",
        False,
    ),
    (
        "geopolitics",
        "en",
        "Security Council fails to agree on a new secretary-general",
        "Russia and the United States traded vetoes over the candidates.",
        True,
    ),
    # ukraine-war: 俄乌 (Russia-Ukraine) in a Chinese headline weighs as the war named does.
    ("ukraine-war", "zh", "专家谈俄乌战场最新形势", "", True),
    ("ukraine-war", "zh", "俄罗斯与中国签署贸易协议", "", False),
    # un: the UN's tally or toll of the dead is the UN as a source of a number ("le bilan de l'ONU").
    ("un", "fr", "Le bilan de l'ONU s'alourdit en Méditerranée", "Plus de migrants sont morts cette année.", False),
    ("un", "en", "UN toll of displaced rises in Sudan", "Aid groups say camps are full.", False),
    ("un", "fr", "L'ONU envoie une mission au Soudan", "Le Conseil de sécurité a voté à l'unanimité.", True),
    # sco (round 4): the SCO named once in the lead in a list of bodies is a list, not the subject.
    (
        "sco",
        "en",
        "Foreign ministers hold talks in Beijing",
        "They will coordinate at the UN, BRICS, the Shanghai Cooperation Organisation and APEC.",
        False,
    ),
    (
        "sco",
        "en",
        "Foreign ministers hold talks in Beijing",
        "They prepared the Shanghai Cooperation Organisation summit; the SCO charter and the UN were discussed.",
        True,
    ),
    # sco (round 5): the Bengali name with সংগঠন (organisation), not Shanghai alone.
    ("sco", "bn", "সাংহাই সহযোগিতা সংগঠনের শীর্ষ সম্মেলন শুরু", "", True),
    ("sco", "bn", "সাংহাইয়ে বাণিজ্য মেলা শুরু", "", False),
    # sco (round 6): China Radio's Bengali spells Shanghai শাংহাই; the city alone is still not the organisation.
    ("sco", "bn", "শাংহাই সহযোগিতা সংস্থার শীর্ষ সম্মেলন বিশকেকে", "", True),
    ("sco", "bn", "শাংহাইয়ে নতুন বিমানবন্দর চালু", "", False),
    # nato (round 4): NATO razor wire and the NATO phonetic alphabet are not the alliance.
    ("nato", "de", "Der Nato-Draht ist wieder gefragt", "Nato-Draht schützt neue Grenzzäune.", False),
    ("nato", "en", "How the NATO phonetic alphabet was born", "NATO adopted Alfa and Bravo in 1956.", False),
    ("nato", "de", "Nato-Gipfel beschließt neue Ziele", "Die Nato will mehr Geld für Verteidigung.", True),
    # nato (round 5): 北約克 is North York in Toronto, not the alliance (Chinese is read a character at a
    # time); Bengali writes NATO নেটো as well as ন্যাটো, not a network (নেটওয়ার্ক).
    ("nato", "zh", "北約克一條街道因交通事故封閉", "警方正在調查。", False),
    ("nato", "zh", "北約外長在布魯塞爾開會", "", True),
    ("nato", "bn", "নেটোর নেতারা প্রতিরক্ষা ব্যয় বাড়াতে একমত", "", True),
    ("nato", "bn", "মোবাইল নেটওয়ার্ক বিভ্রাটে ভোগান্তি", "", False),
    # nato: a state's membership of NATO or its accession named once in the lead is enlargement, the
    # alliance's story (not an EU accession beside "the NATO member"); "the transatlantic alliance" is a
    # second mention, not a first.
    ("nato", "en", "Parliament in Ankara ratifies the treaty", "The vote clears Sweden's NATO membership.", True),
    ("nato", "ru", "Парламент Турции проголосовал", "Депутаты одобрили вступление Швеции в НАТО.", True),
    (
        "nato",
        "en",
        "Allies gather in Vilnius",
        "NATO leaders meet as the transatlantic alliance weighs Kyiv's bid.",
        True,
    ),
    ("nato", "en", "Allies gather in Vilnius", "The transatlantic alliance weighs Kyiv's bid.", False),
    ("nato", "en", "Serbia opens a new chapter of EU accession talks", "Hungary, a NATO member, abstained.", False),
    (
        "nato",
        "en",
        "Turkey revives its bid to join the bloc",
        "The NATO member wants EU accession talks to resume.",
        False,
    ),
    # nato: the Secretary-General in the headline with defence spending in the lead; not Rutte on a
    # private visit, a summit's hotels, or a former NATO chief's new post at home.
    (
        "nato",
        "en",
        "Rutte: we meet at a historic moment",
        "Members will raise defense spending to 5 percent of GDP.",
        True,
    ),
    ("nato", "en", "Rutte visits his old school in The Hague", "He spoke to pupils about history.", False),
    ("nato", "en", "Hoteliers count the takings after the NATO summit", "Rooms were booked out for a week.", False),
    ("nato", "en", "Ex-NATO chief to become Norway's finance minister", "The NATO veteran joins the cabinet.", False),
    ("nato", "en", "NATO chief warns allies on spending", "", True),
    # nato (round 6): NATO standards in every language are a specification, not the alliance; Article 4 or 5
    # beside NATO or the North Atlantic Treaty in every language is; not another text's article, the theatre
    # owners' NATO, or an SCO summit in the headline with NATO named once (a member's label).
    ("nato", "ru", "Завод начнет выпуск снарядов по стандартам НАТО", "", False),
    ("nato", "en", "Factory to make artillery shells to NATO standards", "", False),
    ("nato", "zh", "波兰启动《北大西洋公约》第四条磋商", "", True),
    ("nato", "en", "Poland asks allies for consultations under Article 4 of the North Atlantic Treaty", "", True),
    ("nato", "en", "Article 4 of the constitution is amended", "", False),
    (
        "nato",
        "en",
        "National Association of Theatre Owners (NATO) picks a new name",
        "Cinema chains back the move.",
        False,
    ),
    ("nato", "en", "Putin meets Xi and NATO member Erdogan at the SCO summit", "The leaders arrived in Astana.", False),
    ("nato", "en", "NATO chief warns leaders at the SCO summit", "NATO allies watch the meeting closely.", True),
    # g7-g20 (round 4): the BMW 3 Series' G20 platform; a headline about the traffic or the hotels
    # around a summit; the G20 named once in a list of bodies.
    ("g7-g20", "es", "Probamos el BMW Serie 3 G20", "El sedán llega con motor híbrido.", False),
    ("g7-g20", "en", "Commuters face bus delays during the G20 week", "Roads near the venue will close.", False),
    (
        "g7-g20",
        "en",
        "Ministers hold talks in Moscow",
        "They will coordinate at the UN, BRICS, the G20 and APEC.",
        False,
    ),
    ("g7-g20", "en", "G20 leaders agree on debt relief", "Hotels in the host city were full all week.", True),
    # g7-g20 (round 5): the Xpeng G7 car and the Moto G7 written in Hindi are products; motorists and
    # highway closures around a summit are its traffic; the group spelled out in Bengali (জি সেভেন) and
    # with a Latin digit in Persian beside its members or meeting, not a group of seven climbers.
    ("g7-g20", "zh", "小鹏G7上市 配置怎么选", "", False),
    ("g7-g20", "hi", "मोटो जी7 का नया कवर ऑनलाइन दिखा", "", False),
    ("g7-g20", "hi", "जी7 शिखर सम्मेलन में व्यापार पर चर्चा", "", True),
    ("g7-g20", "en", "Motorists warned of highway closures as the G20 summit ends", "", False),
    ("g7-g20", "bn", "জি সেভেন গোষ্ঠীর বিদেশমন্ত্রীরা মিউনিখে বৈঠক করলেন", "", True),
    ("g7-g20", "fa", "گروه 7 کشور صنعتی درباره سقف قیمت نفت توافق کرد", "", True),
    ("g7-g20", "fa", "گروه 7 نفره کوهنوردان به قله رسید", "", False),
    # middle-east, geopolitics (round 4): an oil-price headline is the markets' story even when sanctions
    # drive the price; the price cap stays sanctions between states.
    ("middle-east", "en", "Oil prices jump as Washington adds sanctions on Iran", "Brent rose 3%.", False),
    ("geopolitics", "zh", "油价上涨 美国对伊朗实施新制裁", "", False),
    ("geopolitics", "en", "G7 sets a lower price cap on Russian oil", "", True),
]


@pytest.mark.parametrize(
    ("topic", "language", "title", "summary", "fires"),
    CASES,
    ids=[f"{case[0]}-{case[1]}-{'fires' if case[4] else 'not'}-{number}" for number, case in enumerate(CASES)],
)
def test_the_rule_per_topic(topic: str, language: str, title: str, summary: str, fires: bool) -> None:
    found = topics_of(title, summary, language)
    assert (topic in found) == fires, reason(topic, title, summary, language)


def test_a_name_does_not_run_across_a_comma() -> None:
    # "Middle East" is a phrase: "in the Middle, East Timor..." is not the region.
    assert "middle-east" not in topics_of("Caught in the middle, East Timor waits for aid", "The island needs food.")
    assert "middle-east" in topics_of("Middle East envoy meets Israeli and Egyptian officials", "")


def test_explain_says_why_a_bloc_summit_is_not_the_war() -> None:
    why = reason(
        "ukraine-war",
        "Le sommet du G7 se termine sans accord",
        "Les dirigeants ont redit leur soutien à l'Ukraine et parlé commerce.",
        "fr",
    )
    assert "excluded by NOT" in why
    assert "G7" in why


def test_explain_says_why_sin_embargo_is_not_an_embargo() -> None:
    why = reason("sanctions", "Sin embargo, Moscú insiste en que no apunta contra nadie", "", "es")
    assert "sin embargo" in why.lower()
