"""Spot the changed words (issue 13): which words count as changed (analysis/wordmarks.py), the lab's
data and fallback (rendering/lab_words.py), and the lab in headless Chromium: the page scores
exactly as the package does, works by keyboard alone, keeps marks across a reload until erased,
requests nothing beyond its own files, works from file://, passes axe with the answers showing,
and shows the answers as a table without JavaScript.
"""

from __future__ import annotations

import json
import random
import re
import shutil

import pandas as pd
import pytest

from conftest import AXE, DATA_DIR
from reading_deterrence import DataError, load
from reading_deterrence.analysis.wordmarks import changed_words, quoted_stretches, score, words
from reading_deterrence.rendering.lab_words import DATA_ID, STORAGE_KEY, words_lab
from tools.audit import AXE_SCRIPT

PAGE = "chapters/03-state-media/spot-the-changes.html"
KEYS = ("hits", "misses", "false_alarms", "correct_rejections", "marked", "changed", "words")


# --- the rule, on hand-made tables ------------------------------------------------------------


def audit_row(audit_id, span, verdict, kcna=None, wire=None):
    return {
        "audit_id": audit_id,
        "sentence_id": "p01s01",
        "span": span,
        "kcna_english": kcna,
        "wire_wording": wire,
        "verdict": verdict,
    }


@pytest.fixture
def made():
    """Six quotations whose changed words are worked out by hand in the comments."""
    return changed_words(
        pd.DataFrame(
            [
                # matches: no word changed, though "and" became a comma
                audit_row("a01", "practical, offensive", "matches", "more practical and offensive"),
                # the page's own example: "huge" swapped, "and dangerous" added, the second "ships" for
                # "planes"; "the army" left out leaves nothing to mark: words 3, 4, 5 and 10
                audit_row(
                    "a02",
                    "held a huge and dangerous exercise with ships and ships,",
                    "altered",
                    "the army held a large exercise with ships and planes",
                ),
                # not traceable, no source at all: every word (2)
                audit_row("a03", "iron fist", "not traceable"),
                # translation artefact: faithful to the translation, so none
                audit_row("a04", "measures for machinery", "translation artefact", "measures for the machinery"),
                # altered, no KCNA English: the wire wording is the source; "frenzied" (word 1) only
                audit_row("a05", "frenzied drills", "altered", None, "what it called frantic drills"),
                # altered, but capitals and end punctuation are no change: only "new" (word 3)
                audit_row("a06", "U.S. forces’ new", "altered", "the u.s. forces’"),
            ]
        )
    )


def changed_ids(table):
    return set(table.loc[table["changed"], "word_id"])


def test_the_rule_on_a_hand_made_audit(made):
    assert changed_ids(made) == {"a02-3", "a02-4", "a02-5", "a02-10", "a03-1", "a03-2", "a05-1", "a06-3"}
    assert list(made.loc[made["audit_id"] == "a02", "word"]) == [
        "held", "a", "huge", "and", "dangerous", "exercise", "with", "ships", "and", "ships",
    ]  # fmt: skip
    assert len(made) == 2 + 10 + 2 + 3 + 2 + 3


def test_scores_worked_by_hand(made):
    total, changed = len(made), len(changed_ids(made))  # 22 words, 8 changed
    assert (total, changed) == (22, 8)
    assert score(made, []) == dict(
        hits=0, misses=8, false_alarms=0, correct_rejections=14, marked=0, changed=8, words=22
    )
    assert score(made, made["word_id"]) == dict(
        hits=8, misses=0, false_alarms=14, correct_rejections=0, marked=22, changed=8, words=22
    )
    assert score(made, changed_ids(made)) == dict(
        hits=8, misses=0, false_alarms=0, correct_rejections=14, marked=8, changed=8, words=22
    )
    # "huge" (a hit), "held" (a false alarm), and an ID that is no word here (ignored)
    assert score(made, ["a02-3", "a02-1", "zz-9"]) == dict(
        hits=1, misses=7, false_alarms=1, correct_rejections=13, marked=2, changed=8, words=22
    )


