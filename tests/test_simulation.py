"""The situation-room simulation (chapters/simulation/, chapters/teachers/simulation.md): its role
cards and injects, made from ``data/simulation_cards.csv`` and ``launch_reports``.

Fast: every fact on a card resolves, through the data contract, to rows of the module's data and
to sources in ``sources.csv``; quotations are word for word; each role has a posture, what it
knows and does not know, and tasks; each card names the four or five sentences of inject 1 its
team marks and heads its statement "Our team, as <role>, proposes:"; the directives render the
cards and fail on unknown names; only the debrief (handed out after play) marks the invented
inject as invented.

Build (``built_book`` and ``student_book``): the student edition's simulation pages hold no
teacher-only text, and the role-card PDF exists in both editions with one card a page. Their
checks are functions of the built HTML folders, so they can be run on any build
(``simulation_leaks(teacher_html, student_html)``, ``card_pages(html)``).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import test_handout_directives as tiny_books
from edition_leaks import content, normalise, pages, teacher_only_texts, text_of_build

from conftest import DATA_DIR, ROOT, browser_missing, require
from reading_deterrence import load
from reading_deterrence.contract import DataError
from reading_deterrence.rendering.simulation import (
    FACT_STATUSES,
    card_problems,
    launch_inject,
    role_card,
    role_names,
)

ROLES = ("dprk", "rok", "us", "japan", "china", "wire")
STUDENT_FILES = sorted((ROOT / "chapters" / "simulation").glob("*.md"))
#: Student-facing text may warn that injects *may* be invented; it must never say which one is.
MARKS_INJECT_3 = re.compile(r"inject\s*3\b[^.]{0,80}\binvented|\binvented\b[^.]{0,80}\binject\s*3\b", re.I)
CARD_PDF = "sim-role-cards.pdf"
#: The tiny-book fixture of the handout directives' tests: ``book(pages)`` builds a small book strictly.
book = tiny_books.book


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the data package to break."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def edit_cards(folder: Path, fact_id: str, **values) -> None:
    path = folder / "simulation_cards.csv"
    cards = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column, value in values.items():
        cards.loc[cards["fact_id"] == fact_id, column] = value
    cards.to_csv(path, index=False, lineterminator="\n")


# --- the data --------------------------------------------------------------------------------------


def test_every_card_fact_resolves_to_sources():
    cards = load("simulation_cards")  # the contract: every source_id exists in sources.csv
    sources = set(load("sources")["source_id"])
    facts = cards[cards["text_status"].isin(FACT_STATUSES)]
    assert len(facts) >= 30
    for fact in facts.itertuples():
        ids = [s.strip() for s in str(fact.source_ids).split(";") if s.strip()] if pd.notna(fact.source_ids) else []
        assert ids, f"{fact.fact_id}: a fact with no source"
        assert set(ids) <= sources, fact.fact_id
        assert pd.notna(fact.basis), f"{fact.fact_id}: a fact that names no row of the module's data"
    assert card_problems() == []


def test_each_role_has_posture_knows_unknowns_and_tasks():
    cards = load("simulation_cards")
    assert tuple(cards["role"].drop_duplicates()) == ROLES
    for role in ROLES:
        sections = set(cards.loc[cards["role"] == role, "section"])
        assert {"name", "brief", "posture", "knows", "unknown", "task"} <= sections, role


def test_a_posture_without_a_source_says_it_is_a_gap():
    """A declared posture only where the data have a source: else a gap row (Japan's, for now)."""
    cards = load("simulation_cards")
    stated = cards[cards["section"].isin(["posture", "interest"]) & cards["source_ids"].isna()]
    assert set(stated["text_status"]) <= {"gap", "instruction"}
    japan = cards[(cards["role"] == "japan") & (cards["section"] == "posture")]
    assert (japan["text_status"] == "gap").all(), "Japan's card states a posture the data have no source for"
    assert japan["text"].str.contains("no statement of Japan's own declared posture").any()


def test_each_card_names_four_or_five_sentences_and_heads_its_statement():
    """Inject 1: each team marks only the sentences its card's first task names (they exist);
    inject 2: each government team heads its statement "Our team, as <role>, proposes:"."""
    cards = load("simulation_cards")
    sentences = set(load("article_sentences")["sentence_id"])
    names = role_names()
    for role in ROLES:
        tasks = list(cards.loc[(cards["role"] == role) & (cards["section"] == "task"), "text"])
        marked = re.split(r"[Mm]ark only", tasks[0], maxsplit=1)[-1].split("one reason")[0]
        named = re.findall(r"\bp\d{2}s\d{2}\b", marked)
        assert 4 <= len(named) <= 5 and set(named) <= sentences, (role, named)
        if role != "wire":
            role_name = names[role][0].lower() + names[role][1:] if names[role].startswith("The ") else names[role]
            assert f"‘Our team, as {role_name}, proposes:’" in tasks[1], (role, tasks[1])


def test_every_side_is_told_its_own_description_cannot_be_checked():
    cards = load("simulation_cards")
    for role in ("dprk", "rok", "us"):
        unknown = cards[(cards["role"] == role) & (cards["section"] == "unknown")]
        assert unknown["basis"].fillna("").str.contains("claims:c07").any(), role
        assert unknown["text"].str.contains("neither can be checked from public sources").any(), role


def test_an_invented_quotation_is_caught(data):
    edit_cards(data, "us-03", text="The NPR says North Korea “will be wiped off the map”.")
    row = list(load("simulation_cards")["fact_id"]).index("us-03") + 2  # as a spreadsheet numbers rows
    problems = [str(p) for p in card_problems(data)]
    assert any(f"row {row}," in p and "'text'" in p and "will be wiped off the map" in p for p in problems), problems


def test_a_fact_without_sources_or_basis_is_caught(data):
    edit_cards(data, "rok-04", source_ids="", basis="")
    problems = [str(p) for p in card_problems(data)]
    assert any("'source_ids'" in p and "needs its sources" in p for p in problems), problems
    assert any("'basis'" in p and "needs the module's rows" in p for p in problems), problems


def test_a_basis_that_is_not_a_row_or_shares_no_source_is_caught(data):
    edit_cards(data, "rok-04", basis="claims:c99")
    edit_cards(data, "rok-05", basis="timeline:hanoi-summit")
    problems = [str(p) for p in card_problems(data)]
    assert any("'claims:c99' is not a row" in p for p in problems), problems
    assert any("shares no source with its basis 'timeline:hanoi-summit'" in p for p in problems), problems


def test_a_dangling_source_fails_the_contract(data):
    edit_cards(data, "dprk-03", source_ids="no-such-source")
    with pytest.raises(DataError, match="no-such-source"):
        load("simulation_cards", data)


def test_a_role_without_tasks_is_caught(data):
    path = data / "simulation_cards.csv"
    cards = pd.read_csv(path, dtype=str, keep_default_na=False)
    cards = cards[~((cards["role"] == "wire") & (cards["section"] == "task"))]
    cards.to_csv(path, index=False, lineterminator="\n")
    assert any("role 'wire' has no task row" in str(p) for p in card_problems(data))


# --- rendering -------------------------------------------------------------------------------------


def test_role_card_has_its_sections_and_every_source():
    cards = load("simulation_cards")
    for role in ROLES:
        text = role_card(role).text
        for title in ("Declared posture", "What you know", "What you do not know", "Your tasks"):
            assert f"**{title}" in text, (role, title)
        for ids in cards.loc[cards["role"] == role, "source_ids"].dropna():
            for sid in ids.split(";"):
                assert f"<{sid}>`" in text, (role, sid)
    assert "(our translation; {source}`The Hankyoreh" in role_card("dprk").text


def test_role_names_follow_the_file():
    assert list(role_names()) == list(ROLES)


def test_launch_inject_chooses_reporters_in_the_module_s_order():
    both = launch_inject("2023-04-13-a", reporters=["Japan MOD", "JCS"]).text
    assert both.index("Joint Chiefs of Staff") < both.index("Ministry of Defense")
    assert "state news agency" not in both
    assert "Hwasong-18" in launch_inject("2023-04-13-a", reporters=["KCNA"]).text
    # range_km is the distance flown (datapackage.json), not the missile's range
    assert "flew about 1,000 km" in both and "range about" not in both
    with pytest.raises(DataError, match="launch_reports.csv.*US INDOPACOM"):
        launch_inject("2023-04-13-a", reporters=["US INDOPACOM"])
    with pytest.raises(DataError, match="launch_events.csv.*no event_id"):
        launch_inject("1999-01-01-a")


# --- the pages -------------------------------------------------------------------------------------


def test_roles_page_prints_each_role_once_in_order_a_page_each():
    text = (ROOT / "chapters" / "simulation" / "roles.md").read_text(encoding="utf-8")
    assert re.findall(r"^:::\{role-card\} (\w+)$", text, re.M) == list(ROLES)
    assert re.findall(r"^## (.+)$", text, re.M) == list(role_names().values())
    assert text.count('<div class="rd-page-break"></div>') == len(ROLES) - 1


def test_only_the_teacher_says_which_inject_is_invented():
    """No student page (cards, injects, team sheet, rules, debrief) says which inject is invented:
    students can read them before play. The debrief has a box for what the teacher reveals."""
    for path in [*STUDENT_FILES, DATA_DIR / "simulation_cards.csv", DATA_DIR / "datapackage.json"]:
        found = MARKS_INJECT_3.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name}: {found.group(0)!r}"
    debrief = (ROOT / "chapters" / "simulation" / "debrief.md").read_text(encoding="utf-8")
    assert "Invented for the exercise:" in debrief[debrief.index("(sim-injects-real)=") :]
    teacher = (ROOT / "chapters" / "teachers" / "simulation.md").read_text(encoding="utf-8")
    assert MARKS_INJECT_3.search(teacher), "the teacher's page must mark the invented inject"


