"""Reference names from UN terminology in three languages, their grammar, and the lists a version
that has gone out keeps printing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbook_tools.errors import DefinitionError
from workbook_tools.form.identity import fingerprint
from workbook_tools.model.languages import collation_key
from workbook_tools.model.resources import data_dir
from workbook_tools.model.survey import Survey, load_survey

from .returns_kit import SURVEY

# The fingerprints version 1 went out with (commit 3b211eb): returns already sent carry them.
V1_FINGERPRINTS = {
    ("igo", "en"): "c911a1cc28da0d8c", ("igo", "fr"): "874bdc0ec0df2bb8",
    ("igo", "es"): "90422c526bc350ad", ("iscm", "en"): "2f944c3651b51e92",
    ("iscm", "fr"): "f91d3b775c785a1e", ("iscm", "es"): "5df3b8e29e0551e4",
    ("state", "en"): "c950fdda08d7de62", ("state", "fr"): "af2ee32c8bcb8939",
    ("state", "es"): "9a6ada671b0b2ef2",
}


def next_version(tmp: Path) -> Path:
    """The bundled definitions, with a version 2 of each questionnaire (version 1 copied,
    unchanged, where the bundled definitions have none)."""
    target = tmp / "definitions"
    shutil.copytree(data_dir("templates"), target)
    for path in sorted(target.glob("*-1.yaml")):
        if (target / path.name.replace("-1.yaml", "-2.yaml")).exists():
            continue
        text = path.read_text(encoding="utf-8").replace("\nversion: 1\n", "\nversion: 2\n")
        (target / path.name.replace("-1.yaml", "-2.yaml")).write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def survey_v2(tmp_path_factory: pytest.TempPathFactory) -> Survey:
    return load_survey(next_version(tmp_path_factory.mktemp("v2")))


def test_states_are_the_un_member_and_observer_states_with_their_un_short_names() -> None:
    states = SURVEY.reference["states"]
    assert len(states.codes) == 195  # 193 Member States, the Holy See, the State of Palestine
    assert {"VAT", "PSE", "EGY", "NLD"} <= set(states.codes)
    assert not {"ATA", "BVT", "ALA", "TWN"} & set(states.codes)  # no ISO-only territories
    assert states.label("BOL", "en") == "Bolivia (Plurinational State of)"
    assert states.label("RUS", "fr") == "Fédération de Russie"
    assert states.label("CIV", "es").startswith("Côte d")
    assert states.label("BFA", "es") == "Burkina Faso"
    assert states.label("PRK", "en") == "Democratic People's Republic of Korea"


def test_running_text_names_states_with_the_drafts_apostrophe_dropdowns_as_the_un_does(
        ) -> None:
    """UNTERM writes "Côte d’Ivoire" in Spanish only; the drafts' sentences write "l'Égypte":
    a draft would mix the two."""
    states = SURVEY.reference["states"]
    spanish = SURVEY.reference.name("states", "CIV", "es")
    assert spanish is not None and spanish.short == "Côte d'Ivoire"
    assert spanish.label == states.label("CIV", "es")  # what the dropdowns print
    for code in states.codes:
        for lang in ("en", "fr", "es"):
            name = SURVEY.reference.name("states", code, lang)
            assert name is not None and "\u2019" not in name.short, (code, lang)


def test_each_language_lists_the_states_in_its_own_alphabetical_order() -> None:
    states = SURVEY.reference["states"]
    french = states.labels("fr")
    assert french[:3] == ["Afghanistan", "Afrique du Sud", "Albanie"]
    assert french.index("Danemark") < french.index("Égypte") < french.index("El Salvador") \
        < french.index("Érythrée") < french.index("Espagne")
    assert french.index("Saint-Marin") < french.index("Sainte-Lucie")
    spanish = states.labels("es")
    assert spanish.index("Egipto") < spanish.index("El Salvador") < spanish.index("Eritrea")
    assert spanish.index("Países Bajos (Reino de los)") < spanish.index("Pakistán")
    assert states.labels("en")[0] == "Afghanistan"
    assert sorted(french, key=lambda name: collation_key(name, "fr")) == french


def test_spanish_orders_enye_after_n() -> None:
    words = ["Ñandú", "Nueva", "Oman", "Nadie"]
    assert sorted(words, key=lambda w: collation_key(w, "es")) == ["Nadie", "Nueva", "Ñandú",
                                                                   "Oman"]


def test_version_1_keeps_printing_the_lists_it_went_out_with() -> None:
    for (kind, lang), expected in V1_FINGERPRINTS.items():
        assert fingerprint(SURVEY.get(kind, 1), lang) == expected, (kind, lang)
    v1 = SURVEY.get("state", 1)
    assert v1 is not None
    assert len(v1.reference["states"].codes) == 249  # ISO 3166 as pycountry named it
    assert v1.reference["iscms"].label("khartoum", "fr") == "Khartoum Process"


def test_a_later_version_prints_un_names_and_each_languages_iscm_and_igo_names(
        survey_v2: Survey) -> None:
    state = survey_v2.current("state")
    assert state.version == 2
    assert state.reference["states"].labels("fr")[:2] == ["Afghanistan", "Afrique du Sud"]
    iscms = survey_v2.current("iscm").reference["iscms"]
    assert iscms.label("khartoum", "fr") == "Processus de Khartoum"
    assert iscms.label("khartoum", "es") == "Proceso de Jartum"
    assert iscms.label("sacm", "es") == "CSM"
    assert iscms.label("rcm", "es") == "CRM (Proceso Puebla)"
    igos = survey_v2.current("iscm").reference["igos"]
    assert {"igad", "ecowas", "sadc", "comesa", "eccas", "las", "sica", "asean", "auc",
            "ec"} <= set(igos.codes)
    assert igos.label("ecowas", "fr") == "CEDEAO"
    for (kind, lang), old in V1_FINGERPRINTS.items():
        assert fingerprint(survey_v2.current(kind), lang) != old


def test_every_name_has_the_grammar_its_sentences_need(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(data_dir("schemas"), schemas)
    states = schemas / "states.yaml"
    text = states.read_text(encoding="utf-8")
    states.write_text(text.replace('EGY: {fr: {gender: f, article: "l"}',
                                   'EGY: {fr: {article: "l"}', 1), encoding="utf-8")
    iscms = schemas / "iscms.yaml"
    text = iscms.read_text(encoding="utf-8")
    iscms.write_text(text.replace("fr: {short: Processus de Rabat, article: le, gender: m,",
                                  "fr: {short: Processus de Rabat, article: du, gender: m,", 1),
                     encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_survey(schemas=schemas)
    problems = "\n".join(caught.value.problems)
    assert "states.yaml, State EGY (Egypt): no gender in French" in problems
    assert "iscms.yaml, ISCM 'rabat': article 'du' is not one of le, la, l, les, none" in problems


def test_grammar_is_kept_with_the_names() -> None:
    reference = SURVEY.reference
    netherlands = reference.name("states", "NLD", "fr")
    assert netherlands is not None
    assert (netherlands.short, netherlands.grammar.article, netherlands.grammar.number) == (
        "Pays-Bas", "les", "plural")
    egypt = reference.name("states", "EGY", "fr")
    assert egypt is not None and (egypt.grammar.article, egypt.grammar.gender) == ("l", "f")
    khartoum = reference.name("iscms", "khartoum", "es")
    assert khartoum is not None and khartoum.short == "Proceso de Jartum"
    assert khartoum.full_grammar.gender == "f"  # la Iniciativa sobre la Ruta Migratoria...
    unhcr = reference.name("igos", "unhcr", "fr")
    assert unhcr is not None and unhcr.acronym and unhcr.short == "HCR"
