"""The discernment check ("Check yourself", issue 14): its data, markup and charts
(rendering/lab_discernment.py), and the check in headless Chromium: the page scores exactly as the
package does (H, F, d′, c, AUC and the words), a whole form answered by mouse and one by keyboard
only, answers kept across a reload until erased, a results file that the class report reads back
to the same numbers, no request beyond the page's own files during the whole flow, file://, axe
with the results showing (light and dark), 360 px and print, and the printable list without
JavaScript.
"""

from __future__ import annotations

import json
import random
import re

import pandas as pd
import pytest
from test_discernment import fixture_package

from conftest import AXE
from reading_deterrence import DataError, load
from reading_deterrence.analysis.discernment import fixed, reading, score
from reading_deterrence.analysis.discernment_results import class_scores, read_results
from reading_deterrence.rendering.lab_discernment import (
    DATA_ID,
    STORAGE_KEY,
    _baseline,
    chart_svg,
    discernment_lab,
    item_order,
)
from tools.audit import AXE_SCRIPT

PAGE = "chapters/check-yourself/index.html"
KEYS = ("unsound", "sound", "hits", "misses", "false_alarms", "correct_rejections")
RATES = ("hit_rate", "false_alarm_rate", "d_prime", "c", "auc")


# --- data, markup and charts ----------------------------------------------------------------------


def test_the_lab_exports_each_item_once_with_its_truth():
    bank = load("discernment_items")
    lab = discernment_lab(None, "../reference/sources.html")
    assert set(lab.data["items"]) == set(bank["item_id"]) and lab.data["key"] == STORAGE_KEY
    truth = dict(zip(bank["item_id"], bank["sound"].astype(bool)))
    assert all(item["sound"] == truth[i] for i, item in lab.data["items"].items())
    # page order: each form's items once, numbered from 1, no pair side by side
    for form in ("A", "B"):
        section = re.search(rf'data-form="{form}".*?</section>', lab.html).group(0)
        assert re.findall(r'data-item="(d\d+)"', section) == item_order(bank, form)
        pairs = bank.set_index("item_id")["pair_id"]
        order = item_order(bank, form)
        assert all(pairs[a] != pairs[b] for a, b in zip(order, order[1:]))
    first = lab.data["items"][bank["item_id"].iloc[0]]["sources"][0]
    assert first[1].startswith("../reference/sources.html#source-")
    script = lab.data_script()
    inner = script.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert script.startswith(f'<script type="application/json" id="{DATA_ID}">')
    assert "</" not in inner and json.loads(inner) == lab.data
    assert "Scoring needs JavaScript" in lab.html


def test_every_chart_item_is_an_svg_with_a_text_alternative_that_does_not_give_the_answer():
    bank = load("discernment_items")
    lab = discernment_lab()
    for item in bank[bank["kind"] == "chart"].itertuples():
        svg = re.search(rf'<li[^>]*data-item="{item.item_id}".*?</svg>', lab.html).group(0)
        assert 'role="img"' in svg and f'aria-labelledby="rd-dc-svg-{item.item_id}-t rd-dc-svg-{item.item_id}-d"' in svg
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
        assert not re.search(r"fair|misleading|truncat|cherry|sound", desc, re.I), desc


def bars(values, labels=None):
    labels = labels or [f"b{i}" for i in range(len(values))]
    return pd.DataFrame({"label": labels, "name": labels, "value": values})


def test_the_variants():
    # truncated: from the round number below the smallest bar (the bank's explanations rely on 340)
    assert (_baseline([400, 350]), _baseline([370, 350]), _baseline([39, 23]), _baseline([7, 3])) == (340, 340, 20, 2)
    truncated = chart_svg(bars([400, 350]), "km", "truncated", "t", "reporter")
    assert "is marked from 340 to 400" in truncated
    fair = chart_svg(bars([400, 350]), "km", "fair", "f", "reporter")
    assert "is marked from 0 to 400" in fair
    # cherry: the largest bar left out, without a word
    cherry = chart_svg(bars([1, 7, 3], ["Jan", "Mar", "Apr"]), "launch events", "cherry", "c", "month")
    assert "2 bars, one for each of: Jan, 1; Apr, 3." in cherry and "Mar" not in cherry
    with pytest.raises(ValueError, match="cannot start above zero"):
        chart_svg(bars([0, 4]), "launch events", "truncated", "x", "month")


