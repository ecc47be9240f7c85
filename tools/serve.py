"""Serve the built book as a production host would: static files, gzip for text, cache headers.

Python's own ``http.server`` with two additions: text files (HTML, CSS, JavaScript, JSON, SVG)
are sent gzip-compressed to clients that accept it, as any real host sends them, and assets under
``_static/`` (whose URLs carry a version hash) may be cached. ``make serve``, the browser tests
and the benchmark all use this one server, so what is measured is what students get.

    python -m tools.serve _build/html --port 8000
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import threading
from functools import lru_cache, partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

#: Media types worth compressing (fonts and images are compressed already).
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
    "text/xml",
    "application/xml",
}


@lru_cache(maxsize=512)
def _compressed(path: str, mtime_ns: int, size: int) -> bytes:
    """The gzip body of a file; cached per version of the file (path, mtime, size)."""
    with open(path, "rb") as handle:
        return gzip.compress(handle.read(), compresslevel=6, mtime=0)


class BookHandler(SimpleHTTPRequestHandler):
    """Static files with gzip and cache headers. ``quiet`` silences the request log."""

    quiet = False
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".json": "application/json",
    }

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self):
        if self.command in ("GET", "HEAD"):
            static = self.path.split("?", 1)[0].split("/_static/", 1)
            self.send_header("Cache-Control", "public, max-age=3600" if len(static) == 2 else "no-cache")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            index = os.path.join(path, "index.html")
            if not self.path.split("?", 1)[0].endswith("/") or not os.path.isfile(index):
                return super().send_head()  # the redirect to "dir/", or a 404
            path = index
        ctype = self.guess_type(path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (os.path.isfile(path) and accepts and ctype.split(";")[0] in COMPRESSIBLE):
            return super().send_head()
        stat = os.stat(path)
        body = _compressed(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


def make_server(directory: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000, quiet: bool = True):
    """A ThreadingHTTPServer for ``directory``; port 0 picks a free port (see ``server_port``)."""
    handler = type("Handler", (BookHandler,), {"quiet": quiet})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(directory)))


class Background:
    """Run a server in a daemon thread: ``with Background(dir) as url: ...``."""

    def __init__(self, directory: str | os.PathLike, host: str = "127.0.0.1", port: int = 0):
        self.server = make_server(directory, host, port)
        self.url = f"http://{host}:{self.server.server_port}/"

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default="_build/html")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = make_server(args.directory, args.host, args.port, quiet=False)
    print(f"Serving {args.directory} at http://{args.host}:{server.server_port}/ (press Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