def test_abbreviations_with_and_without_dots_are_one_word_in_every_stretch():
    """The page says "US" for KCNA's "U.S." is no change: the rule agrees outside ``matches`` too."""
    table = changed_words(
        pd.DataFrame(
            [
                # altered: "US" for "U.S." and "D.P.R.K." for "DPRK" are the same words; only "new" changed
                audit_row(
                    "b01",
                    "US forces’ new drill against the D.P.R.K.",
                    "altered",
                    "the U.S. forces’ drill against the DPRK",
                ),
                # a paraphrase, wire wording only: "U.N." is the wire's "UN"; "cruel" added
                audit_row("b02", "U.N. cruel sanctions", "paraphrase presented as quotation", None, "UN sanctions"),
                # in a hyphenated word too: "U.S.-led" is "US-led"; "new" added; a decimal is no abbreviation
                audit_row("b03", "U.S.-led new drills of 1.5 days", "altered", "US-led drills of 15 days"),
            ]
        )
    )
    assert changed_ids(table) == {"b01-3", "b02-2", "b03-2", "b03-5"}
    # the words themselves are shown as printed (end punctuation aside)
    assert list(table.loc[table["audit_id"] == "b01", "word"]) == ["US", "forces", "new", "drill", "against", "the",
                                                                    "D.P.R.K"]  # fmt: skip


def test_words_leave_out_end_punctuation():
    text = "“increasing speed, in a manner,” — U.S. all-out"
    assert [w for _, _, w in words(text)] == ["increasing", "speed", "in", "a", "manner", "U.S", "all-out"]
    assert all(text[s:e] == w for s, e, w in words(text))


def test_quoted_stretches_tell_quotes_from_apostrophes():
    sentences = pd.DataFrame(
        {
            "sentence_id": ["s1", "s2"],
            "paragraph": [1, 2],
            "sentence": [1, 1],
            "text": ["N Korea’s Kim calls for ‘practical, offensive’ war", "It said “frantic” and “all-out war”."],
        }
    )
    found = quoted_stretches(sentences)
    assert list(found["span"]) == ["practical, offensive", "frantic", "all-out war"]
    for row in found.itertuples():
        text = sentences.set_index("sentence_id").loc[row.sentence_id, "text"]
        assert text[row.start : row.end] == row.span


# --- the book's own data ------------------------------------------------------------------------


def test_the_articles_changed_words():
    """The audit's explanations name these changes; the rule finds exactly them."""
    table = changed_words(load("quotation_audit"))
    found = {(r.word_id, r.word) for r in table[table["changed"]].itertuples()}
    assert found == {
        ("q02-1", "frenzied"),
        ("q03-2", "hands-on"),
        ("q05-3", "in"),
        ("q05-6", "hands-on"),
        ("q05-9", "manner"),
        ("q06-6", "machines"),
        ("q06-13", "which"),
        ("q06-16", "means"),
        ("q06-20", "not"),
    }
    assert not table.loc[table["verdict"] == "matches", "changed"].any()


def test_the_lab_exports_the_package_words_and_nothing_else():
    lab = words_lab()
    table = changed_words(load("quotation_audit"))
    assert [w["id"] for w in lab.data["words"]] == list(table["word_id"])
    assert [w["changed"] for w in lab.data["words"]] == list(table["changed"])
    assert set(lab.data) == {"key", "stretches", "words"} and lab.data["key"] == STORAGE_KEY
    # one button per word, in the same order; no coding of the module anywhere
    assert re.findall(r'data-word="([^"]+)"', lab.html) == list(table["word_id"])
    assert "coding" not in json.dumps(lab.data)
    script = lab.data_script()
    assert script.startswith(f'<script type="application/json" id="{DATA_ID}">')
    inner = script.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "</" not in inner and json.loads(inner) == lab.data


