"""The maps drawn at build time ({region-map}) and the context page's history ({history-timeline}).

Fast tests: TopoJSON decoding on a hand-made topology, clipping and projection worked out by
hand, the real maps of the context page (every place inside the view, no labels overlapping, a
small and labelled SVG), bad places, coordinates and boundaries files reported as data problems
naming file, row and column, the history table's sources and dates. Then tiny books: the
directives in a build, and a broken place or a missing boundaries file as a build error, not a
traceback.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import DATA_DIR, ROOT
from reading_deterrence import DataError, load
from reading_deterrence.analysis.geometry import Bounds, Projection, clip_ring
from reading_deterrence.contract.geography import ENVIRONMENT_VARIABLE, decode, load_boundaries
from reading_deterrence.rendering.history import event_date, history
from reading_deterrence.rendering.regionmap import LOCATED, overlapping, places_list, region_map
from test_sphinxext import tiny_book

CONTEXT = ROOT / "chapters" / "01-the-case" / "context.md"
#: The maps the context page draws: name -> bounds, read from the page itself.
MAPS = {
    name: Bounds.parse(bounds)
    for name, bounds in re.findall(r"\{region-map\} (\w+)\n:bounds: ([^\n]+)", CONTEXT.read_text(encoding="utf-8"))
}


@pytest.fixture
def bad(tmp_path):
    """A copy of data/ to break, and a helper that rewrites one cell of places.csv."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def set_cell(folder, table: str, key: str, column: str, value: str) -> int:
    """Set one cell of a table (by the row's key, in its first column); returns the row's number
    as a spreadsheet numbers it."""
    import csv
    import io

    path = folder / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = next(i for i, row in enumerate(rows) if row[0] == key)
    rows[index][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return index + 1


#: The page's options for each map: its focus countries and its dashed line (ISO 3166 ids).
OPTIONS = {
    name: {key: tuple(value.split()) for key, value in re.findall(r"^:(focus|line): ([^\n]+)", block, re.M)}
    for name, block in re.findall(r"\{region-map\} (\w+)\n((?::[^\n]*\n)+)", CONTEXT.read_text(encoding="utf-8"))
}


def draw(name: str, package=None, boundaries=None):
    return region_map(name, MAPS[name], package, boundaries, title="A map", description="Described.", **OPTIONS[name])


# --- TopoJSON, clipping, projection ------------------------------------------------------------


TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [100, 30]},
    # arc 0: the shared edge x=2 from y=0 to y=4 (grid units), delta-encoded
    # arc 1: the rest of the west square, from (2,4) round to (2,0)
    # arc 2: the rest of the east square, from (2,0) round to (2,4)
    "arcs": [[[2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4], [2, 0]], [[2, 0], [2, 0], [0, 4], [-2, 0]]],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "408", "properties": {"name": "West"}},
                {"type": "MultiPolygon", "arcs": [[[2, -1]]], "id": "410", "properties": {"name": "East"}},
                {"type": None, "id": "999"},
            ],
        }
    },
}


def test_topojson_is_decoded_by_hand():
    topology = decode(json.loads(json.dumps(TOPOLOGY)))
    west, east = topology.countries["408"], topology.countries["410"]
    # grid (2,0) -> lon 100 + 2*0.5 = 101, lat 30 + 0*0.25 = 30; (2,4) -> (101, 31); (0,0) -> (100, 30)
    assert west.polygons == [[[(101, 30), (101, 31), (100, 31), (100, 30), (101, 30)]]]
    # the east square runs arc 2 forwards, then arc 0 reversed (index -1 is ~0)
    assert east.polygons == [[[(101, 30), (102, 30), (102, 31), (101, 31), (101, 30)]]]
    assert topology.shared_arcs("408", "410") == [[(101, 30), (101, 31)]]
    assert "999" not in topology.countries  # a feature with no geometry draws nothing


