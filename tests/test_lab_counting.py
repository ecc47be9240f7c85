"""The counting explorer (``{counting-lab}``): its markup and data (fast), and the page in headless
Chromium (browser): it counts as ``analysis.counting.count`` does under every combination of the
rules, works by keyboard only, from a folder (file://) and without JavaScript, asks for nothing
outside its own files, and axe finds nothing with results showing.

The browser checks are plain functions of a browser and a built site, so that they can also run
against any build: ``python tests/test_lab_counting.py /tmp/somewhere/_build/html``.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from reading_deterrence import load
from reading_deterrence.analysis.counting import CLASS_RULES, REPORTERS, Rules, announced, count, count_table, counted
from reading_deterrence.facts import COUNT_SENTENCE, article_window, numbers_facts
from reading_deterrence.rendering.lab_counting import (
    CITE,
    DATA_ID,
    lab_data,
    lab_html,
    presets,
    said_items,
)

PAGE = "chapters/05-numbers/explorer.html"
FLAGS = list(CLASS_RULES.values())


@pytest.fixture(scope="module")
def tables():
    return load("launch_events"), load("launch_reports")


def make(events, reports, claim_text=None):
    window = article_window()
    facts = numbers_facts()
    text = claim_text or str(load("article_sentences").set_index("sentence_id").loc[COUNT_SENTENCE, "text"])
    claim = {
        "id": COUNT_SENTENCE,
        "text": text,
        "events": facts["numbers_claim_events"],
        "missiles": facts["numbers_claim_missiles"],
    }
    data = lab_data(events, reports, claim=claim, window=window, offered=presets(events, window))
    return data, lab_html(events, reports, data)


# --- fast: the data and the markup --------------------------------------------------------------


def test_the_data_carry_every_event_and_report_with_the_conventions_applied(tables):
    events, reports = tables
    data, _ = make(events, reports)
    assert [e["id"] for e in data["events"]] == list(events.sort_values(["date", "event_id"])["event_id"])
    rows = [(e["id"], *r) for e in data["events"] for r in e["reports"]]
    assert len(rows) == len(reports)
    said = dict(zip(zip(reports["event_id"], reports["reporter"]), announced(reports)))
    assert all(row[3] == said[(row[0], row[1])] for row in rows)  # silence ("(no ...") marked by the package
    assert any(not row[3] for row in rows) and any(row[2] is None for row in rows)  # both conventions occur
    for e in data["events"]:  # reports in the package's order of reporters, for "figure_from"
        order = [REPORTERS.index(r[0]) for r in e["reports"]]
        assert order == sorted(order)
    assert data["defaults"] == {**{f: getattr(Rules(), f) for f in FLAGS}, "unit": "events", "reporter": "any"}
    assert [rule for _, rule in data["classRules"]] == FLAGS


def test_the_claim_and_windows_come_from_the_facts(tables):
    events, reports = tables
    data, _ = make(events, reports)
    sentence = load("article_sentences").set_index("sentence_id").loc[COUNT_SENTENCE, "text"]
    assert data["claim"]["text"] == sentence
    assert f"about {data['claim']['missiles']} missiles in {data['claim']['events']} " in sentence
    window = article_window()
    assert data["window"] == {k: f"{window[k]:%Y-%m-%d}" for k in ("start", "end")}
    windows = [(p["start"], p["end"]) for p in data["presets"]]
    assert windows[0] == (data["window"]["start"], data["window"]["end"])
    assert (None, None) in windows
    for year in sorted(events["date"].dt.year.unique()):
        assert (f"{year}-01-01", f"{year}-12-31") in windows


def test_the_markup_without_script_shows_the_module_s_own_results(tables):
    events, reports = tables
    _, html = make(events, reports)
    assert html.count(CITE) == 1
    soup = BeautifulSoup(html.replace(CITE, ""), "html.parser")
    assert soup.select_one("form#rd-cl-form").has_attr("hidden")  # the controls wait for the script
    window = article_window()
    assert soup.select_one(".rd-cl-number").get_text() == str(count(events, reports, **window))
    assert soup.select_one("[aria-live=polite]") is not None
    assert len(soup.select(".rd-cl-counted tbody tr")) == len(counted(events, reports, **window))
    in_window = events["date"].between(window["start"], window["end"]).sum()
    left = [tr for tr in soup.select(".rd-cl-left tbody tr") if not tr.select("td[colspan]")]  # not "None."
    assert len(left) + len(counted(events, reports, **window)) == in_window
    module = soup.select(".rd-cl-module tbody tr")
    expected = count_table(events, reports, **window)
    assert len(module) == len(expected)
    assert [td.get_text() for td in module[0].select("td")][-3:] == [
        str(v) for v in expected.iloc[0][["events", "missiles", "no figure"]]
    ]
    for table in soup.select("table"):
        assert table.caption is not None and table.caption.get_text().strip()
        assert all(th.get("scope") in ("col", "row") for th in table.select("th"))


def test_every_control_has_a_label_and_sits_in_a_fieldset(tables):
    events, reports = tables
    _, html = make(events, reports)
    soup = BeautifulSoup(html, "html.parser")
    inputs = soup.select("form input")
    assert len(inputs) >= len(REPORTERS) + len(FLAGS) + 2 + 2
    for control in inputs:
        assert soup.select_one(f'label[for="{control["id"]}"]').get_text().strip(), control
        assert control.find_parent("fieldset").legend.get_text().strip()
    assert {i["value"] for i in soup.select('input[name="class"]')} == set(FLAGS)
    assert len(soup.select("input[disabled][checked]")) == len(Rules().classes()) - sum(
        getattr(Rules(), f) for f in FLAGS
    )


def test_the_data_are_inline_json_that_cannot_close_its_script(tables):
    events, reports = tables
    data, html = make(events, reports, claim_text="A claim with </script><b>markup</b> in it")
    script = re.search(rf'<script type="application/json" id="{DATA_ID}">(.*?)</script>', html, re.S).group(1)
    assert "</" not in script
    assert json.loads(script) == data


def test_what_a_reporter_said_is_written_out_plainly():
    rows = [["JCS", None, False, "(no announcement)"], ["KCNA", 4, True, "cruise missiles"], ["other", None, True, "x"]]
    assert said_items(rows) == (
        "<li><b>JCS</b>: silent (no announcement)</li><li><b>KCNA</b>: 4 missiles (cruise missiles)</li>"
        "<li><b>other</b>: announced it, no number (x)</li>"
    )


# --- in the browser: checks that take a browser and a built site --------------------------------


def windows() -> dict[str, dict]:
    """The article's "this year", its calendar year, and all the data."""
    article = article_window()
    year = article["end"].year
    return {
        "article": {"start": article["start"], "end": article["end"]},
        "calendar": {
            "start": pd.Timestamp(year=year, month=1, day=1),
            "end": pd.Timestamp(year=year, month=12, day=31),
        },
        "all": {"start": None, "end": None},
    }


