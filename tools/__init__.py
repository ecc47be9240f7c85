"""Test and benchmark tools, outside the runtime package: the static server with gzip
(:mod:`tools.serve`, also behind ``make serve``) and the page audit in headless Chromium
(:mod:`tools.audit`). Nothing in ``src/`` imports them."""
