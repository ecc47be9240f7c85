"""The in-page coding lab ("Code it yourself"): the rendering module (fast), and the page in
headless Chromium against the package (browser): the same numbers as ``analysis.agreement`` for
the example sheet and for random sheets, the same error messages as ``read_sheet`` for malformed
sheets, keyboard only, storage, no request elsewhere, file://, axe, and no JavaScript.

The browser tests take the ``browser`` and ``site`` fixtures only (``site.url``, ``site.root``), so
that they can also be run by hand against another build."""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from reading_deterrence import DataError
from reading_deterrence.analysis.agreement import agreement, cohen_kappa, read_sheet
from reading_deterrence.analysis.coding import SHEET_LAYERS, CodedArticle, coded_sentences
from reading_deterrence.facts import CODING_ACTIVITY_SENTENCES, STUDENT_HELD_BACK
from reading_deterrence.rendering.lab_coding import COLUMNS, STORAGE_KEY, fallback_html, lab_data, lab_html
from reading_deterrence.rendering.myst import myst_to_markdown

ROOT = Path(__file__).resolve().parents[1]
PAGE = "chapters/02-who-speaks/code-it-yourself.html"
EXAMPLE = ROOT / "chapters" / "02-who-speaks" / "example-sheet.csv"
DATA_SCRIPT = re.compile(r'<script type="application/json" id="rd-lab-coding-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def article() -> CodedArticle:
    return CodedArticle.load()


# --- the rendering module (fast) ------------------------------------------------------------------


def test_teacher_data_has_every_sentence_and_the_module_coding(article):
    data = lab_data()
    wide = coded_sentences(article).set_index("sentence_id")
    assert [layer["name"] for layer in data["layers"]] == SHEET_LAYERS
    assert data["columns"] == COLUMNS == ["sentence_id", *SHEET_LAYERS, "notes"]
    assert data["storageKey"] == STORAGE_KEY == "rd-lab-coding-v1"
    assert [s[0] for s in data["sentences"]] == list(wide.index)
    assert all(words == wide.loc[sid, "words"] for sid, _, words in data["sentences"])
    assert data["module"] == {sid: [wide.loc[sid, layer] for layer in SHEET_LAYERS] for sid in wide.index}
    assert data["held"] == []
    book = article.codebook
    for layer in data["layers"]:
        rows = book[book["layer"] == layer["name"]]
        assert layer["values"] == [[v, label] for v, label in zip(rows["value"], rows["label"])]
    debatable = {k for k, note in data["notes"].items() if note.startswith("Debatable")}
    assert "p12s01-speaker" in debatable


def test_student_data_hold_back_the_module_codes_of_the_activity_sentences():
    data = lab_data(held_back=STUDENT_HELD_BACK)
    held = set(CODING_ACTIVITY_SENTENCES)
    assert data["held"] == sorted(held)
    assert held <= {s[0] for s in data["sentences"]}  # still there to be coded
    assert not held & set(data["module"])
    assert not any(key.split("-")[0] in held for key in data["notes"])
    assert len(data["module"]) == len(data["sentences"]) - len(held)
    # nowhere in the page's block: not in the data, not in the fallback table
    markup = lab_html(held_back=STUDENT_HELD_BACK)
    exported = json.loads(DATA_SCRIPT.search(markup).group(1).replace("<\\/", "</"))
    assert exported == data
    for sid in held:
        assert f"{sid}-" not in markup and f'"{sid}":[' not in markup
        assert f'<th scope="row">{sid}</th>' not in markup
    assert "compares them with the module's coding together" in markup


def test_fallback_is_the_module_coding_as_a_table_and_says_javascript_is_needed(article):
    teacher = fallback_html()
    student = fallback_html(held_back=STUDENT_HELD_BACK)
    n = len(article.sentences)
    assert teacher.count('<th scope="row">') == n
    assert student.count('<th scope="row">') == n - len(CODING_ACTIVITY_SENTENCES)
    for markup in (teacher, student):
        assert "needs JavaScript" in markup and "<caption>" in markup and '<th scope="col">Speaker</th>' in markup
    assert "Kim Jong Un → KCNA → reporter" in teacher


def test_the_block_holds_fallback_hidden_controls_and_safe_inline_data():
    markup = lab_html(codebook_href="../reference/codebook.html")
    assert markup.startswith('<div class="rd-lab-coding">')
    assert '<div class="rd-lab-ui" hidden>' in markup
    assert '<a href="../reference/codebook.html">codebook</a>' in markup
    assert markup.count('aria-live="polite"') == 1
    body = DATA_SCRIPT.search(markup).group(1)
    assert "</" not in body and "<!--" not in body
    assert 'type="file"' in markup and 'data-rd-action="erase"' in markup and 'data-rd-action="download"' in markup


def test_inline_data_cannot_end_its_script_element():
    from reading_deterrence.rendering.text import json_script

    script = json_script({"t": "a </script><!-- b"}, "x")
    text = script.removeprefix('<script type="application/json" id="x">').removesuffix("</script>")
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"t": "a </script><!-- b"}


