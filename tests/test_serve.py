"""The static server used by `make serve`, the browser tests and the benchmark."""

import gzip
import urllib.request

import pytest

from tools.serve import Background


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title>" + "hello " * 500, encoding="utf-8")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_text("body { color: red; }\n" * 100, encoding="utf-8")
    (tmp_path / "_static" / "f.woff2").write_bytes(b"\x00wOF2" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text("<p>sub</p>", encoding="utf-8")
    with Background(tmp_path) as url:
        yield url, tmp_path


def get(url, gzip_ok=True):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request) as response:
        return response.status, response.headers, response.read()  # case-insensitive


def test_text_is_gzipped_for_clients_that_accept_it(site):
    url, root = site
    status, headers, body = get(url + "index.html")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (root / "index.html").read_bytes()
    assert int(headers["Content-Length"]) == len(body) < (root / "index.html").stat().st_size
    assert headers["Cache-Control"] == "no-cache"


def test_identity_without_accept_encoding(site):
    url, root = site
    status, headers, body = get(url + "index.html", gzip_ok=False)
    assert "Content-Encoding" not in headers and body == (root / "index.html").read_bytes()


def test_fonts_are_not_recompressed_and_static_files_are_cacheable(site):
    url, _ = site
    _, headers, _ = get(url + "_static/f.woff2")
    assert headers["Content-Type"] == "font/woff2" and "Content-Encoding" not in headers
    _, headers, _ = get(url + "_static/a.css?v=1")
    assert headers["Content-Encoding"] == "gzip" and "max-age" in headers["Cache-Control"]


def test_directories_serve_their_index_and_missing_files_404(site):
    url, _ = site
    _, headers, body = get(url + "sub/")
    assert gzip.decompress(body) == b"<p>sub</p>"
    with pytest.raises(urllib.error.HTTPError) as err:
        get(url + "nope.html")
    assert err.value.code == 404