def reporter_options() -> list:
    """ "any", each reporter alone, and every group of two or more."""
    groups = [c for n in range(2, len(REPORTERS)) for c in itertools.combinations(REPORTERS, n)]
    return ["any", *REPORTERS, *groups]


def cases() -> list[dict]:
    """Every combination of the five class rules and both units, with "any" and each reporter alone,
    in each window; and, in the article's window, every group of reporters under the four
    combinations of rules the data lab varies (cruise missiles and rocket artillery in or out)."""
    varied = ("include_cruise", "include_rocket_artillery")  # as count_table varies them
    out = []
    for (name, window), who in itertools.product(windows().items(), reporter_options()):
        group = not isinstance(who, str)
        for flags in itertools.product([True, False], repeat=len(FLAGS)):
            rules = dict(zip(FLAGS, flags))
            if group and (name != "article" or any(rules[f] != getattr(Rules(), f) for f in FLAGS if f not in varied)):
                continue
            for unit in ("events", "missiles"):
                out.append({"window": name, **window, **rules, "unit": unit, "reporter": who})
    return out


def js_rules(case: dict) -> dict:
    rules = {k: v for k, v in case.items() if k != "window"}
    rules["reporter"] = case["reporter"] if isinstance(case["reporter"], str) else list(case["reporter"])
    for key in ("start", "end"):
        rules[key] = None if case[key] is None else f"{case[key]:%Y-%m-%d}"
    return rules