TINY = {
    "chapters/reference/sources": "# Sources\n\n```{data-view} sources\n```\n",
    "chapters/simulation/cards": "# Cards\n\n## North\n\n:::{role-card} dprk\n:::\n\n"
    ":::{launch-inject} 2023-04-13-a\n:reporters: JCS\n:::\n",
}


def test_directives_render_cards_with_linked_sources(book):
    code, warnings, out = book(TINY)
    assert code == 0, warnings
    main = tiny_books.body(out, "chapters/simulation/cards")
    card = main.select_one("div.rd-role-card.rd-role-dprk")
    assert card is not None and card.select("ol li") and card.select("ul li")
    assert card.select_one('a[href$="#source-kcnawatch-2022-09-09-law"]') is not None
    assert "Joint Chiefs of Staff" in main.select_one("div.rd-inject-reports").get_text()


def test_unknown_role_or_launch_fails_naming_the_table(book):
    pages = {
        "chapters/reference/sources": TINY["chapters/reference/sources"],
        "chapters/simulation/cards": "# Cards\n\n:::{role-card} nato\n:::\n\n:::{launch-inject} 1999-01-01-a\n:::\n",
    }
    tiny_books.assert_fails(book(pages), "simulation_cards.csv", "no role 'nato'", "launch_events.csv", "1999-01-01-a")


