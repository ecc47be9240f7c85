"""Rendering: MyST, HTML and CSV text made from tables. No Sphinx: the Sphinx layer parses it.

- :mod:`.text`: dates, escaping, citations and links shared by every view;
- :mod:`.views`: the views of ``{data-view}`` (:func:`~.views.render`), made by
  :mod:`.sources`, :mod:`.catalogue`, :mod:`.coding`, :mod:`.media` and :mod:`.deterrence`;
- :mod:`.annotated`: the annotated article, as HTML;
- :mod:`.sheets`: CSV files to download (coding sheet, templates, count sheet);
- :mod:`.withheld`: the data package as an edition offers it (the student edition's copies hold
  back the answers to the device activities).
- :mod:`.lab_words`: the in-page lab "Spot the changed words": its data, markup and fallback.
- :mod:`.relay`: the relay-chain diagram (HTML) from the quotation audit;
- :mod:`.regionmap`: the region maps as inline SVG, with their list of places;
- :mod:`.history`: the dated history rows of the context page;
- :mod:`.terms`: which words of running text stand for a glossary term; the list of abbreviations.
"""