ENUMERATE = """rules => rules.map(r => [window.ReadingDeterrence.counting.count(r),
    window.ReadingDeterrence.counting.describe(r)])"""


def check_counts(page) -> int:
    """The page's count() and describe() against the package's, in one page.evaluate; returns how
    many combinations were compared."""
    events, reports = load("launch_events"), load("launch_reports")
    todo = cases()
    got = page.evaluate(ENUMERATE, [js_rules(c) for c in todo])
    wrong = []
    for case, (n, words) in zip(todo, got):
        rules = {k: v for k, v in case.items() if k not in ("window", "start", "end")}
        expected = count(events, reports, start=case["start"], end=case["end"], **rules)
        if (n, words) != (expected, Rules(**rules).describe()):
            wrong.append(f"{case['window']} {Rules(**rules).describe()}: page {n} ({words}), package {expected}")
    assert not wrong, f"{len(wrong)} of {len(todo)} combinations differ:\n" + "\n".join(wrong[:20])
    return len(todo)


def check_counted(page) -> int:
    """The page's counted() (events, figures and whose figure) against the package's, for each
    reporter option and window under the default class rules."""
    events, reports = load("launch_events"), load("launch_reports")
    todo = [
        {"window": n, **w, "reporter": who} for (n, w), who in itertools.product(windows().items(), reporter_options())
    ]
    todo = [{**c, "unit": "events"} for c in todo]
    got = page.evaluate(
        "rules => rules.map(r => window.ReadingDeterrence.counting.counted(r))", [js_rules(c) for c in todo]
    )
    for case, rows in zip(todo, got):
        table = counted(events, reports, start=case["start"], end=case["end"], reporter=case["reporter"])
        expected = [
            [i, None if pd.isna(m) else int(m), None if pd.isna(f) else f]
            for i, m, f in zip(table.index, table["missiles"], table["figure_from"])
        ]
        # the same events, figures and sources (the package leaves the order of same-day events open)
        assert sorted([r["id"], r["missiles"], r["from"]] for r in rows) == sorted(expected), case
        assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    return len(todo)


def shown(page) -> int:
    return int(page.locator(".rd-cl-number").inner_text())


def tab_until(page, is_there: str, arg=None, limit: int = 60) -> None:
    """Press Tab until ``is_there`` (a function of the focused element, in JavaScript) holds."""
    for _ in range(limit):
        if page.evaluate(f"arg => ({is_there})(document.activeElement, arg)", arg):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached an element for which {is_there} holds")


def check_keyboard(page) -> None:
    """Untick a reporter, toggle a kind, switch to missiles, choose a preset and go back to the
    module's rules, by keyboard only; after each step the count shown is the package's."""
    events, reports = load("launch_events"), load("launch_reports")
    article = article_window()
    year = article["end"].year
    calendar = {"start": f"{year}-01-01", "end": f"{year}-12-31"}

    def expect(window=article, **rules) -> None:
        n = count(events, reports, **window, **rules)
        assert shown(page) == n, (rules, shown(page), n)
        assert page.locator(".rd-cl-live").inner_text().startswith(str(n))

    assert page.locator("#rd-cl-form").is_visible()
    page.locator("#rd-cl-reporter-JCS").focus()  # where a keyboard user arrives from the page above
    tab_until(page, "(el, id) => el.id === id", "rd-cl-reporter-KCNA")
    page.keyboard.press("Space")
    allies = tuple(r for r in REPORTERS if r != "KCNA")
    expect(reporter=allies)
    assert "not announced by" in page.locator(".rd-cl-left").inner_text()
    tab_until(page, "(el, id) => el.id === id", "rd-cl-class-include_cruise")
    page.keyboard.press("Space")
    expect(reporter=allies, include_cruise=False)
    assert "kind not counted (cruise)" in page.locator(".rd-cl-left").inner_text()
    tab_until(page, "(el, id) => el.id === id", "rd-cl-unit-events")
    page.keyboard.press("ArrowDown")
    expect(reporter=allies, include_cruise=False, unit="missiles")
    assert "missiles" in page.locator(".rd-cl-live").inner_text()
    tab_until(page, "(el, text) => el.classList.contains('rd-cl-preset') && el.textContent === text", f"All of {year}")
    page.keyboard.press("Enter")
    expect(calendar, reporter=allies, include_cruise=False, unit="missiles")
    tab_until(page, "el => el.classList.contains('rd-cl-reset')")
    page.keyboard.press("Enter")
    expect()
    assert page.locator("#rd-cl-reporter-KCNA").is_checked() and page.locator("#rd-cl-unit-events").is_checked()