# --- the built book: helpers, then the build-marked tests ------------------------------------------


def simulation_leaks(teacher_html, student_html) -> list[str]:
    """Teacher-only text (teacher pages, ``{only} teacher_edition``, solutions) found on the student
    edition's simulation pages, and any text of the teacher's simulation page (which marks the
    invented inject) found anywhere in the student build. Empty when the student edition is right."""
    student_pages = {name: soup for name, soup in pages(Path(student_html)).items() if "simulation" in name}
    assert any(name.startswith("chapters/simulation/") for name in student_pages), "no simulation pages built"
    assert not (Path(student_html) / "chapters" / "teachers" / "simulation.html").exists()
    text = {name: normalise(content(soup).get_text(" ")) for name, soup in student_pages.items()}
    leaks = [
        f"{name}: {chunk[:80]}" for chunk in teacher_only_texts(teacher_html) for name, t in text.items() if chunk in t
    ]
    everything = text_of_build(student_html)
    teacher_page = pages(Path(teacher_html))["chapters/teachers/simulation.html"]
    marked = [
        normalise(p.get_text(" ")) for p in content(teacher_page).find_all("p") if MARKS_INJECT_3.search(p.get_text())
    ]
    assert marked, "the teacher edition's simulation page does not mark the invented inject"
    leaks += [f"student build: {chunk[:80]}" for chunk in marked if chunk in everything]
    return leaks


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("\u00ad", "")).strip()


def card_pages(html) -> list[list[str]]:
    """For each page of the role-card PDF, the role names printed on it (in the roles' order)."""
    from pypdf import PdfReader

    names = list(role_names().values())
    found = []
    for page in PdfReader(Path(html) / "handouts" / CARD_PDF).pages:
        text = squash(page.extract_text() or "")
        found.append([name for name in names if squash(name) in text])
    return found


def test_student_simulation_pages_hold_no_teacher_only_text(built_book, student_book):
    assert simulation_leaks(built_book.html, student_book.html) == []


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_role_card_pdf_has_one_card_a_page(edition, built_book, student_book):
    require(browser_missing())
    html = built_book.html if edition == "teacher" else student_book.html
    assert card_pages(html) == [[name] for name in role_names().values()]