def test_clip_ring_keeps_the_part_inside():
    square = [(0, 0), (4, 0), (4, 4), (0, 4)]
    clipped = clip_ring(square, Bounds(2, 10, -5, 3))
    assert sorted(clipped) == sorted([(2, 0), (4, 0), (4, 3), (2, 3)])
    assert clip_ring(square, Bounds(5, 6, 5, 6)) == []


def test_projection_puts_the_corners_on_the_frame():
    projection = Projection(Bounds(120, 140, 30, 50), width=400)
    # middle latitude 40: a degree of longitude is cos(40) of a degree of latitude
    assert projection(120, 50) == (0, 0)
    x, y = projection(140, 30)
    assert x == pytest.approx(400) and y == pytest.approx(projection.height, abs=0.1)
    assert projection.height == pytest.approx(400 / 0.766, rel=0.01)


def test_bounds_are_checked():
    with pytest.raises(ValueError, match="four numbers"):
        Bounds.parse("120 146 30")
    with pytest.raises(ValueError, match="west < east"):
        Bounds.parse("146 120 30 44")


# --- the context page's maps, on the real data ----------------------------------------------------


def test_the_page_draws_two_maps():
    assert set(MAPS) == {"region", "peninsula"}


@pytest.mark.parametrize("name", sorted(MAPS))
def test_every_place_is_drawn_inside_the_view(name):
    drawn = draw(name)
    soup = BeautifulSoup(drawn.svg, "html.parser")
    svg = soup.find("svg")
    _, _, width, height = (float(v) for v in svg["viewbox"].split())
    places = load("places")
    listed = places[places["maps"].str.split(";").map(lambda maps: name in maps)]
    assert set(drawn.places["place_id"]) == set(listed["place_id"]) and len(listed) > 5
    texts = [t.get_text(" ") for t in soup.find_all("text")]
    for row in listed.itertuples():
        label = (row.label if isinstance(row.label, str) else row.name).replace("|", " ")
        assert label in texts, label
        if row.kind in LOCATED:
            x, y = drawn.dots[row.place_id]
            assert 0 <= x <= width and 0 <= y <= height, row.place_id
    for label in drawn.labels:
        left, top, right, bottom = label.box
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, label.place_id
    assert len(soup.find_all("circle")) == sum(listed["kind"].isin(LOCATED))


@pytest.mark.parametrize("name", sorted(MAPS))
def test_labels_do_not_overlap_one_another_or_a_dot(name):
    drawn = draw(name)
    assert overlapping(drawn.labels, drawn.dots) == []


@pytest.mark.parametrize("name", sorted(MAPS))
def test_the_svg_is_light_labelled_and_themeable(name):
    drawn = draw(name)
    assert len(drawn.svg.encode()) < 45_000
    svg = BeautifulSoup(drawn.svg, "html.parser").find("svg")
    assert svg["role"] == "img"
    title, desc = (svg.find(tag)["id"] for tag in ("title", "desc"))
    assert svg["aria-labelledby"] == f"{title} {desc}"
    assert "Pyongyang" in svg.find("desc").get_text() and "Places marked:" in svg.find("desc").get_text()
    # colours only through currentColor and CSS classes: no fixed colour survives a dark theme
    assert not re.search(r'(fill|stroke)="#', drawn.svg)
    assert svg.find("path", class_="rd-map-line"), "the DMZ line is drawn from the boundaries"
    assert len(svg.find_all("path", class_="rd-map-focus")) == 3, "the page's three focus countries"
    plain = region_map(drawn.name, drawn.projection.bounds, title="A map", description="Described.")
    assert "rd-map-line" not in plain.svg and "rd-map-focus" not in plain.svg, "no country is built in"
    assert "http://" not in drawn.svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_list_of_places_gives_sources_and_coordinates():
    text = places_list(draw("region"))
    assert "**Pyongyang** (capital, North Korea; 39.03° N, 125.75° E)" in text
    assert "{source}`worldatlas-north-korea`" in text
    assert "**East Sea / Sea of Japan**" in text and "**China**" not in text


# --- bad places and boundaries -------------------------------------------------------------------