def test_a_chart_spec_the_page_cannot_draw_fails_naming_row_and_column(tmp_path):
    folder = fixture_package(tmp_path / "data")
    path = folder / "discernment_items.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "launch_events:by_year:truncated", "launch_events:by_weekday:truncated"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        discernment_lab(folder)
    assert "discernment_items.csv, row 5, column 'chart': launch_events:by_weekday:truncated" in str(err.value)


def test_the_fixture_bank_renders_too(tmp_path):
    lab = discernment_lab(fixture_package(tmp_path / "data"))
    assert len(lab.data["items"]) == 12 and lab.html.count('class="rd-dc-item"') == 12


# --- in the browser -------------------------------------------------------------------------------


def open_lab(browser, url: str, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def page_order(page, form: str) -> list[str]:
    return page.eval_on_selector_all(
        f'.rd-dc-form[data-form="{form}"] .rd-dc-item', "lis => lis.map(li => li.dataset.item)"
    )


def answer_sets(bank: pd.DataFrame, n: int = 20, seed: int = 14) -> list[dict[str, int]]:
    """Edge cases (all flagged, none flagged, perfect, backwards, all one rating) on both forms,
    then ``n`` seeded random answer sets, alternating forms."""
    rng = random.Random(seed)
    sets = []
    for form in ("A", "B"):
        items = bank[bank["form"] == form]
        truth = dict(zip(items["item_id"], items["sound"].astype(bool)))
        sets += [
            {i: 6 for i in truth},
            {i: 1 for i in truth},
            {i: 1 if s else 6 for i, s in truth.items()},
            {i: 6 if s else 1 for i, s in truth.items()},
            {i: 4 for i in truth},
        ]
    for k in range(n):
        items = bank[bank["form"] == "AB"[k % 2]]
        sets.append({i: rng.randint(1, 6) for i in items["item_id"]})
    return sets


@pytest.mark.browser
def test_the_page_scores_as_the_package_does(browser, site):
    bank = load("discernment_items")
    context, page = open_lab(browser, site.url + PAGE)
    try:
        sets = answer_sets(bank)
        got = page.evaluate(
            "sets => sets.map(r => { const d = window.ReadingDeterrence.discernment;"
            " const s = d.score(r); return [s, d.reading(s)]; })",
            sets,
        )
        assert len(got) == len(sets) == 30
        for ratings, (page_score, page_words) in zip(sets, got, strict=True):
            expected = score(ratings, bank)
            assert {k: page_score[k] for k in KEYS} == {k: expected[k] for k in KEYS}, ratings
            for k in RATES:
                assert page_score[k] == pytest.approx(expected[k], abs=1e-12), (k, ratings)
            assert page_words == reading(expected)
    finally:
        context.close()


def shown_numbers(page) -> dict[str, str]:
    return dict(page.eval_on_selector_all("[data-dc]", "els => els.map(e => [e.dataset.dc, e.textContent])"))


def expected_numbers(s: dict) -> dict[str, str]:
    return {
        "hits": str(s["hits"]),
        "false_alarms": str(s["false_alarms"]),
        "misses": str(s["misses"]),
        "correct_rejections": str(s["correct_rejections"]),
        "hit_rate": f"{s['hits']} of {s['unsound']} ({fixed(100 * s['hit_rate'], 0)}%)",
        "false_alarm_rate": f"{s['false_alarms']} of {s['sound']} ({fixed(100 * s['false_alarm_rate'], 0)}%)",
        "d_prime": fixed(s["d_prime"]),
        "c": fixed(s["c"]),
        "auc": fixed(s["auc"]),
    }


@pytest.mark.browser
def test_a_whole_form_by_mouse_then_a_results_file_the_report_reads(browser, site, tmp_path):
    bank = load("discernment_items")
    context, page = open_lab(browser, site.url + PAGE)
    try:
        page.click('.rd-dc-choose input[value="A"]')
        order = page_order(page, "A")
        assert order == item_order(bank, "A") and page.is_visible(f"#rd-dc-{order[0]}")
        assert not page.is_visible('.rd-dc-form[data-form="B"]')
        rng = random.Random(3)
        ratings = {item: rng.randint(1, 6) for item in order}
        for item, r in list(ratings.items())[:-1]:
            page.click(f'#rd-dc-{item} input[value="{r}"]')
        assert page.inner_text(".rd-dc-progress").startswith(f"You have answered {len(order) - 1} of the {len(order)}")
        page.click(".rd-dc-score")  # one item left: named, and focus goes to it
        assert f"1 item still needs an answer: Item {len(order)}." in page.inner_text(".rd-dc-live")
        assert page.evaluate("document.activeElement.name") == f"rd-dc-{order[-1]}"
        page.click(f'#rd-dc-{order[-1]} input[value="{ratings[order[-1]]}"]')
        page.click(".rd-dc-score")
        expected = score(ratings, bank)
        assert shown_numbers(page) == expected_numbers(expected)
        assert page.inner_text(".rd-dc-reading") == reading(expected) == page.inner_text(".rd-dc-live")
        assert page.evaluate("document.activeElement.id") == "rd-dc-results-title"
        first = load("discernment_items").set_index("item_id").loc[order[0]]
        answer = page.inner_text(f"#rd-dc-{order[0]} .rd-dc-answer")
        assert answer.startswith("Sound." if first["sound"] else "Unsound.") and first["explanation"] in answer
        assert page.eval_on_selector_all(".rd-dc-form[data-form='A'] input", "xs => xs.every(x => x.disabled)")
        # the code: an e-mail address and a name with a space are refused
        for bad, words in (("ann@school.org", "e-mail address"), ("Ann Lee", "no spaces"), ("x", "2 to 20")):
            page.fill("#rd-dc-code", bad)
            page.click(".rd-dc-download")
            assert words in page.inner_text("#rd-dc-code-error")
            assert page.get_attribute("#rd-dc-code", "aria-invalid") == "true"
        page.fill("#rd-dc-code", "S-07")
        with page.expect_download() as info:
            page.click(".rd-dc-download")
        download = info.value
        assert download.suggested_filename == "discernment-S-07-pre.csv"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert not page.is_visible("#rd-dc-code-error")
        results = read_results([path], bank)
        assert dict(zip(results["item_id"], results["rating"])) == ratings
        back = class_scores(results, bank).iloc[0]
        assert (back["code"], back["phase"], back["form"]) == ("S-07", "pre", "A")
        assert expected_numbers(back.to_dict()) == shown_numbers(page)
    finally:
        context.close()


def tab_until(page, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.browser
def test_a_whole_form_by_keyboard_only(browser, site):
    bank = load("discernment_items")
    context, page = open_lab(browser, site.url + PAGE)
    try:
        tab_until(page, 'input[name="rd-dc-form"]')
        page.keyboard.press("ArrowDown")  # from A to B: chooses form B
        assert page.is_checked('.rd-dc-choose input[value="B"]') and page.is_visible('.rd-dc-form[data-form="B"]')
        order = page_order(page, "B")
        rng = random.Random(5)
        ratings = {}
        for item in order:
            page.keyboard.press("Tab")  # into the item's group: its first answer, none chosen yet
            assert page.evaluate("document.activeElement.name") == f"rd-dc-{item}"
            ratings[item] = rng.randint(1, 6)
            page.keyboard.press("Space")  # chooses 1
            for _ in range(ratings[item] - 1):
                page.keyboard.press("ArrowRight")
        chosen = page.eval_on_selector_all(
            ".rd-dc-form[data-form='B'] input:checked", "xs => xs.map(x => [x.name.slice(6), +x.value])"
        )
        assert dict(chosen) == ratings
        tab_until(page, ".rd-dc-score")
        page.keyboard.press("Enter")
        expected = score(ratings, bank)
        assert shown_numbers(page) == expected_numbers(expected)
        assert page.inner_text(".rd-dc-live") == reading(expected)
        assert page.evaluate("document.activeElement.id") == "rd-dc-results-title"
    finally:
        context.close()


def checked(page) -> dict[str, int]:
    return dict(
        page.eval_on_selector_all(".rd-dc-item input:checked", "xs => xs.map(x => [x.name.slice(6), +x.value])")
    )


@pytest.mark.browser
def test_answers_survive_a_reload_until_erased(browser, site):
    context, page = open_lab(browser, site.url + PAGE)
    try:
        page.click('.rd-dc-choose input[value="A"]')
        order = page_order(page, "A")
        given = dict(zip(order[:5], (6, 1, 3, 4, 2)))
        for item, r in given.items():
            page.click(f'#rd-dc-{item} input[value="{r}"]')
        page.reload()  # the bell rang: the next lesson resumes
        assert page.is_checked('.rd-dc-choose input[value="A"]') and checked(page) == given
        assert page.inner_text(".rd-dc-progress").startswith(f"You have answered 5 of the {len(order)}")
        saved = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')"))
        assert {k: v[0] for k, v in saved["forms"]["A"]["ratings"].items()} == given
        page.click(".rd-dc-erase")
        assert checked(page) == given  # one press erases nothing
        page.click(".rd-dc-erase-yes")
        assert checked(page) == {} and page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
        assert not page.is_checked('.rd-dc-choose input[value="A"]')
        page.reload()
        assert checked(page) == {} and not page.is_visible(".rd-dc-form")
    finally:
        context.close()


def answer_all(page, form: str, seed: int = 1) -> dict[str, int]:
    page.click(f'.rd-dc-choose input[value="{form}"]')
    rng = random.Random(seed)
    ratings = {item: rng.randint(1, 6) for item in page_order(page, form)}
    for item, r in ratings.items():
        page.click(f'#rd-dc-{item} input[value="{r}"]')
    page.click(".rd-dc-score")
    return ratings


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
        answer_all(page, "A")
        assert requests[loaded:] == []  # answering and scoring fetch nothing: the data are in the page
        page.reload()  # resuming loads the page's own files again, and nothing else
        page.wait_for_load_state("networkidle")
        page.fill("#rd-dc-code", "S-01")
        with page.expect_download():
            page.click(".rd-dc-download")
        answer_all(page, "B", seed=2)
        assert page.is_visible(".rd-dc-both")
        page.click(".rd-dc-erase")
        page.click(".rd-dc-erase-yes")
        page.wait_for_timeout(300)
        own = (site.url, "data:", "blob:" + site.url.rstrip("/"))
        assert all(u.startswith(own) for u in requests), [u for u in requests if not u.startswith(own)]
    finally:
        context.close()


@pytest.mark.browser
def test_works_from_a_folder(browser, site):
    context, page = open_lab(browser, (site.root / PAGE).as_uri())
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        ratings = answer_all(page, "B", seed=9)
        expected = score(ratings, load("discernment_items"))
        assert shown_numbers(page) == expected_numbers(expected)
        page.reload()
        assert page.is_visible(".rd-dc-results") and shown_numbers(page) == expected_numbers(expected)
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_axe_finds_nothing_with_the_results_showing(browser, site):
    for scheme in ("light", "dark"):
        context, page = open_lab(browser, site.url + PAGE, color_scheme=scheme)
        try:
            answer_all(page, "A")
            page.fill("#rd-dc-code", "a b")
            page.click(".rd-dc-download")  # the error message showing too
            page.add_script_tag(path=str(AXE))
            assert page.evaluate(AXE_SCRIPT) == [], scheme
        finally:
            context.close()


@pytest.mark.browser
def test_narrow_screen_and_print(browser, site):
    """At 360 px wide nothing overflows, with the results showing; in print the items and the
    results print and the controls do not."""
    context, page = open_lab(browser, site.url + PAGE, viewport={"width": 360, "height": 800})
    try:
        answer_all(page, "A")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.emulate_media(media="print")
        assert page.is_visible(".rd-dc-results") and page.is_visible(".rd-dc-form[data-form='A'] .rd-dc-item")
        assert not page.is_visible(".rd-dc-controls") and not page.is_visible(".rd-dc-save")
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_the_items_show_as_a_printable_list(browser, site):
    context, page = open_lab(browser, site.url + PAGE, java_script_enabled=False)
    try:
        bank = load("discernment_items")
        assert page.is_visible(".rd-dc-nojs") and "Scoring needs JavaScript" in page.inner_text(".rd-dc-nojs")
        assert page.locator(".rd-dc-item").count() == len(bank) and page.is_visible(".rd-dc-item svg")
        assert not page.is_visible(".rd-dc-start") and not page.is_visible(".rd-dc-controls")
        assert page.is_visible("table.rd-dc-match")
    finally:
        context.close()
