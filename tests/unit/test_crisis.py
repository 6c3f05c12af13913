"""Crisis-risk detector: per-language positives and figures of speech, normalisation, files."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wzt_bot.domain.safety import CrisisDetector, RiskKind, RiskMatch
from wzt_bot.domain.safety.crisis import (
    DEFAULT_LANGUAGES,
    SECTIONS,
    _by_first_letter,
    _first_letters,
    _parse,
    _Section,
    _starts_at_word,
    normalise,
)

S, V, C = RiskKind.SUICIDE, RiskKind.VIOLENCE, RiskKind.CRISIS
DETECTOR = CrisisDetector.load()  # shared: Hypothesis tests cannot take function fixtures


@pytest.fixture
def detector() -> CrisisDetector:
    return DETECTOR


def kind_of(detector: CrisisDetector, text: str) -> RiskKind | None:
    match = detector.detect(text)
    return None if match is None else match.kind


# --- Dutch -------------------------------------------------------------------------------

DUTCH_POSITIVES = [
    ("ik wil dood", S),
    ("'k wil dood", S),
    ("kwil dood", S),
    ("Ik wil doooood", S),
    ("Ik wil er niet meer zijn", S),
    ("ik wil een einde aan mijn leven maken", S),
    ("ik maak er een einde aan", S),
    ("Ik ga mezelf iets aandoen", S),
    ("ik ga mij iets aandoen", S),
    ("ik doe mezelf pijn", S),
    ("ik snij mezelf", S),
    ("ik heb pillen gespaard", S),
    ("niemand zou me missen", S),
    ("ik wil niet meer leven", S),
    ("zelfmoord", S),
    ("ik denk aan zelfmoor", S),
    ("Zelf-moord", S),
    ("suicide", S),
    ("ik ben suïcidaal", S),
    ("ik ga van een brug springen", S),
    ("ik ga voor de trein springen", S),
    ("ik zie het niet meer zitten, ik wil gewoon dood", S),
    ("ik zie het leven niet meer zitten", S),
    ("ik zie het nie meer zitte, ik wil er een einde aan maken", S),
    ("ik ben doodmoe maar ik wil dood", S),
    ("iedereen is beter af zonder mij", S),
    ("ik wil slapen en nooit meer wakker worden", S),
    ("ik ben het leven beu", S),
    ("ik ga me ophangen", S),
    ("waarom zou ik nog leven", S),
    ("hij slaat mij", V),
    ("mijn vriend slaat me", V),
    ("mijn man heeft me geslagen", V),
    ("ik ben bang dat hij me iets aandoet", V),
    ("hij dreigt me te vermoorden", V),
    ("ik ga hem kapot maken", V),
    ("ik ga hem kapot slaan", V),
    ("ik ga iemand iets aandoen", V),
    ("ik word thuis mishandeld", V),
    ("ik heb schrik van mijn ex", V),
    ("hij heeft me verkracht", V),
    ("ik zie het nie meer zitten", C),
    ("Ik zie het echt niet meer zitten", C),
    ("kzie het nie mee zitten", C),
    ("ik slaap vannacht op straat", C),
    ("ik heb al dagen niks gegeten", C),
    ("ik weet het echt niet meer", C),
    ("ik kan niet meer", C),
    ("ik kan het niet meer aan", C),
    ("help me alsjeblieft het gaat echt niet", C),
    ("help me nu!!", C),
    ("paniekaanval", C),
    ("ik heb een paniekaanval", C),
    ("het heeft allemaal geen zin meer", C),
    ("ik ben ten einde raad", C),
    ("ik heb geen dak boven mijn hoofd", C),
    ("ze hebben me uit huis gezet", C),
    ("'k trek het nie meer", C),
    # families added 12-07: self-harm past and habit, means and places, farewells, threats
    ("ik heb mezelf weer gesneden vannacht", S),
    ("kheb mijn eigen weer gesneje", S),
    ("ben terug begonnen met snijden", S),
    ("ik ben een half jaar clean geweest van krassen maar ik ben hervallen", S),
    ("ik verberg mijn snijwonden onder mijn trui", S),
    ("ik heb mij gebrand met een aansteker", S),
    ("ik heb vannacht weer in mijn dijen gekrast", S),
    ("ik voel de drang om te snijden", S),
    ("ik sla mijn hoofd tegen de muur tot het bloedt", S),
    ("kzou mijn eigen iets willen aandoen", S),
    ("ik zit in de badkamer met het scheermesje", S),
    ("ik zit op de brug en ik ga er af springen", S),
    ("ik wandel nu naar de sporen", S),
    ("ik ga op de sporen liggen vannacht", S),
    ("ik heb een koord aan de zoldering gehangen", S),
    ("ik heb 40 pillen klaarliggen", S),
    ("ik heb al mijn slaappillen genomen", S),
    ("ik heb gegoogeld hoeveel slaappillen dodelijk zijn", S),
    ("ik ga mijn insuline allemaal ineens spuiten", S),
    ("ik laat het gas openstaan", S),
    ("ik rij me dood vannacht", S),
    ("morgen is het gedaan met mij", S),
    ("had ik maar nooit bestaan", S),
    ("ik hoop dat ik morgen dood ben", S),
    ("ik wil in mijn slaap sterven", S),
    ("ik wil ophouden met bestaan", S),
    ("ik stop ermee, met alles", S),
    ("ik denk er veel aan om mezelf op te hangen", S),
    ("ik denk de hele tijd aan doodgaan", S),
    ("als ik er niet meer ben, zorg dan voor mijn hond", S),
    ("iedereen zou beter af zijn als ik dood was", S),
    ("mijn kinderen hebben beter een andere mama", S),
    ("niemand gaat mij missen", S),
    ("binnenkort ben ik er niet meer", S),
    ("dit is de laatste keer dat ge van mij hoort", S),
    ("sorry voor alles, ik hou van jullie, vaarwel", S),
    ("ik heb mijn begrafenis al geregeld", S),
    ("ik ben klaar met leven", S),
    ("kheb gene reden meer om te leven", S),
    ("hij heeft zelfmoord gepleegd, ik denk eraan om hetzelfde te doen", S),
    ("hij slaagt mij elke dag", V),
    ("ze slaan mij thuis", V),
    ("mijn vader klopt mij", V),
    ("mijn man heeft mij tegen de muur gesmeten", V),
    ("mijn schoonfamilie houdt mij opgesloten in huis", V),
    ("mijn oom heeft aan mij gezeten toen ik klein was", V),
    ("hij dwong mij om seks te hebben", V),
    ("ik krijg slaag als hij gedronken heeft", V),
    ("hij zegt dat hij mij kapot gaat maken", V),
    ("hij heeft gezegd dat hij mij gaat vinden en vermoorden", V),
    ("ik ga die gast zijn tanden uitslaan", V),
    ("als hij nog eens aan mijn vrouw komt sla ik hem dood", V),
    ("ik steek zijn auto in brand", V),
    ("ik ga morgen met een mes naar school", V),
    ("ik heb zin om iemand kapot te slaan", V),
    ("ik ben bang dat ik mijn baby ga slaan", V),
    ("ik ga ze laten boeten", V),
    ("ik slaap vannacht buiten", C),
    ("de nachtopvang zit vol en het vriest", C),
    ("ik ben buiten gezet door mijn partner", C),
    ("ik hoor de hele tijd stemmen", C),
    ("ik zie dingen die er niet zijn", C),
    ("ik weet me geen raad meer", C),
    ("ik kan niet stoppen met trillen en huilen", C),
    ("ik heb niks meer te eten en geen geld", C),
    ("hoeveel dafalgan moet ge nemen om dood te gaan", S),
    ("ik heb bleekwater gedronken", S),
    ("ik heb mijn arm tegen de kachel gedrukt", S),
    ("ik wil gaan slapen en niet meer opstaan", S),
    ("ik verdien het niet om te leven", S),
    ("zoek mij nie, ik ben weg", S),
    ("waarom leef ik nog", S),
    ("ik ga mij voor den trein gooie", S),
    ("niemand gaat mij misse", S),
    ("tegen dat ge dit leest ben ik er niet meer", S),
    ("zondag is het zover, dan ben ik er niet meer", S),
    ("ik heb pillen gehamsterd", S),
    ("hij heeft mijn zoontje geslagen met een riem", V),
    ("ik ben bang, mijn ex staat voor mijn deur met een mes", V),
    ("ik ga mijn huisbaas iets aandoen als hij nog eens komt", V),
    ("ik heb een blauw oog van mijn lief", V),
    ("als ik hem tegenkom, is hij er geweest", V),
    ("ik ga iedereen op het werk neerschieten", V),
    ("ik durf niet naar huis want mijn lief is agressief", V),
    ("ik slaap al een week in mijn auto", C),
    ("ik heb vannacht geen bed, de opvang zei nee", C),
    ("ik weet me geen blijf meer", C),
    ("ik draai door", C),
]

DUTCH_NEGATIVES = [
    "ik ben doodmoe",
    "ik heb me dood gelachen",
    "ik heb moordhonger",
    "ik verveel me dood",
    "dat is doodnormaal",
    "dodelijk saai",
    "ik schrok me dood",
    "het is hier moordend heet",
    "ik ga dood van de honger",
    "dat is killing",
    "die film was echt killer",
    "mijn gsm is dood",
    "de batterij is dood",
    "ik sla een afspraak over",
    "ik wil niet meer naar die stage",
    "ik kan niet meer wachten om te beginnen",
    "de trein had vertraging",
    "ik heb een brug gebouwd in mijn stage",
    "ik heb vandaag mijn snijwerk gedaan",
    "hij slaat de bal",
    "ik ben kapot van het werk",
    "slaap lekker",
    "ik wil stoppen met roken",
    "ik weet het niet meer, hoe heette die straat?",
    "ik heb geen zin meer in die stage",
    "mijn rug doet me pijn",
    "ik wil niet dood",
    "ik kan morgen niet meer komen",
    "ik sta op straat te wachten op de bus",
    "help me alsjeblieft met mijn cv",
    "het heeft geen zin meer om nu te bellen",
    "ik neem mijn medicatie zoals de dokter zegt",
    "mijn baas gaat me vermoorden als ik weer te laat ben",
    # near misses for the families added 12-07
    "ik heb mij gesneden aan een blikje tomaten",
    "ik heb mij in mijn hand gesneden bij het groenten snijden",
    "ik heb mijn arm verbrand aan de frietketel op stage",
    "de kat heeft mij gekrast",
    "ik kon mezelf wel voor de kop slaan, ik ben mijn sleutels vergeten",
    "ik heb al mijn pillen genomen vanmorgen zoals de dokter zei",
    "de apotheker zegt dat ik mijn slaappillen niet met drank mag nemen",
    "ik sta aan de overweg, de bareel is toe, ik ben wat later",
    "ik zit op het balkon in de zon, zalig",
    "ik ga springen op de trampoline met de kinderen",
    "ik heb een touw gekocht voor de verhuis",
    "ik heb alles voorbereid voor mijn sollicitatie morgen",
    "dit is mijn laatste bericht voor vandaag, slaapwel",
    "vaarwel stage, hallo vakantie",
    "ik ga er volgende week niet zijn, ik heb een afspraak",
    "ik heb mijn oude kleren weggegeven aan de kringwinkel",
    "mijn oma is in haar slaap gestorven, ze is niet meer wakker geworden",
    "we gaan nog afscheid nemen van opa in het rusthuis",
    "mijn broer heeft zelfmoord gepleegd vorig jaar, ik mis hem",
    "ik wil verdwijnen van die groepschat haha",
    "ik ga die oefening afmaken",
    "ik ga hem afmaken op fifa vanavond",
    "hij heeft mij geslagen met kaarten haha",
    "mijn zoon heeft zijn zus geslagen, ze maken altijd ruzie",
    "mijn dochter komt 's nachts in mijn bed als ze een nachtmerrie heeft",
    "ik zat opgesloten in de lift gisteren, een uur lang",
    "ze hebben mij eruit gezet op de stage omdat ik te laat was",
    "ik hoor stemmen in de gang, de buren zijn thuis",
    "ik ben helemaal op van het werk, ga vroeg slapen",
    "ik kan er niet meer tegen, dat lawaai van de buren",
    "ik ben in paniek, mijn bus is weg",
    "ik heb geen eten meer in huis, ik ga straks naar de winkel",
    "hoeveel dafalgan mag ik per dag nemen voor mijn tand?",
    "ik geef op met die puzzel, te moeilijk",
    "wie wil er mee naar het zwembad? ik spring",
    "ik heb het mes al klaargelegd voor de taart",
    "morgen ben ik er niet meer, ik heb een afspraak bij de dokter",
    "ik zou liever sterven dan nog eens die soep te eten haha",
    "ik ga mijn broer vermoorden als hij nog eens mijn chips opeet 😂",
    "mijn vriendin haar papa heeft zichzelf van het leven beroofd, ik ga naar de begrafenis",
    "ik wil van die brug springen met elastiek, bungee jumpen",
    "die chef slaat altijd met zijn vuist op tafel, zo ne zever",
    "ik maak er een einde aan, aan die ruzie met mijn zus",
]


@pytest.mark.parametrize(("text", "kind"), DUTCH_POSITIVES)
def test_dutch_positives(detector: CrisisDetector, text: str, kind: RiskKind) -> None:
    assert kind_of(detector, text) is kind


@pytest.mark.parametrize("text", DUTCH_NEGATIVES)
def test_dutch_figures_of_speech_and_everyday_text_do_not_fire(
    detector: CrisisDetector, text: str
) -> None:
    assert detector.detect(text) is None


# --- other languages ---------------------------------------------------------------------

POSITIVES = {
    "en": [
        ("I want to die", S),
        ("i just wanna die", S),
        ("I'm going to kill myself", S),
        ("I don't want to live anymore", S),
        ("nobody would miss me", S),
        ("I've been cutting myself again", S),
        ("I've been saving up my pills", S),
        ("I'm going to jump off a bridge", S),
        ("my boyfriend hits me", V),
        ("he threatened to kill me", V),
        ("I'm scared he'll hurt me", V),
        ("I'm gonna kill him", V),
        ("I'm being abused at home", V),
        ("I can't do this anymore", C),
        ("I'm sleeping on the street tonight", C),
        ("I haven't eaten in three days", C),
        ("I'm having a panic attack", C),
    ],
    "fr": [
        ("je veux mourir", S),
        ("j'ai envie d'en finir", S),
        ("je vais me tuer", S),
        ("je ne veux plus vivre", S),
        ("personne ne me regretterait", S),
        ("je me scarifie", S),
        ("il me frappe", V),
        ("mon mari m'a frappée", V),
        ("il a menacé de me tuer", V),
        ("je vais le tuer", V),
        ("j'en peux plus", C),
        ("je dors dehors ce soir", C),
        ("je n'ai rien mangé depuis 3 jours", C),
        ("crise d'angoisse", C),
    ],
    "ar": [
        ("أريد أن أموت", S),
        ("أُرِيدُ أَنْ أَمُوتَ", S),
        ("بدي موت", S),
        ("بغيت نموت", S),
        ("سأقتل نفسي", S),
        ("غادي نقتل راسي", S),
        ("لا أريد أن أعيش", S),
        ("bghit nmout", S),
        ("زوجي يضربني", V),
        ("كيضربني", V),
        ("هددني بالقتل", V),
        ("ما عدت أتحمل", C),
        ("ما عندي فين نبات", C),
        ("عندي نوبة هلع", C),
    ],
    "tr": [
        ("ölmek istiyorum", S),
        ("OLMEK ISTIYORUM", S),
        ("kendimi öldüreceğim", S),
        ("intihar etmeyi düşünüyorum", S),
        ("yaşamak istemiyorum artık", S),
        ("beni kimse özlemez", S),
        ("kocam beni dövüyor", V),
        ("beni öldürmekle tehdit etti", V),
        ("artık dayanamıyorum", C),
        ("bu gece sokakta kalacağım", C),
        ("panik atak geçiriyorum", C),
    ],
    "pl": [
        ("chcę umrzeć", S),
        ("zabiję się", S),
        ("nie chcę już żyć", S),
        ("tnę się", S),
        ("mąż mnie bije", V),
        ("on mnie zabije", V),
        ("już nie daję rady", C),
        ("nie mam gdzie spać", C),
        ("Pomocy!", C),
    ],
    "ro": [
        ("vreau să mor", S),
        ("o să mă sinucid", S),
        ("nu mai vreau să trăiesc", S),
        ("mă tai pe mâini", S),
        ("soțul meu mă bate", V),
        ("m-a amenințat că mă omoară", V),
        ("nu mai pot", C),
        ("n-am unde să dorm", C),
    ],
    "uk": [
        ("хочу вмерти", S),
        ("я вб'ю себе", S),
        ("я вбʼю себе", S),
        ("не хочу жити", S),
        ("покінчу з собою", S),
        ("хочу умереть", S),
        ("чоловік мене б'є", V),
        ("він погрожує вбити мене", V),
        ("муж меня бьёт", V),
        ("не можу більше", C),
        ("ночую на вулиці", C),
    ],
}

NEGATIVES = {
    "en": [
        "I'm dying to see it",
        "you're killing it",
        "I'm dead tired",
        "I could murder a pizza",
        "this heat is killing me",
        "I don't want to die",
        "he beat me at chess",
        "I don't want to live in Brussels",
        "my phone is dead",
        "she hit me up yesterday",
        "please help me with my CV",
    ],
    "fr": [
        "je suis mort de rire",
        "mort de fatigue",
        "je ne veux pas mourir",
        "ça me tue",
        "il me tape sur les nerfs",
        "j'en peux plus d'attendre les vacances",
        "je me tue à le dire",
        "on va tuer le temps",
        "je meurs de faim",
    ],
    "ar": [
        "ميت من الضحك",
        "قتلني الضحك",
        "أموت فيك",
        "كنموت بالجوع",
        "ضربني البرد",
        "لا أريد أن أموت",
        "البطارية ماتت",
    ],
    "tr": [
        "açlıktan ölüyorum",
        "gülmekten öldüm",
        "ölmek istemiyorum",
        "burada yaşamak istemiyorum",
        "bu sıcak beni öldürüyor",
    ],
    "pl": [
        "umieram ze śmiechu",
        "nie chcę umrzeć",
        "nie chcę żyć w Polsce",
        "potrzebuję pomocy z CV",
        "strzelił samobója",
    ],
    "ro": [
        "mor de râs",
        "mă bate gândul să plec",
        "nu mai pot veni mâine",
        "am nevoie de ajutor",
        "omorâm timpul",
    ],
    "uk": [
        "помираю зі сміху",
        "не хочу жити тут",
        "треба вбити час",
        "мене б'є дрож",
        "допоможіть мені з резюме",
    ],
}


def _cases(table: dict[str, list[tuple[str, RiskKind]]]) -> list[tuple[str, str, RiskKind]]:
    return [(language, text, kind) for language, rows in table.items() for text, kind in rows]


@pytest.mark.parametrize(("language", "text", "kind"), _cases(POSITIVES))
def test_other_language_positives(
    detector: CrisisDetector, language: str, text: str, kind: RiskKind
) -> None:
    assert kind_of(detector, text) is kind
    # the language's own file covers it, not just a look-alike in another file
    assert kind_of(CrisisDetector.load([language]), text) is kind


@pytest.mark.parametrize(
    ("language", "text"),
    [(language, text) for language, texts in NEGATIVES.items() for text in texts],
)
def test_other_language_figures_of_speech_do_not_fire(
    detector: CrisisDetector, language: str, text: str
) -> None:
    assert language in detector.languages
    assert detector.detect(text) is None


def test_every_language_has_enough_examples() -> None:
    assert len(DUTCH_POSITIVES) >= 30
    assert len(DUTCH_NEGATIVES) >= 25
    for language in DEFAULT_LANGUAGES[1:]:
        assert len(POSITIVES[language]) >= 8, language
        assert len(NEGATIVES[language]) >= 5, language


# --- whole messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("I'm so tired of everything, ik wil dood", S, "nl"),
        ("ik weet het niet meer. I want to die", S, "en"),
        ("mijn man slaat me, I'm scared", V, "nl"),
        ("je suis mort de rire maar ik kan niet meer", C, "nl"),
        ("yardım edin lütfen, ik slaap vannacht op straat", C, "nl"),
    ],
)
def test_mixed_languages(
    detector: CrisisDetector, text: str, kind: RiskKind, language: str
) -> None:
    match = detector.detect(text)
    assert match is not None
    assert (match.kind, match.language) == (kind, language)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ik kan niet meer en hij slaat mij", V),
        ("hij slaat mij en ik wil dood", S),
        ("ik slaap op straat. i want to kill myself", S),
        ("paniekaanval, he threatened to kill me", V),
    ],
)
def test_priority_is_suicide_then_violence_then_crisis(
    detector: CrisisDetector, text: str, kind: RiskKind
) -> None:
    assert kind_of(detector, text) is kind


def test_the_match_names_its_language_and_pattern(detector: CrisisDetector) -> None:
    match = detector.detect("ik heb al dagen niks gegeten")
    assert match is not None
    assert match.language == "nl"
    assert "gegeten" in match.pattern
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.kind = S  # type: ignore[misc]
    assert match == RiskMatch(C, "nl", match.pattern)


FILLER = "Vandaag was een gewone dag op de stage, we hebben koffie gedronken en gepraat. "


def test_long_message_with_the_risk_at_the_end(detector: CrisisDetector) -> None:
    text = FILLER * (4096 // len(FILLER) + 1) + "En eerlijk gezegd: ik wil dood."
    assert len(text) > 4096
    assert kind_of(detector, text) is S
    assert detector.detect(FILLER * 60) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ik wil dood 😭😭😭", S),
        ("ik wil dood😭", S),
        ("\u202bأريد أن أموت\u202c", S),
        ("\u2067زوجي يضربني\u2069 help", V),
        ("ik wil\u00ad dood", S),
        ("ik\u200d wil dood", S),
        ("ik kan niet meer\nhelp", C),
        ("\x00\x07\x1b[31m ik wil dood \x1b[0m", S),
        ("ｉｋ ｗｉｌ ｄｏｏｄ", S),
        ("\ufeff\u0301\u0652\u200f", None),
        ("🏳️‍🌈👨‍👩‍👧 1️⃣", None),
        ("", None),
        ("   \n\t ", None),
    ],
)
def test_emoji_bidi_and_control_characters(
    detector: CrisisDetector, text: str, kind: RiskKind | None
) -> None:
    assert kind_of(detector, text) is kind


@given(st.text(max_size=300))
def test_any_text_is_handled(text: str) -> None:
    result = DETECTOR.detect(text)
    assert result is None or isinstance(result.kind, RiskKind)
    assert normalise(normalise(text)) == normalise(text)


def _reference(detector: CrisisDetector, text: str) -> RiskMatch | None:
    """The detector's answer without its one-regex-per-language shortcut: every kind of
    every language searched, the most serious kind first."""
    normalised = normalise(text)
    if not normalised:
        return None
    languages = detector._languages
    cleaned = {language.code: language.ignore.remove(normalised) for language in languages}
    for kind in RiskKind:
        for language in languages:
            pattern = language.risks[kind].search(cleaned[language.code])
            if pattern is not None:
                return RiskMatch(kind, language.code, pattern)
    return None


_EXAMPLES = (
    [text for text, _ in DUTCH_POSITIVES]
    + DUTCH_NEGATIVES
    + [text for rows in POSITIVES.values() for text, _ in rows]
    + [text for rows in NEGATIVES.values() for text in rows]
)


def test_the_shortcut_gives_the_same_answer_on_every_example() -> None:
    assert len(_EXAMPLES) > 200
    for text in _EXAMPLES:
        assert DETECTOR.detect(text) == _reference(DETECTOR, text), text


@given(st.lists(st.sampled_from(_EXAMPLES), min_size=1, max_size=4), st.text(max_size=40))
def test_the_shortcut_gives_the_same_answer_on_mixed_messages(parts: list[str], noise: str) -> None:
    text = f" {noise} ".join(parts)
    assert DETECTOR.detect(text) == _reference(DETECTOR, text)


# --- normalisation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Ik WIL dood!", "ik wil dood"),
        ("’k wil dood", "'k wil dood"),
        ("`k wil dood´", "'k wil dood'"),
        ("doooood   en   zo....", "dood en zo"),
        ("zelf-moord en/of", "zelf moord en of"),
        ("ik kan niet meer!!! help", "ik kan niet meer . help"),
        ("Ça va très bien, élève", "ca va tres bien . eleve"),
        ("ÖLMEK İSTİYORUM ışık", "olmek istiyorum isik"),
        ("Chcę umrzeć, łódź", "chce umrzec . lodz"),
        ("să-mi iau viața", "sa mi iau viata"),
        ("мій їжак", "міи іжак"),
        ("хочу вмeрти", "хочу вмерти"),  # a Latin e inside a Cyrillic word
        ("أُرِيدُ أَنْ أَمُوتَ", "اريد ان اموت"),
        ("مسؤول، رئيس", "مسؤول . رئيس"),  # hamza on waw and yeh survives
        ("حياةٌ على", "حياه علي"),
        ("ﻻ", "لا"),  # presentation form
        ("œuvre Straße", "oeuvre strasse"),
        ("a\u200bb\u00adc", "abc"),
    ],
)
def test_normalise(raw: str, normalised: str) -> None:
    assert normalise(raw) == normalised


# --- pattern files -----------------------------------------------------------------------


def _pattern_file(language: str) -> str:
    resource = resources.files("wzt_bot.domain.safety").joinpath("patterns", f"{language}.txt")
    return resource.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES)
def test_pattern_file_is_complete_and_in_normalised_form(language: str) -> None:
    source = _pattern_file(language)
    assert source.startswith("#"), "the format is documented at the top"
    sections = _parse(source, language)  # compiles every line, rejects malformed files
    assert set(sections) == set(SECTIONS)
    for section in SECTIONS:
        assert sections[section], f"{language}: [{section}] is empty"
    for lines in sections.values():
        for line in lines:
            for char in line:
                if ord(char) > 127 and char.isalpha():
                    assert normalise(char) == char, f"{language}: {char!r} in {line!r}"
            assert not any(c.isupper() for c in re.sub(r"\\.", "", line)), line


def test_files_hold_one_pattern_per_line_with_no_duplicates() -> None:
    for language in DEFAULT_LANGUAGES:
        sections = _parse(_pattern_file(language), language)
        for section, lines in sections.items():
            assert len(lines) == len(set(lines)), f"{language} [{section}] has duplicates"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[suicide]\n[violence]\n[crisis]\n", "missing sections"),
        ("dood\n[suicide]\n", "before the first section"),
        ("[suicide]\n[suicide]\n", "unknown or repeated"),
        ("[panic]\n", "unknown or repeated"),
        ("[suicide]\n(dood\n", "invalid pattern"),
        ("[suicide]\n(?P<x>dood)\n", "named groups"),
        ("[suicide]\n(d)\\1\n", "backreferences"),
    ],
)
def test_malformed_pattern_files_are_rejected(source: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _parse(source, "test.txt")


def test_comments_and_blank_lines_are_skipped() -> None:
    source = "# header\n\n[suicide]\n  # note\n\\bdood\\b\n[violence]\n[crisis]\n[ignore]\n"
    assert _parse(source, "t") == {
        "suicide": ["\\bdood\\b"],
        "violence": [],
        "crisis": [],
        "ignore": [],
    }


@pytest.mark.parametrize(
    ("line", "guarded"),
    [
        ("\\bdood\\b", True),
        ("\\b(?:a|b) c", True),
        ("\\b[|]x", True),
        ("\\b\\|x", True),
        ("\\ba|b", False),
        ("(?:^|\\. )hulp", False),
        ("نتحا?ر", False),
    ],
)
def test_which_lines_share_the_word_start_guard(line: str, guarded: bool) -> None:
    assert _starts_at_word(line) is guarded


def test_a_section_reports_the_line_that_matched() -> None:
    section = _Section.compile(["\\bdood\\b", "x|\\bdoodgaan", "نتحا?ر"])
    assert section.search("ik wil doodgaan") == "x|\\bdoodgaan"
    assert section.search("ik wil dood") == "\\bdood\\b"
    assert section.search("انتحار") == "نتحا?ر"
    assert section.search("niets") is None
    assert section.remove("ik wil dood nu") == "ik wil . nu"
    empty = _Section.compile([])
    assert empty.search("ik wil dood") is None
    assert empty.remove("ik wil dood") == "ik wil dood"


# --- loading -----------------------------------------------------------------------------


def test_loading_twice_gives_equal_results() -> None:
    first, second = CrisisDetector.load(), CrisisDetector.load()
    assert first.languages == second.languages == DEFAULT_LANGUAGES
    samples = [text for text, _ in DUTCH_POSITIVES] + DUTCH_NEGATIVES
    assert [first.detect(t) for t in samples] == [second.detect(t) for t in samples]
    assert repr(first) == f"CrisisDetector(languages={DEFAULT_LANGUAGES!r})"


def test_importing_reads_no_files() -> None:
    code = (
        "import importlib.resources\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('pattern files read at import time')\n"
        "importlib.resources.files = refuse\n"
        "import wzt_bot.domain.safety\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_a_subset_of_languages_and_duplicates() -> None:
    only_dutch = CrisisDetector.load(["nl", "nl"])
    assert only_dutch.languages == ("nl",)
    assert only_dutch.detect("I want to die") is None
    assert kind_of(only_dutch, "ik wil dood") is S


@pytest.mark.parametrize("languages", [[], ["xx"], ["../nl"], ["NL"]])
def test_unknown_languages_are_refused(languages: list[str]) -> None:
    with pytest.raises(ValueError, match="language"):
        CrisisDetector.load(languages)


@pytest.mark.parametrize(
    ("pattern", "letters"),
    [
        ("dood", {"d"}),
        ("k?(?:wil|ga) dood", {"k", "w", "g"}),
        ("(?:mij|me|(?:mijn|m'n) eigen) x", {"m"}),
        ("(?:'t|het) leven", {"'", "h"}),
        ("s?laat", None),
        ("(?:ik|k)? ga", None),
        ("\\w+ dood", None),
        ("[a-z]+", None),
    ],
)
def test_first_letters_of_a_pattern(pattern: str, letters: set[str] | None) -> None:
    assert _first_letters(pattern) == letters


def test_grouping_by_first_letter_keeps_every_line_and_the_answers() -> None:
    lines = [(0, "\\bdood\\b"), (1, "\\bk?(?:wil|ga) weg\\b"), (2, "\\b\\w+ pijn\\b")]
    grouped = re.compile(_by_first_letter(lines, lambda i, line: f"(?P<p{i}>{line})"))
    assert set(grouped.groupindex) == {"p0", "p1", "p2"}
    for text, group in [
        ("ik ga dood", "p0"),
        ("kga weg", "p1"),
        ("veel pijn", "p2"),
        ("niks", None),
    ]:
        found = grouped.search(text)
        assert (found.lastgroup if found else None) == group