def only_problem(err):
    assert len(err.value.problems) == 1, err.value.problems
    return err.value.problems[0]


def test_a_place_outside_the_map_names_file_row_and_column(bad):
    row = set_cell(bad, "places", "tokyo", "lon", "150.5")
    with pytest.raises(DataError) as err:
        draw("region", bad)
    problem = only_problem(err)
    assert problem.file.endswith("places.csv") and (problem.row, problem.column) == (row, "lon")
    assert "150.5 is outside the map 'region'" in problem.message


def test_a_malformed_coordinate_names_file_row_and_column(bad):
    row = set_cell(bad, "places", "seoul", "lat", "37.5.1")
    with pytest.raises(DataError) as err:
        draw("region", bad)
    problem = only_problem(err)
    assert problem.file.endswith("places.csv") and (problem.row, problem.column) == (row, "lat")


def test_a_latitude_beyond_the_pole_is_refused_by_the_contract(bad):
    row = set_cell(bad, "places", "seoul", "lat", "137.5")
    with pytest.raises(DataError) as err:
        load("places", bad)
    assert (only_problem(err).row, only_problem(err).column) == (row, "lat")


def test_a_located_point_needs_a_source_or_a_note(bad):
    set_cell(bad, "places", "busan", "source_ids", "")
    row = set_cell(bad, "places", "busan", "note", "")
    with pytest.raises(DataError) as err:
        draw("region", bad)
    assert (only_problem(err).row, only_problem(err).column) == (row, "source_ids")


def test_a_label_that_would_run_off_the_map_is_reported(bad):
    row = set_cell(bad, "places", "okinawa", "anchor", "s")
    with pytest.raises(DataError) as err:
        draw("region", bad)
    assert (only_problem(err).row, only_problem(err).column) == (row, "anchor")


def test_a_missing_boundaries_file_says_what_to_install(tmp_path, monkeypatch):
    with pytest.raises(DataError, match="npm ci"):
        load_boundaries(tmp_path / "countries-50m.json")
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path / "nowhere.json"))
    with pytest.raises(DataError, match="no boundaries file here"):
        draw("region")


@pytest.mark.parametrize(
    "content, expected",
    [("{not json", "not valid JSON"), ('{"type": "Topology"}', "'transform'"), ("[1, 2]", "the file")],
)
def test_a_broken_boundaries_file_is_a_data_problem(tmp_path, content, expected):
    path = tmp_path / "countries.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=expected) as err:
        load_boundaries(path)
    assert err.value.problems[0].file.endswith("countries.json")


# --- the history table -----------------------------------------------------------------------------


def test_every_history_row_cites_sources_that_exist():
    events = load("history")
    known = set(load("sources")["source_id"])
    for row in events.itertuples():
        cited = [s.strip() for s in row.source_ids.split(";")]
        assert cited and set(cited) <= known, row.event_id


def test_a_dangling_source_in_the_history_names_row_and_column(bad):
    row = set_cell(bad, "history", "1948-two-states", "source_ids", "app-timesofislamabad-2016-09-09;no-such-source")
    with pytest.raises(DataError) as err:
        load("history", bad)
    problem = only_problem(err)
    assert (problem.row, problem.column) == (row, "source_ids") and "no-such-source" in problem.message


@pytest.mark.parametrize(
    "column, value", [("precision", "decade"), ("date", "1953-13-27"), ("kind", "weather"), ("figure", "28.500")]
)
def test_a_malformed_history_row_names_row_and_column(bad, column, value):
    row = set_cell(bad, "history", "1953-07-27-armistice", column, value)
    with pytest.raises(DataError) as err:
        load("history", bad)
    assert (only_problem(err).row, only_problem(err).column) == (row, column)


def test_an_event_whose_id_and_date_disagree(bad):
    row = set_cell(bad, "history", "1953-07-27-armistice", "date", "1953-07-28")
    with pytest.raises(DataError) as err:
        load("history", bad)
    assert (only_problem(err).row, only_problem(err).column) == (row, "event_id")


