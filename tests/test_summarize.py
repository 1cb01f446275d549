"""Draft summaries per ISCM: the seed's facts stated, every sentence in the chosen language,
quotations kept as written, what is missing highlighted, documents that Word and LibreOffice
open."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from tests.libreoffice import convert
from tests.returns_kit import SAMPLE, SURVEY, check, make_return
from workbook_tools.cli import cli
from workbook_tools.model.resources import data_dir
from workbook_tools.model.roster import Respondent
from workbook_tools.outputs.consolidate import select_returns
from workbook_tools.outputs.drafts import write_summaries

Drafts = Callable[[str], Path]
STATES = {"EGY": "Egypt", "ETH": "Ethiopia", "NLD": "Netherlands"}
KHARTOUM, KHARTOUM_TABLES = SAMPLE.fixed["ISCM-KHARTOUM"]
KHARTOUM_EXAMPLES = SAMPLE.said_about["khartoum"].by_respondent


def ratings(value: str) -> dict[str, str]:
    return {f"value_{a}": value for a in SURVEY.reference["value_areas"].codes}


@pytest.fixture(scope="module")
def seed_returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Khartoum Process's return with the seed's facts, three States that name it; a State
    that names the Rabat Process, which did not answer; MIDWA, answering in French, and Senegal
    naming it."""
    folder = tmp_path_factory.mktemp("returns")
    khartoum = Respondent("ISCM-KHARTOUM", "iscm", "khartoum", "Khartoum Process", "en")
    make_return(folder, "iscm", fixed=KHARTOUM, fixed_tables=KHARTOUM_TABLES, who=khartoum)
    for code, name in STATES.items():
        who = Respondent(f"STATE-{code}", "state", code, name, "en", "", ("khartoum",))
        row = {"iscm": "khartoum", "status": "member", "role": "none", "since": 2014,
               **ratings("4"),
               "example": KHARTOUM_EXAMPLES[code]}
        make_return(folder, "state", fixed_tables={"memberships": [row]}, who=who)
    kenya = Respondent("STATE-KEN", "state", "KEN", "Kenya", "en", "", ("rabat",))
    make_return(folder, "state", who=kenya, fixed_tables={"memberships": [
        {"iscm": "rabat", "status": "observer", **ratings("3"),
         "example": "Dialogue de haut niveau avec l'Europe"}]})
    midwa = Respondent("ISCM-MIDWA", "iscm", "midwa", "MIDWA", "fr")
    make_return(folder, "iscm", lang="fr", who=midwa)
    senegal = Respondent("STATE-SEN", "state", "SEN", "Senegal", "fr", "", ("midwa",))
    make_return(folder, "state", lang="fr", who=senegal)
    return folder


def draft(folder: Path, out: Path, lang: str) -> Path:
    report = check(folder)
    assert report.summary["valid"] == len(report.returns), [
        (r.path.name, [i.code for i in r.issues]) for r in report.returns if r.issues]
    write_summaries(out, select_returns(report, SURVEY), SURVEY, lang)
    return out


