// Reading Deterrence: search summaries with no page fetched (search page only; see shaping/search.py).
// Sphinx's search fetches each result's page to cut a summary from it, which a browser blocks
// when the book is opened from a folder (file://). search-text.js holds the text of every page,
// compressed; this answers the search's requests for those pages from it, and gives Sphinx's own
// summary code that text, so the summaries read as Sphinx makes them. Loaded deferred: it runs
// after searchtools.js and before the search does (on DOMContentLoaded). In a browser without
// DecompressionStream (before 2023) it does nothing: the search fetches pages, as it would.
"use strict";
(() => {
  const packed = window.RD_SEARCH_TEXT_GZ;
  if (!packed || typeof Search === "undefined" || typeof DecompressionStream === "undefined") return;
  const MARK = "\u0000rd-search-text:";
  const suffix = DOCUMENTATION_OPTIONS.FILE_SUFFIX || ".html";
  const root = new URL(document.documentElement.dataset.content_root || "", window.location.href).href;

  // {page: [text, {id: [start, end]}]}: JSON, gzipped, in base64 (see shaping/search.py).
  let pages = {};
  const ready = new Response(
    new Blob([Uint8Array.from(atob(packed), (c) => c.charCodeAt(0))])
      .stream()
      .pipeThrough(new DecompressionStream("gzip")),
  )
    .json()
    .then((data) => (pages = data))
    .catch(() => {});

  // The page a request is for: "chapters/x/y" for ".../chapters/x/y.html"; null for other URLs.
  const pageOf = (input) => {
    let href;
    try {
      href = new URL(input instanceof Request ? input.url : String(input), window.location.href).href;
    } catch (error) {
      return null;
    }
    href = href.split(/[?#]/)[0];
    if (!href.startsWith(root) || !href.endsWith(suffix)) return null;
    return decodeURIComponent(href.slice(root.length, href.length - suffix.length));
  };

  const fetchPage = window.fetch;
  window.fetch = function (input, init) {
    const name = pageOf(input);
    if (name === null) return fetchPage.call(this, input, init);
    return ready.then(() =>
      Object.prototype.hasOwnProperty.call(pages, name)
        ? new Response(MARK + name, { headers: { "Content-Type": "text/plain" } })
        : fetchPage.call(this, input, init),
    );
  };

  const htmlToText = Search.htmlToText;
  Search.htmlToText = (html, anchor) => {
    if (!html.startsWith(MARK)) return htmlToText(html, anchor);
    const [text, ranges] = pages[html.slice(MARK.length)];
    const range = anchor ? ranges[anchor.replace(/^#/, "")] : null;
    return (range ? text.slice(range[0], range[1]) : text).trim() || text;
  };
})();