def test_a_notebook_says_the_in_page_lab_is_in_the_book():
    text = "# Page\n\n```{coding-lab}\n```\n"
    out = myst_to_markdown(text, "teacher", {})
    assert "{coding-lab}" not in out and "runs in your browser" in out


# --- the page in Chromium (browser) ---------------------------------------------------------------

#: Malformed sheets (and two that read), as bytes: each must give read_sheet's problems, word for
#: word, or read the same. The first rows are the cases of tests/test_coding.py.
SHEETS = [
    b"sentence_id,speaker,quotation,claim_kind\np01s01,kcna,none,background\n",
    b"sentence_id,speaker,quotation,claim_kind,verifiability\np99s01,kcna,none,background,public_evidence\n",
    b"sentence_id,speaker,quotation,claim_kind,verifiability\np01s01,kcna,none,background,public_evidence\n"
    b"p02s01,kcna,shouting,background,public_evidence\n",
    b"sentence_id,speaker,quotation,claim_kind,verifiability\np01s01,kcna,,,\np01s01,kcna,,,\n",
    b'sentence_id,speaker,quotation,claim_kind,verifiability,notes\np06s01,us_rok,,,,"he said "no" here"\n',
    b"\xef\xbb\xbfsentence_id,speaker,quotation,claim_kind,verifiability\r\np06s01,us_rok,paraphrase,,\r\n\r\np07s01,kcna,,,\r\n",
    b"sentence_id,speaker,quotation,claim_kind,verifiability\rp06s01,us_rok,paraphrase,,\r\rp07s01,kcna,,,\r",
    "sentence_id,speaker,quotation,claim_kind,verifiability\np06s01,washington and seoul → reporter,PARAPHRASE,,\n".encode(),
    b'sentence_id,speaker,quotation,claim_kind,verifiability\np06s01,us_rok,,,\np07s01,"kcna,,,\n',
    b"",
    b"\n\n",
    b"text,notes\nsomething,else\n",
    b"sentence_id,speaker,quotation,claim_kind,verifiability\np06s01,\xff\xfe,,,\n",
    b'sentence_id,speaker,quotation,claim_kind,verifiability\n,kcna,,,\np06s01,it\'s,"x\ty",opinion,\n',
    b' sentence_id , speaker ,quotation,claim_kind,verifiability,text\n p06s01 , US_ROK ,"none",,,"a, b"\n',
]


def open_page(browser, url: str, **options):
    """A fresh context and the lab page at ``url``; requests to anything but ``url``'s own files
    are recorded and blocked."""
    context = browser.new_context(accept_downloads=True, **options)
    foreign: list[str] = []
    base = url.rsplit("/", 3)[0] + "/" if url.startswith("file:") else url.split(PAGE)[0]

    def route(route):
        request = route.request.url
        if request.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            foreign.append(request)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_function("() => window.ReadingDeterrence && window.ReadingDeterrence.coding.data")
    page.foreign, page.errors = foreign, errors
    return context, page


def held(page) -> set[str]:
    return set(page.evaluate("() => window.ReadingDeterrence.coding.data.held"))