@pytest.fixture(scope="module")
def drafted(seed_returns: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Callable[[str], Path]:
    """The drafts of the seed returns in a language, written once for the module."""
    done: dict[str, Path] = {}

    def drafts_in(lang: str) -> Path:
        if lang not in done:
            done[lang] = draft(seed_returns, tmp_path_factory.mktemp(f"drafts-{lang}"), lang)
        return done[lang]

    return drafts_in


def text_of(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_the_khartoum_draft_states_the_facts_of_the_seed(drafted: Drafts,
                                                         tmp_path: Path) -> None:
    text = text_of(drafted("en") / "Khartoum-Process-en.docx")
    for fact in [
        "Summary of Findings per ISCM",
        "Name of the Inter-State Consultation Mechanism (ISCM): EU-Horn of Africa Migration "
        "Route Initiative (Khartoum Process)",
        "5 States and 2 ISCMs and no inter-governmental organization provided answers",
        "The Khartoum Process does not have a formalized strategy.",
        "The main document guiding its actions and priorities, adopted in 2014, is entitled "
        "“Rome Declaration”.",
        "which is developed on an annual basis, covering the timespan of the respective "
        "Chairmanships",
        "The monitoring process is led jointly by the Secretariat, the Chair and the Steering "
        "Committee.",
        "The secretariat is jointly managed by the African Union Commission and the European "
        "Commission with support from the International Centre for Migration Policy "
        "Development (ICMPD).",
        "works closely with the Rabat Process and the African Union–Horn of Africa Initiative "
        "on Human Trafficking and Smuggling of Migrants (AU-HoAI).",
        "IOM and the Office of the United Nations High Commissioner for Refugees (UNHCR) "
        "provide technical advice; the United Nations Office on Drugs and Crime (UNODC) "
        "co-implements projects.",
        "The ISCM describes its cooperation with UNHCR as follows: “Programme of the Thematic "
        "Meeting",
        "is funded through contributions from Member States. Its funding sources are stable.",
        "Libya, Norway, Switzerland and Uganda joined and the Netherlands replaced Malta in the "
        "steering committee",
        "Three of the Member States surveyed (Egypt, Ethiopia and the Netherlands) referred to "
        "the Khartoum Process in their answers.",
        "Ethiopia, a member since 2014, values its membership most for trust-building",
        "Ethiopia gave this example: “Harmonized border control, combating trafficking and "
        "addressing root causes of irregular migration.”",
        "Egypt gave this example: “Developing partnerships.”",
    ]:
        assert fact in text, fact


@pytest.mark.parametrize(("lang", "facts"), [
    ("fr", [
        "Nom du mécanisme de consultation inter-États sur la migration (MCIM)\u00a0: Initiative "
        "sur la route migratoire UE-Corne de l'Afrique (Processus de Khartoum)",
        "Le Processus de Khartoum ne dispose pas de stratégie formalisée.",
        "Les travaux du Processus de Khartoum sont mis en œuvre et suivis",
        "Le secrétariat est géré conjointement par la Commission de l'Union africaine et la "
        "Commission européenne, avec l'appui du Centre international pour le développement des "
        "politiques migratoires (ICMPD).",
        "la Libye, la Norvège, l'Ouganda et la Suisse ont rejoint le mécanisme et les Pays-Bas "
        "ont remplacé Malte au comité de pilotage.",
        "Le Processus de Khartoum est financé par la source suivante",
        "travaille en étroite collaboration avec le Processus de Rabat et l'Initiative Union "
        "africaine-Corne de l'Afrique",
        "l'OIM et le Haut-Commissariat des Nations Unies pour les réfugiés (HCR) fournissent des "
        "conseils techniques\u202f; l'Office des Nations Unies contre la drogue et le crime "
        "(ONUDC) met en œuvre des projets avec lui.",
        "Le MCIM décrit ainsi sa coopération avec le HCR\u00a0: «\u00a0Programme of the "
        "Thematic Meeting",
        "Le principal document qui oriente ses actions et ses priorités, adopté en 2014, "
        "s'intitule «\u00a0Rome Declaration\u00a0».",
        "Trois des États membres interrogés (l'Égypte, l'Éthiopie et les Pays-Bas) ont "
        "mentionné le Processus de Khartoum dans leurs réponses.",
        "L'Égypte, membre depuis 2014, apprécie surtout sa participation",
        "Les Pays-Bas, membres depuis 2014, apprécient surtout leur participation",
        "Les Pays-Bas ont donné l'exemple suivant",
    ]),
    ("es", [
        "Nombre del mecanismo de consulta interestatal sobre migración (MCIM): Iniciativa sobre "
        "la Ruta Migratoria UE-Cuerno de África (Proceso de Jartum)",
        "El Proceso de Jartum no cuenta con una estrategia formalizada.",
        "La labor del Proceso de Jartum se ejecuta",
        "con el apoyo del Centro Internacional para el Desarrollo de Políticas Migratorias "
        "(ICMPD).",
        "Libia, Noruega, Suiza y Uganda se incorporaron al mecanismo y los Países Bajos "
        "sustituyeron a Malta en el comité directivo.",
        "colabora estrechamente con el Proceso de Rabat y la Iniciativa Unión Africana-Cuerno "
        "de África",
        "El MCIM describe así su cooperación con el ACNUR: «Programme of the Thematic Meeting",
        "El principal documento que orienta sus acciones y prioridades, aprobado en 2014, se "
        "titula «Rome Declaration».",
        "Tres de los Estados miembros encuestados (Egipto, Etiopía y los Países Bajos) se "
        "refirieron al Proceso de Jartum en sus respuestas.",
        "Los Países Bajos, miembros desde 2014, valoran sobre todo su participación",
        "Egipto dio el siguiente ejemplo: «Developing partnerships.»",
    ]),
])
def test_the_khartoum_draft_names_states_iscms_and_organizations_as_the_language_does(
        drafted: Drafts, tmp_path: Path, lang: str, facts: list[str]) -> None:
    text = text_of(drafted(lang) / f"Khartoum-Process-{lang}.docx")
    for fact in facts:
        assert fact in text, fact
    for wrong in ("le MCIM Khartoum", "Khartoum Process,", "de ICMPD", "Pays-Bas a ",
                  "Países Bajos sustituyó", "Égypte l'apprécie", "el MCIM Khartoum"):
        assert wrong not in text, wrong


@pytest.mark.parametrize(("lang", "full", "short"), [
    ("fr", "l'Initiative Union africaine-Corne de l'Afrique sur la traite des êtres humains",
     "l'Initiative UA-Corne de l'Afrique"),
    ("es", "la Iniciativa Unión Africana-Cuerno de África sobre la Trata de Personas",
     "la Iniciativa UA-Cuerno de África"),
])
def test_french_and_spanish_drafts_use_no_english_acronym_their_language_lacks(
        drafted: Drafts, lang: str, full: str, short: str) -> None:
    """A mechanism with no French or Spanish acronym is named in full once, then by a
    shortening in that language; the division is named without IPD."""
    text = text_of(drafted(lang) / f"Khartoum-Process-{lang}.docx")
    assert "AU-HoAI" not in text and "(IPD)" not in text
    assert text.count(full) == 1 and text.index(full) < text.index(short)


@pytest.mark.parametrize(("lang", "line"), [
    ("fr", "Nom du mécanisme de consultation inter-États sur la migration (MCIM)\u00a0: "
           "Processus de Prague"),
    ("es", "Nombre del mecanismo de consulta interestatal sobre migración (MCIM): Proceso de "
           "Praga"),
])
def test_a_name_line_does_not_repeat_a_short_name_that_is_the_full_name(lang: str,
                                                                       line: str) -> None:
    from workbook_tools.outputs.drafts import Phrasebook, compose

    prague = SURVEY.reference.iscm("prague")
    assert prague is not None
    first = compose(prague, None, {}, SURVEY, Phrasebook(SURVEY, lang))[0]
    assert "".join(run.text for run in first.runs) == line


@pytest.mark.parametrize(("lang", "message", "code", "said"), [
    ("fr", "strategy-no", "", "Les Consultations Asie-Pacifique ne disposent pas de stratégie"),
    ("fr", "missing-iscm", "", "Les Consultations Asie-Pacifique n'ont pas répondu"),
    ("fr", "funding-stability", "stable", "Leurs sources de financement sont stables."),
    ("es", "strategy-no", "", "Las Consultas de Asia y el Pacífico no cuentan con una"),
    ("es", "missing-section", "", "Las Consultas de Asia y el Pacífico no respondieron"),
])
def test_a_mechanism_named_in_the_plural_takes_plural_verbs_and_possessives(
        lang: str, message: str, code: str, said: str) -> None:
    from workbook_tools.outputs.drafts import Phrasebook, Speaker

    book = Phrasebook(SURVEY, lang)
    iscm = SURVEY.reference.iscm("apc")
    assert iscm is not None
    speaker = Speaker(book, iscm)
    text = "".join(run.text for run in book.runs(book.format(
        message, {**speaker.base, "stability": "", "stability_code": code})))
    assert text.startswith(said), text


def test_every_style_names_a_face_libreoffice_has_and_the_language_is_the_drafts(
        drafted: Drafts) -> None:
    """python-docx's template takes its faces from the theme (Calibri, Cambria), which
    LibreOffice replaces by a serif face; Arial it draws with Liberation Sans."""
    document = Document(str(drafted("fr") / "Khartoum-Process-fr.docx"))
    styles = document.styles.element.xml
    assert "Theme=" not in styles and "w:cstheme" not in styles
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert defaults is not None
    assert 'w:ascii="Arial"' in defaults.group(0) and 'w:val="fr-FR"' in defaults.group(0)
    for style in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2"):
        fonts = document.styles[style].element.rPr
        assert fonts is None or fonts.rFonts is None or fonts.rFonts.ascii == "Arial", style


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_each_planted_fact_is_stated_once(drafted: Drafts, tmp_path: Path,
                                          lang: str) -> None:
    text = text_of(drafted(lang) / f"Khartoum-Process-{lang}.docx")
    assert text.count("Joint Valletta Action Plan") == 1
    assert text.count({"en": "Malta", "fr": "Malte", "es": "Malta"}[lang]) == 1
    assert text.count("Rome Declaration") == 1
    full = {"en": "International Centre for Migration Policy Development",
            "fr": "Centre international pour le développement des politiques migratoires",
            "es": "Centro Internacional para el Desarrollo de Políticas Migratorias"}[lang]
    assert text.count(full) == 1  # an acronym is spelled out at its first use only
    assert text.index(full) < text.rindex("ICMPD")


def _fragments(lang: str) -> set[str]:
    """Every stretch of text of a language's sentences (between their variables)."""
    from fluent.syntax import FluentParser, ast

    source = (data_dir("templates") / f"summary-{lang}.ftl").read_text(encoding="utf-8")
    fragments: set[str] = set()
    for entry in FluentParser().parse(source).body:
        if isinstance(entry, ast.Message) and entry.value is not None:
            for element in _text_elements(entry.value):
                if len(element.strip()) >= 12 and len(element.split()) >= 2:
                    fragments.add(element.strip())
    return fragments


def _text_elements(node: object) -> list[str]:
    from fluent.syntax import ast

    if isinstance(node, ast.TextElement):
        return [node.value]
    found: list[str] = []
    for child in vars(node).values() if isinstance(node, ast.BaseNode) else ():
        for item in child if isinstance(child, list) else [child]:
            if isinstance(item, ast.BaseNode):
                found += _text_elements(item)
    return found


OUTSIDE_QUOTES = re.compile(r"«[^»]*»|“[^”]*”")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
@pytest.mark.parametrize("iscm", ["Khartoum-Process", "MIDWA", "Rabat-Process"])
def test_no_sentence_of_another_language_outside_quotes(drafted: Drafts, tmp_path: Path,
                                                        lang: str, iscm: str) -> None:
    """The Khartoum Process (answered in English), MIDWA (answered in French) and the Rabat
    Process (did not answer), in each language."""
    document = Document(str(drafted(lang) / f"{iscm}-{lang}.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    outside_quotes = OUTSIDE_QUOTES.sub("", text)
    for other in {"en", "fr", "es"} - {lang}:
        left = sorted(f for f in _fragments(other) - _fragments(lang) if f in outside_quotes)
        assert left == [], (other, left)
    headings = [p.text for p in document.paragraphs
                if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [s.title[lang] for s in SURVEY.current("iscm").sections[1:]]


def test_quotations_in_another_language_are_highlighted_and_commented(drafted: Drafts,
                                                                      tmp_path: Path) -> None:
    path = drafted("en") / "MIDWA-en.docx"
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Name of the Inter-State Consultation Mechanism (ISCM): Migration Dialogue for " \
           "West Africa (MIDWA)" in text
    assert "the MIDWA" not in text and "The MIDWA" not in text
    comments = [c.text for c in document.comments]
    assert comments and all(c.startswith("Translation needed: the respondent wrote in French")
                            for c in comments)
    quoted = [run for p in document.paragraphs for run in p.runs
              if run.font.highlight_color == WD_COLOR_INDEX.YELLOW and run.text[:1].isalpha()]
    assert len(quoted) == len(comments)
    # in French, the same words are the draft's language: no comment
    french = Document(str(drafted("fr") / "MIDWA-fr.docx"))
    assert len(french.comments) == 0
    assert "Dialogue sur la migration pour l'Afrique de l'Ouest (MIDWA)" in \
        "\n".join(p.text for p in french.paragraphs)


def test_an_iscm_that_did_not_answer_gets_a_short_highlighted_draft(drafted: Drafts,
                                                                    tmp_path: Path) -> None:
    document = Document(str(drafted("fr") / "Rabat-Process-fr.docx"))
    highlighted = [run.text for p in document.paragraphs for run in p.runs
                   if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert highlighted[0].startswith("Le Processus de Rabat n'a pas répondu au questionnaire")
    assert highlighted.count("Le Processus de Rabat n'a pas répondu à cette section.") == 5
    text = "\n".join(p.text for p in document.paragraphs)
    # Kenya is an observer: the States that spoke of it are not all Member States
    assert ("Un des États interrogés (le Kenya) a mentionné le Processus de Rabat dans "
            "ses réponses.") in text
    assert "Le Kenya, qui a le statut d'observateur, apprécie surtout" in text
    assert "«\u00a0Dialogue de haut niveau avec l'Europe\u00a0»" in text  # as written


def test_drafts_are_a4_with_their_status_and_page_numbers(drafted: Drafts,
                                                         tmp_path: Path) -> None:
    document = Document(str(drafted("es") / "Khartoum-Process-es.docx"))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.header.paragraphs[0].text == "Borrador para revisión – no difundir"
    footer = section.footer.paragraphs[0]._p.xml
    assert "Página" in footer and " PAGE " in footer and 'w:fldCharType="begin"' in footer


def test_headings_give_a_navigable_outline(drafted: Drafts, tmp_path: Path) -> None:
    out = drafted("en")
    combined = Document(str(out / "all-iscms-en.docx"))
    outline = [(p.style.name, p.text) for p in combined.paragraphs
               if p.style is not None and p.style.name.startswith("Heading")]
    assert outline[0] == ("Heading 1", "MIDWA")  # in the order of the reference list
    assert outline[1] == ("Heading 2", "1. Evolution of programming and thematic focus")
    assert ("Heading 1", "Khartoum Process") in outline
    assert ("Heading 1", "Rabat Process") in outline
    assert sorted(p.name for p in out.iterdir()) == [
        "Khartoum-Process-en.docx", "MIDWA-en.docx", "Rabat-Process-en.docx",
        "all-iscms-en.docx"]


def test_drafts_are_the_same_for_the_same_returns(seed_returns: Path, tmp_path: Path) -> None:
    first = draft(seed_returns, tmp_path / "a", "es")
    second = draft(seed_returns, tmp_path / "b", "es")
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_every_draft_opens_in_libreoffice(seed_returns: Path, tmp_path: Path) -> None:
    out = draft(seed_returns, tmp_path / "docx", "en")
    for path in sorted(out.iterdir()):
        assert convert(path, tmp_path / "pdf", "pdf").stat().st_size > 5_000


def test_summarize_command(seed_returns: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["summarize", str(seed_returns), "--out",
                                      str(tmp_path / "out"), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "3 ISCM summaries from 7 return(s)" in result.output
    assert (tmp_path / "out" / "all-iscms-es.docx").is_file()
