"""Page shaping: what the built pages weigh, load and say, apart from what they teach.

It knows nothing of the data or the analysis (it imports no other layer of the package), only
pages, assets and the theme:

- :mod:`.assets`: each page keeps only the scripts and styles it uses, each once; no asset from
  another host; every page has a meta description;
- :mod:`.css`: the theme's and myst-nb's stylesheets purged to the classes the site uses, the
  theme's icon fonts subset to the icons it shows, and a content-addressed link to the result;
- :mod:`.minify`: our own stylesheet without its comments in the built site;
- :mod:`.markup`: fixes to the theme's and sphinx-exercise's markup (accessibility, valid HTML),
  the template overrides in ``templates/`` and our static files in ``static/``;
- :mod:`.fonts`: Korean and Japanese subset fonts shipped with the site, for machines without
  such fonts;
- :mod:`.fontsubset`: the one font subsetter, with its cache, that :mod:`.css` and :mod:`.fonts` use;
- :mod:`.rootpage`: a valid root page that opens the first chapter;
- :mod:`.search`: search summaries read from a file written at build time, not fetched, so that
  search works opened from a folder (file://).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import assets, css, fonts, markup, minify, rootpage, search

__all__ = ["setup"]


def setup(app: Sphinx) -> None:
    app.add_config_value("reading_deterrence_require_description", True, "html", types=[bool])
    for part in (markup, assets, css, minify, fonts, rootpage, search):
        part.setup(app)
    app.add_css_file("reading-deterrence.css")