def without(sheet: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """The sheet without the sentences whose module codes the page does not have."""
    return sheet[~sheet["sentence_id"].isin(ids)].reset_index(drop=True)


def same(js, py) -> bool:
    """Equal numbers, NaN equal to NaN (or to None, as JSON has no NaN)."""
    if py is None or (isinstance(py, float) and math.isnan(py)):
        return js is None or (isinstance(js, float) and math.isnan(js))
    return js == py


def assert_same_agreement(js: dict, py, label: str) -> None:
    for row in js["summary"]:
        want = py.summary.loc[row["layer"]]
        where = f"{label}, {row['layer']}"
        assert row["sentences"] == want["sentences"], where
        assert same(row["agreement_pct"], want["agreement_pct"]), (where, row, dict(want))
        assert same(row["kappa"], want["kappa"]), (where, row, dict(want))
    got = [(d["sentence_id"], d["layer"], d["yours"], d["module"], d["module_note"]) for d in js["disagreements"]]
    expected = [
        (sid, r.layer, r.yours, r.module, None if not isinstance(r.module_note, str) else r.module_note)
        for sid, r in zip(py.disagreements.index, py.disagreements.itertuples())
    ]
    assert got == expected, label


@pytest.mark.browser
def test_the_example_sheet_through_the_file_input_gives_the_package_numbers(browser, site, article):
    context, page = open_page(browser, site.url + PAGE)
    try:
        page.set_input_files("#rd-lab-coding-mine", str(EXAMPLE))
        page.wait_for_function("() => /^Loaded/.test(document.querySelector('.rd-lab-status').textContent)")
        py = agreement(without(read_sheet(EXAMPLE, article), held(page)), article)
        rows = page.locator('[data-rd-results="module"] table').first.locator("tbody tr")
        titles = {
            "speaker": "Speaker",
            "quotation": "Quotation",
            "claim_kind": "Kind of claim",
            "verifiability": "Verifiability",
        }
        assert rows.count() == len(SHEET_LAYERS)
        for i, layer in enumerate(SHEET_LAYERS):
            cells = rows.nth(i).locator("th, td").all_inner_texts()
            want = py.summary.loc[layer]
            assert cells[0] == titles[layer]
            assert cells[1] == str(int(want["sentences"]))
            assert cells[2].startswith(f"{want['agreement_pct']:.1f}%")
            assert cells[3] == ("not defined" if math.isnan(want["kappa"]) else f"{want['kappa']:.2f}")
            assert cells[4]  # the plain-English reading
        diffs = page.locator('[data-rd-results="module"] table.rd-lab-diffs tbody tr')
        assert diffs.count() == len(py.disagreements)
        for i, (sid, row) in enumerate(zip(py.disagreements.index, py.disagreements.itertuples())):
            cells = diffs.nth(i).locator("th, td").all_inner_texts()
            assert cells[0] == sid and cells[1] == titles[row.layer]
            debatable = isinstance(row.module_note, str) and row.module_note.startswith("Debatable")
            assert cells[4].startswith("Debatable call:") == debatable
        assert page.foreign == [] and page.errors == []
    finally:
        context.close()


def random_sheet(rng: random.Random, article: CodedArticle) -> str:
    """A sheet as a student might save it: every value or label in any case, many blanks, rows in
    any order, some sentences left out."""
    book = article.codebook
    rows = [["sentence_id", "text", *SHEET_LAYERS, "notes"]]
    sentences = list(article.sentences.itertuples())
    rng.shuffle(sentences)
    for s in sentences[: rng.randint(1, len(sentences))]:
        cells = []
        for layer in SHEET_LAYERS:
            entries = book[book["layer"] == layer]
            # few values per sheet, so that kappa is sometimes undefined or negative
            choice = rng.choice(list(entries["value"])[: rng.randint(1, len(entries))] + [""] * rng.randint(0, 2))
            if choice and rng.random() < 0.3:
                choice = entries.set_index("value").loc[choice, "label"]
            if rng.random() < 0.2:
                choice = choice.upper()
            cells.append(choice)
        rows.append([s.sentence_id, s.text, *cells, rng.choice(["", "unsure", 'a "quoted", note'])])
    out = pd.DataFrame(rows[1:], columns=rows[0]).to_csv(index=False, lineterminator=rng.choice(["\n", "\r\n"]))
    return out


@pytest.mark.browser
def test_random_sheets_give_the_package_numbers(browser, site, article, tmp_path):
    """20 random sheets against the module and 10 pairs of them against each other, in ONE
    evaluate; kappa also unrounded against cohen_kappa."""
    rng = random.Random(13)
    texts = [random_sheet(rng, article) for _ in range(20)]
    context, page = open_page(browser, site.url + PAGE)
    try:
        results = page.evaluate(
            """texts => { const c = window.ReadingDeterrence.coding, d = c.data, L = d.layers.map(l => l.name);
            const module = {}; for (const [sid, v] of Object.entries(d.module)) { module[sid] = {}; L.forEach((l, i) => module[sid][l] = v[i]); }
            const sheets = texts.map(t => c.readSheet(t, "sheet.csv", d));
            const map = s => Object.fromEntries(s.sheet.map(r => [r.sentence_id, r]));
            return { module: sheets.map(s => c.agreement(s.sheet, module, d.notes, L)),
                     pairs: sheets.slice(0, 10).map((s, i) => c.agreement(s.sheet, map(sheets[19 - i]), null, L)),
                     problems: sheets.map(s => s.problems) }; }""",
            texts,
        )
        ids = held(page)
        sheets = []
        for i, text in enumerate(texts):
            path = tmp_path / f"sheet{i}.csv"
            path.write_text(text, encoding="utf-8")
            sheets.append(read_sheet(path, article))
            assert results["problems"][i] == []
        checked = 0
        for i, sheet in enumerate(sheets):
            mine = without(sheet, ids)
            assert_same_agreement(results["module"][i], agreement(mine, article), f"sheet {i}")
            module = coded_sentences(article).set_index("sentence_id")
            for row in results["module"][i]["summary"]:
                coded = mine.dropna(subset=[row["layer"]])
                if len(coded):
                    py = cohen_kappa(
                        list(coded[row["layer"]]), [module.loc[s, row["layer"]] for s in coded["sentence_id"]]
                    )
                    assert same(row["kappa_raw"], py) or math.isclose(row["kappa_raw"], py, abs_tol=1e-12)
                    checked += 1
        for i in range(10):
            py = agreement(sheets[i], article, reference=sheets[19 - i])
            assert_same_agreement(results["pairs"][i], py, f"pair {i}")
        assert checked >= 40
    finally:
        context.close()


@pytest.mark.browser
def test_malformed_sheets_give_read_sheet_problems_word_for_word(browser, site, article, tmp_path):
    context, page = open_page(browser, site.url + PAGE)
    try:
        got = page.evaluate(
            """cases => cases.map(bytes => { const c = window.ReadingDeterrence.coding;
                const r = c.readSheet(new Uint8Array(bytes), "sheet.csv", c.data);
                return { problems: r.problems, sheet: r.sheet }; })""",
            [list(raw) for raw in SHEETS],
        )
        for raw, js in zip(SHEETS, got):
            path = tmp_path / "sheet.csv"
            path.write_bytes(raw)
            try:
                sheet = read_sheet(path, article)
            except DataError as err:
                assert js["problems"] == [str(p) for p in err.problems], raw
                assert js["sheet"] is None
            else:
                assert js["problems"] == [], raw
                records = [{k: r[k] for k in ["sentence_id", *SHEET_LAYERS]} for r in js["sheet"]]
                expected = sheet.astype(object).where(sheet.notna(), None).to_dict("records")
                assert records == expected, raw
    finally:
        context.close()


def first_codable(page) -> list[str]:
    """The sentences the module comparison counts on this page, in order."""
    return page.evaluate("() => Object.keys(window.ReadingDeterrence.coding.data.module)")


@pytest.mark.browser
def test_the_lab_by_keyboard_only(browser, site):
    context, page = open_page(browser, site.url + PAGE)
    try:
        first, second = sorted(first_codable(page))[:2]

        def tab_to(selector: str, limit: int = 400) -> None:
            for _ in range(limit):
                if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                    return
                page.keyboard.press("Tab")
            pytest.fail(f"Tab never reached {selector}")

        tab_to(f"#rd-lc-{first}-speaker")
        page.keyboard.press("ArrowDown")
        tab_to(f"#rd-lc-{second}-speaker")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert page.locator(f"#rd-lc-{first}-speaker").input_value() != ""
        assert page.locator(f"#rd-lc-{second}-speaker").input_value() != ""
        tab_to('button[data-rd-action="compare"]')
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "rd-lab-coding-results"
        speaker = page.locator('[data-rd-results="module"] table').first.locator("tbody tr").first
        assert speaker.locator("td").first.inner_text() == "2"
        assert page.locator(".rd-lab-status").inner_text().startswith("Results updated.")
        # Space presses a button too: Erase, reached by Tab
        tab_to('button[data-rd-action="erase"]')
        page.keyboard.press("Space")
        assert page.locator(f"#rd-lc-{first}-speaker").input_value() == ""
    finally:
        context.close()


@pytest.mark.browser
def test_work_survives_a_reload_erase_clears_it_and_the_download_reads_back(browser, site, article, tmp_path):
    context, page = open_page(browser, site.url + PAGE)
    try:
        page.select_option("#rd-lc-p06s01-speaker", "us_rok")
        page.select_option("#rd-lc-p06s01-quotation", "paraphrase")
        page.fill("#rd-lc-p06s01-notes", 'said "defensive", oddly')  # kept as typed, before any change event
        page.select_option("#rd-lc-p01s01-claim_kind", "official_claim")
        page.reload()
        page.wait_for_function("() => window.ReadingDeterrence && window.ReadingDeterrence.coding.data")
        assert page.locator("#rd-lc-p06s01-speaker").input_value() == "us_rok"
        assert page.locator("#rd-lc-p06s01-notes").input_value() == 'said "defensive", oddly'
        assert page.locator("#rd-lc-p01s01-claim_kind").input_value() == "official_claim"
        assert STORAGE_KEY in page.evaluate("() => Object.keys(localStorage)")

        with page.expect_download() as info:
            page.click('button[data-rd-action="download"]')
        path = tmp_path / "downloaded.csv"
        info.value.save_as(path)
        text = path.read_bytes().decode("utf-8-sig")
        assert text.splitlines()[0] == ",".join(COLUMNS)
        sheet = read_sheet(path, article).set_index("sentence_id")
        assert len(sheet) == len(article.sentences)
        assert sheet.loc["p06s01", "speaker"] == "us_rok" and sheet.loc["p06s01", "quotation"] == "paraphrase"
        assert sheet.loc["p01s01", "claim_kind"] == "official_claim"
        assert sheet.drop(index=["p06s01", "p01s01"]).isna().all().all()
        # the page reads its own download back to the same codes and notes
        again = page.evaluate(
            "t => window.ReadingDeterrence.coding.readSheet(t, 'x.csv', window.ReadingDeterrence.coding.data).sheet",
            text,
        )
        assert next(r for r in again if r["sentence_id"] == "p06s01")["notes"] == 'said "defensive", oddly'

        page.click('button[data-rd-action="erase"]')
        assert page.locator("#rd-lc-p06s01-speaker").input_value() == ""
        assert page.evaluate(f"() => localStorage.getItem('{STORAGE_KEY}')") is None
        page.reload()
        page.wait_for_function("() => window.ReadingDeterrence && window.ReadingDeterrence.coding.data")
        assert page.locator("#rd-lc-p06s01-speaker").input_value() == ""
        assert page.foreign == [] and page.errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_classmate_sheet_and_a_broken_sheet(browser, site, article, tmp_path):
    context, page = open_page(browser, site.url + PAGE)
    try:
        page.set_input_files("#rd-lab-coding-mine", str(EXAMPLE))
        broken = tmp_path / "broken.csv"
        broken.write_bytes(SHEETS[2])
        page.set_input_files("#rd-lab-coding-theirs", str(broken))
        problems = page.locator('[data-rd-problems="theirs"] li')
        problems.first.wait_for()
        assert problems.all_inner_texts() == [
            "broken.csv, row 3, column 'quotation': 'shouting' is not a value of quotation "
            "(use one of: full_quote, partial_quote, paraphrase, none)"
        ]
        assert page.locator('[data-rd-results="theirs"] table').count() == 0  # nothing loaded
        theirs = tmp_path / "theirs.csv"
        theirs.write_bytes(SHEETS[5])
        page.set_input_files("#rd-lab-coding-theirs", str(theirs))
        page.locator('[data-rd-results="theirs"] table').first.wait_for()
        assert page.locator('[data-rd-problems="theirs"]').is_hidden()
        py = agreement(read_sheet(EXAMPLE, article), article, reference=read_sheet(theirs, article))
        cells = page.locator('[data-rd-results="theirs"] table').first.locator("tbody tr").first.locator("td")
        assert cells.nth(0).inner_text() == str(py.summary.loc["speaker", "sentences"])
        assert cells.nth(1).inner_text().startswith(f"{py.summary.loc['speaker', 'agreement_pct']:.1f}%")
    finally:
        context.close()


@pytest.mark.browser
def test_no_request_leaves_the_page_files_and_it_works_from_file_urls(browser, site):
    url = (Path(site.root) / PAGE).resolve().as_uri()
    context, page = open_page(browser, url)
    try:
        assert page.locator(".rd-lab-ui").is_visible() and page.locator(".rd-lab-fallback").is_hidden()
        page.set_input_files("#rd-lab-coding-mine", str(EXAMPLE))
        page.wait_for_function("() => /^Loaded/.test(document.querySelector('.rd-lab-status').textContent)")
        assert page.locator('[data-rd-results="module"] table').count() == 2
        page.select_option("#rd-lc-p06s01-speaker", "kcna")
        page.reload()
        page.wait_for_function("() => window.ReadingDeterrence && window.ReadingDeterrence.coding.data")
        assert page.locator("#rd-lc-p06s01-speaker").input_value() == "kcna"
        with page.expect_download():
            page.click('button[data-rd-action="download"]')
        assert page.foreign == [], page.foreign
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_results_showing(browser, site, scheme):
    from conftest import AXE
    from tools.audit import AXE_SCRIPT

    context, page = open_page(browser, site.url + PAGE, color_scheme=scheme)
    try:
        page.set_input_files("#rd-lab-coding-mine", str(EXAMPLE))
        page.set_input_files("#rd-lab-coding-theirs", str(EXAMPLE))
        page.locator('[data-rd-results="theirs"] table').first.wait_for()
        page.locator(".rd-lab-diffs").first.wait_for()
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(AXE_SCRIPT) == []
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_the_fallback_table_shows(browser, site, article):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url + PAGE)
        assert page.locator(".rd-lab-nojs").is_visible()
        assert "needs JavaScript" in page.locator(".rd-lab-nojs").inner_text()
        table = page.locator(".rd-lab-fallback table")
        assert table.is_visible()
        assert page.locator(".rd-lab-ui").is_hidden()
        shown = set(table.locator("tbody th").all_inner_texts())
        assert len(shown) >= len(article.sentences) - len(CODING_ACTIVITY_SENTENCES)
    finally:
        context.close()


def test_the_student_page_exports_no_module_code_of_the_held_sentences(student_book):
    markup = (student_book.html / PAGE).read_text(encoding="utf-8")
    data = json.loads(DATA_SCRIPT.search(markup).group(1).replace("<\\/", "</"))
    assert data["held"] == sorted(CODING_ACTIVITY_SENTENCES)
    for sid in CODING_ACTIVITY_SENTENCES:
        assert sid not in data["module"] and not any(k.startswith(sid) for k in data["notes"])
        assert f'<th scope="row">{sid}</th>' not in markup