def check_no_reporter(page) -> None:
    """With no reporter ticked nothing counts, and the page says why."""
    for box in page.locator('input[name="reporter"]').all():
        box.uncheck()
    assert shown(page) == 0
    assert "tick a reporter" in page.locator(".rd-cl-live").inner_text()


def open_page(browser, url: str, **options):
    """The explorer in a fresh context; every request and console message recorded, and any request
    outside ``url``'s folder of the site (or to another host) aborted."""
    context = browser.new_context(**options)
    page = context.new_page()
    page.outside, page.messages = [], []
    site = url.rsplit("chapters/", 1)[0]

    def route(route):
        if route.request.url.startswith((site, "data:", "blob:")):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on(
        "console", lambda m: page.messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: page.messages.append(f"uncaught: {error}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page


def check_clean(page) -> None:
    assert page.outside == [], f"requests outside the site: {page.outside}"
    assert page.messages == [], page.messages


def check_axe(page, axe: Path, script: str) -> None:
    """axe with results showing: launches both counted and left out, and the missile note."""
    page.locator('label[for="rd-cl-class-include_cruise"]').click()
    page.locator('label[for="rd-cl-reporter-KCNA"]').click()
    page.locator('label[for="rd-cl-unit-missiles"]').click()
    assert page.locator(".rd-cl-left tbody tr").count() > 1 and page.locator(".rd-cl-counted tbody tr").count() > 1
    page.add_script_tag(path=str(axe))
    assert page.evaluate(script) == []


def check_without_script(page) -> None:
    """Without JavaScript: no controls, a note saying so, the module's count and both tables."""
    events, reports = load("launch_events"), load("launch_reports")
    assert not page.locator("#rd-cl-form").is_visible()
    assert page.locator(".rd-cl-nojs").is_visible()
    assert shown(page) == count(events, reports, **article_window())
    assert page.locator(".rd-cl-counted tbody tr").count() == shown(page)
    module = page.locator(".rd-cl-module")
    assert module.is_visible() and module.locator("tbody tr").count() == len(
        count_table(events, reports, **article_window())
    )


# --- the browser tests, on the book the test session builds -------------------------------------


@pytest.fixture
def page(browser, site, request):
    context, page = open_page(browser, site.url + PAGE, **getattr(request, "param", {}))
    yield page
    context.close()


@pytest.mark.browser
def test_the_page_counts_as_the_package_does_under_every_combination(page):
    assert check_counts(page) > 1000
    assert check_counted(page) > 50
    check_clean(page)


@pytest.mark.browser
def test_the_explorer_by_keyboard_only(page):
    check_keyboard(page)
    check_no_reporter(page)
    check_clean(page)


@pytest.mark.browser
def test_the_explorer_works_opened_from_a_folder(browser, site):
    context, page = open_page(browser, (site.root / PAGE).as_uri())
    try:
        check_keyboard(page)
        check_clean(page)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "page", [{"color_scheme": "light"}, {"color_scheme": "dark"}], indirect=True, ids=["light", "dark"]
)
def test_axe_with_results_showing(page):
    from conftest import AXE
    from tools.audit import AXE_SCRIPT

    check_axe(page, AXE, AXE_SCRIPT)


@pytest.mark.browser
@pytest.mark.parametrize("page", [{"java_script_enabled": False}], indirect=True, ids=["no-js"])
def test_without_javascript_the_module_s_results_show(page):
    check_without_script(page)