def test_the_fallback_has_a_row_per_quotation_naming_its_changed_words():
    lab = words_lab()
    audit = load("quotation_audit")
    rows = [line for line in lab.fallback.splitlines() if line.startswith("* - {ref}")]
    assert len(rows) == len(audit)
    assert "the second “means”" in lab.fallback and "needs JavaScript" in lab.fallback


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def test_a_quotation_without_its_audit_row_fails_naming_it(data_copy):
    path = data_copy / "quotation_audit.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("q03,p03s01,more hands-on and offensive,", "q03,p03s01,more hands-on,"), "utf-8")
    with pytest.raises(DataError) as err:
        words_lab(data_copy)
    message = str(err.value)
    assert "row 4, column 'span'" in message and "'more hands-on'" in message
    assert "p03s01 quotes 'more hands-on and offensive', and no row audits it" in message


# --- in the browser -------------------------------------------------------------------------------


def open_lab(browser, url: str, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def package_words() -> pd.DataFrame:
    return changed_words(load("quotation_audit"))


def random_marks(table: pd.DataFrame, n: int = 30, seed: int = 13) -> list[list[str]]:
    """``n`` seeded random sets of marks: the first empty, the second every word, then random
    subsets of every size; each of the rest also carries an ID that is no word (to be ignored)."""
    rng = random.Random(seed)
    ids = list(table["word_id"])
    sets = [[], ids]
    while len(sets) < n:
        sets.append(rng.sample(ids, rng.randint(1, len(ids))) + (["q99-1"] if rng.random() < 0.3 else []))
    return sets


@pytest.mark.browser
def test_the_page_scores_as_the_package_does(browser, site):
    context, page = open_lab(browser, site.url + PAGE)
    try:
        table = package_words()
        sets = random_marks(table)
        page_scores, page_words = page.evaluate(
            """sets => [sets.map(m => window.ReadingDeterrence.words.score(m)),
                        [...document.querySelectorAll('.rd-lab-words button[data-word]')].map(b => b.dataset.word)]""",
            sets,
        )
        assert page_words == list(table["word_id"])
        for marks, got in zip(sets, page_scores, strict=True):
            assert {k: got[k] for k in KEYS} == score(table, marks), marks
    finally:
        context.close()


def tab_until(page, selector: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.browser
def test_keyboard_only(browser, site):
    context, page = open_lab(browser, site.url + PAGE)
    try:
        tab_until(page, ".rd-lab-words button[data-word]")
        assert page.evaluate("document.activeElement.dataset.word") == "q01-1"
        page.keyboard.press("Space")  # "practical": not changed
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # "frenzied": changed
        page.keyboard.press("Enter")
        pressed = page.eval_on_selector_all('button[aria-pressed="true"]', "bs => bs.map(b => b.dataset.word)")
        assert pressed == ["q01-1", "q02-1"]
        tab_until(page, ".rd-words-show")
        page.keyboard.press("Enter")
        expected = score(package_words(), pressed)
        assert (expected["hits"], expected["false_alarms"]) == (1, 1)
        live = page.inner_text(".rd-words-live")
        assert live.startswith("You marked 2 words: 1 that was changed (a hit) and 1 that was not (a false alarm).")
        assert f"You missed {expected['misses']} of the {expected['changed']} changed words." in live
        assert page.inner_text(".rd-words-reading") == live
        shown = page.eval_on_selector_all(
            "[data-score]", "els => els.map(e => [e.dataset.score, parseInt(e.textContent)])"
        )
        assert dict(shown) == {k: expected[k] for k in ("hits", "misses", "false_alarms", "correct_rejections")}
        assert page.inner_text('td[data-score="false_alarms"]') == "1 false alarm"
        assert page.is_visible("table.rd-words-answers")
        assert page.evaluate("document.activeElement.classList.contains('rd-words-hide')")
        assert page.inner_text('[data-word="q02-1"] + .rd-words-tag') == "changed: found"
        assert page.inner_text('[data-word="q01-1"] + .rd-words-tag') == "not changed"
        page.keyboard.press("Enter")  # hide the answers and try again: marks kept
        assert not page.is_visible("table.rd-words-answers") and not page.is_visible(".rd-words-tag")
        assert page.eval_on_selector_all('button[aria-pressed="true"]', "bs => bs.length") == 2
    finally:
        context.close()


def pressed_words(page) -> list[str]:
    return page.eval_on_selector_all('button[aria-pressed="true"]', "bs => bs.map(b => b.dataset.word)")


@pytest.mark.browser
def test_marks_survive_a_reload_until_erased(browser, site):
    context, page = open_lab(browser, site.url + PAGE)
    try:
        for word in ("q03-2", "q05-1", "q08-3"):
            page.click(f'button[data-word="{word}"]')
        page.reload()
        assert pressed_words(page) == ["q03-2", "q05-1", "q08-3"]
        assert page.inner_text(".rd-words-n") == "3"
        saved = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')"))
        assert saved == {"marks": ["q03-2", "q05-1", "q08-3"], "shown": False}
        page.click(".rd-words-erase")
        assert pressed_words(page) == [] and page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
        page.reload()
        assert pressed_words(page) == []
    finally:
        context.close()


@pytest.mark.browser
def test_no_request_beyond_the_pages_own_files(browser, site):
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(site.url + PAGE)
        page.wait_for_load_state("networkidle")
        assert requests and all(u.startswith(site.url) or u.startswith("data:") for u in requests), requests
        loaded = len(requests)
        page.click('button[data-word="q02-1"]')
        page.click(".rd-words-show")
        page.click(".rd-words-hide")
        page.click(".rd-words-erase")
        assert requests[loaded:] == []  # the lab fetches nothing: its data are in the page
    finally:
        context.close()


@pytest.mark.browser
def test_works_from_a_folder(browser, site):
    context, page = open_lab(browser, (site.root / PAGE).as_uri())
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.click('button[data-word="q06-6"]')
        page.click(".rd-words-show")
        assert page.inner_text(".rd-words-reading").startswith("You marked 1 word: 1 that was changed (a hit)")
        page.reload()
        assert pressed_words(page) == ["q06-6"] and page.is_visible("table.rd-words-answers")
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_axe_finds_nothing_with_the_answers_showing(browser, site):
    for scheme in ("light", "dark"):
        context, page = open_lab(browser, site.url + PAGE, color_scheme=scheme)
        try:
            for word in ("q01-1", "q03-2", "q05-3"):  # a false alarm and two hits; the rest misses
                page.click(f'button[data-word="{word}"]')
            page.click(".rd-words-show")
            page.add_script_tag(path=str(AXE))
            assert page.evaluate(AXE_SCRIPT) == [], scheme
        finally:
            context.close()


@pytest.mark.browser
def test_narrow_screen_and_print(browser, site):
    """At 360 px wide, nothing overflows with the answers showing; in print, the answers and the
    article print and the controls do not."""
    context, page = open_lab(browser, site.url + PAGE, viewport={"width": 360, "height": 800})
    try:
        page.click('button[data-word="q02-1"]')
        page.click(".rd-words-show")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.click(".rd-words-hide")
        page.emulate_media(media="print")
        assert page.is_visible("table.rd-words-answers") and page.is_visible(".rd-words-article")
        assert not page.is_visible(".rd-words-controls")
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_the_answers_show_as_a_table(browser, site):
    context, page = open_lab(browser, site.url + PAGE, java_script_enabled=False)
    try:
        assert page.is_visible("table.rd-words-answers") and page.is_visible(".rd-words-nojs")
        assert not page.is_visible(".rd-words-app")
        rows = page.locator("table.rd-words-answers tbody tr")
        assert rows.count() == len(load("quotation_audit"))
    finally:
        context.close()