def test_dates_print_as_precisely_as_they_are_known():
    events = load("history").set_index("event_id")
    printed = {i: event_date(events.loc[i, "date"], events.loc[i, "precision"]) for i in events.index}
    assert printed["1945-08-division"] == "August 1945"
    assert printed["1948-two-states"] == "1948"
    assert printed["1953-07-27-armistice"] == "27 July 1953"


def test_the_history_view_filters_by_route_and_kind():
    core = history(route="core", kinds=["nuclear test"]).text
    further = history(route="further").text
    assert "(context-event-2006-10-09-first-test)=" in core and "2009-05-25" not in core
    assert "(context-event-2009-05-25-second-test)=" in further
    everything = history().text
    assert everything.count("(context-event-") == len(load("history"))
    with pytest.raises(DataError, match="no kind 'weather'"):
        history(kinds=["weather"])


# --- the directives in a tiny book ---------------------------------------------------------------------

PAGE = """# Context

:::{{region-map}} region
:bounds: {bounds}
:title: The region
:alt: A test map.
What to notice: the test.
:::

:::{{history-timeline}}
:route: core
:kinds: war
:::
"""
SOURCES = "# Sources\n\n```{data-view} sources\n```\n"


def test_the_directives_build_a_figure_a_list_and_the_events(tmp_path):
    build = tiny_book(tmp_path)
    bounds = " ".join(f"{v:g}" for v in vars(MAPS["region"]).values())
    code, warnings, out = build({"context": PAGE.format(bounds=bounds), "sources": SOURCES})
    assert code == 0, warnings
    soup = BeautifulSoup((out / "context.html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.find("figure", class_="rd-map")
    assert figure.find("svg", role="img") and "Natural Earth" in figure.find("figcaption").get_text()
    assert "What to notice: the test." in figure.find("figcaption").get_text()
    places = soup.find("details", class_="rd-map-places")  # folded: two screens long on a phone
    assert "Going further: Places on this map" in places.find("summary").get_text(" ", strip=True)
    items = places.find_all("li")
    assert any("Pyongyang" in li.get_text() and li.find("a") for li in items)
    assert soup.find(id="context-event-1953-07-27-armistice")


def test_a_place_outside_the_map_stops_the_build_without_a_traceback(tmp_path):
    build = tiny_book(tmp_path)
    row = set_cell(build.data, "places", "tokyo", "lat", "46.5")
    bounds = " ".join(f"{v:g}" for v in vars(MAPS["region"]).values())
    code, warnings, _ = build({"context": PAGE.format(bounds=bounds), "sources": SOURCES})
    assert code != 0
    assert f"places.csv, row {row}, column 'lat'" in warnings
    assert "Traceback" not in build.output


def test_a_missing_boundaries_file_stops_the_build_with_advice(tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path / "nowhere.json"))
    build = tiny_book(tmp_path)
    bounds = " ".join(f"{v:g}" for v in vars(MAPS["region"]).values())
    code, warnings, _ = build({"context": PAGE.format(bounds=bounds), "sources": SOURCES})
    assert code != 0 and "npm ci" in warnings and "Traceback" not in build.output


def test_a_geometry_that_is_not_an_object_is_a_data_error():
    topology = json.loads(json.dumps(TOPOLOGY))
    topology["objects"]["countries"]["geometries"].append(5)
    with pytest.raises(DataError, match="a geometry"):
        decode(topology)


@pytest.mark.parametrize(
    ("bounds", "bar"),
    [(Bounds(119.5, 146, 25.8, 45.5), "500 km"), (Bounds(124.5, 126.5, 37.3, 38), "20 km"), (Bounds(125, 125.1, 37.5, 37.55), None)],
)
def test_the_scale_bar_fits_the_map(bounds, bar):
    """A close-up gets a shorter bar; a map too small for any bar gets none (not a traceback)."""
    from reading_deterrence.rendering.regionmap import _scale_bar

    drawn = _scale_bar(Projection(bounds))
    assert (bar in drawn) if bar else drawn == ""
