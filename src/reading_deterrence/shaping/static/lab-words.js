/* Spot the changed words (the {words-lab} directive): a student marks the words inside the
   article's quotation marks that they think were changed, then sees the quotation audit's answers
   and a score. Which words were changed is decided in Python (analysis/wordmarks.py) and exported
   in the page's JSON; this script only reads it. No network, no third-party code.
   For tests: window.ReadingDeterrence.words.score(marks), marks an array of word IDs. */
(function () {
  "use strict";
  var root = document.querySelector(".rd-lab-words");
  var source = document.getElementById("rd-lab-words-data");
  if (!root || !source) return;
  var data = JSON.parse(source.textContent);
  var KEY = data.key;
  var WORDS = data.words;
  var known = new Set(WORDS.map(function (w) { return w.id; }));

  /* The score of a set of marks, word by word: the same counts as analysis.wordmarks.score. */
  function score(marks) {
    var marked = new Set(marks);
    var s = { hits: 0, misses: 0, false_alarms: 0, correct_rejections: 0, marked: 0, changed: 0, words: WORDS.length };
    WORDS.forEach(function (w) {
      var m = marked.has(w.id);
      if (m) s.marked += 1;
      if (w.changed) s.changed += 1;
      s[m ? (w.changed ? "hits" : "false_alarms") : (w.changed ? "misses" : "correct_rejections")] += 1;
    });
    return s;
  }

  function count(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function were(n) { return n === 1 ? "was" : "were"; }

  var NAMES = {
    hits: ["hit", "hits"], misses: ["miss", "misses"], false_alarms: ["false alarm", "false alarms"],
    correct_rejections: ["correct rejection", "correct rejections"]
  };
  /* "(a hit)" or "(hits)", after a number that says how many. */
  function named(n, key) { return n === 1 ? "(a " + NAMES[key][0] + ")" : "(" + NAMES[key][1] + ")"; }

  /* The score in plain English. */
  function reading(s) {
    var same = s.words - s.changed;
    var out = s.marked === 0
      ? "You marked no words. "
      : "You marked " + count(s.marked, "word", "words") + ": " + s.hits + " that " + were(s.hits) +
        " changed " + named(s.hits, "hits") + " and " + s.false_alarms + " that " + were(s.false_alarms) +
        " not " + named(s.false_alarms, "false_alarms") + ". ";
    out += s.misses === 0
      ? "You found all " + count(s.changed, "changed word", "changed words") + ". "
      : "You missed " + s.misses + " of the " + count(s.changed, "changed word", "changed words") + ". ";
    out += "Of the " + count(same, "word", "words") + " that " + were(same) + " not changed, you left " +
      s.correct_rejections + " unmarked " + named(s.correct_rejections, "correct_rejections") + ".";
    return out;
  }

  var NS = (window.ReadingDeterrence = window.ReadingDeterrence || {});
  NS.words = { score: score, reading: reading, data: data };

  /* --- the page ------------------------------------------------------------------------------ */
  var app = root.querySelector(".rd-words-app");
  var fallback = root.querySelector(".rd-words-fallback");
  var buttons = Array.prototype.slice.call(root.querySelectorAll("button[data-word]"));
  var show = root.querySelector(".rd-words-show");
  var hide = root.querySelector(".rd-words-hide");
  var erase = root.querySelector(".rd-words-erase");
  var results = root.querySelector(".rd-words-results");
  var live = root.querySelector(".rd-words-live");
  var byId = {};
  WORDS.forEach(function (w) { byId[w.id] = w; });

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (saved && Array.isArray(saved.marks)) {
        return { marks: new Set(saved.marks.filter(function (id) { return known.has(id); })), shown: saved.shown === true };
      }
    } catch (e) { /* no storage (private mode, or blocked): the lab still works, unsaved */ }
    return { marks: new Set(), shown: false };
  }
  function save() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ marks: Array.from(state.marks), shown: state.shown }));
    } catch (e) { /* see load() */ }
  }
  var state = load();

  function say(text) { live.textContent = text; }

  function tagOf(button) {
    var next = button.nextElementSibling;
    if (next && next.classList.contains("rd-words-tag")) return next;
    var tag = document.createElement("span");
    tag.className = "rd-words-tag";
    button.insertAdjacentElement("afterend", tag);
    return tag;
  }

  function quoted(list) {
    return list.map(function (w) { return "“" + w.word + "” (" + w.stretch + ")"; }).join(", ");
  }

  function lists() {
    var groups = [
      ["Hits, changed words you marked: ", WORDS.filter(function (w) { return w.changed && state.marks.has(w.id); })],
      ["Misses, changed words you did not mark: ", WORDS.filter(function (w) { return w.changed && !state.marks.has(w.id); })],
      ["False alarms, words you marked that were not changed: ", WORDS.filter(function (w) { return !w.changed && state.marks.has(w.id); })]
    ];
    var ul = results.querySelector(".rd-words-lists");
    ul.textContent = "";
    groups.forEach(function (g) {
      var li = document.createElement("li");
      li.textContent = g[0] + (g[1].length ? quoted(g[1]) : "none") + ".";
      ul.appendChild(li);
    });
  }

  function render() {
    var shown = state.shown;
    buttons.forEach(function (b) {
      var w = byId[b.getAttribute("data-word")];
      var m = state.marks.has(w.id);
      b.setAttribute("aria-pressed", m ? "true" : "false");
      var label = !shown ? "" : w.changed ? (m ? "changed: found" : "changed: missed") : (m ? "not changed" : "");
      var tag = label || b.nextElementSibling && b.nextElementSibling.classList.contains("rd-words-tag") ? tagOf(b) : null;
      if (tag) {
        tag.textContent = label;
        tag.hidden = !label;
        tag.setAttribute("data-kind", label ? (w.changed ? (m ? "hit" : "miss") : "false-alarm") : "");
      }
    });
    root.querySelector(".rd-words-n").textContent = String(state.marks.size);
    show.hidden = shown;
    hide.hidden = !shown;
    results.hidden = !shown;
    fallback.hidden = !shown;
    if (shown) {
      var s = score(Array.from(state.marks));
      lists();
      results.querySelector(".rd-words-reading").textContent = reading(s);
      results.querySelectorAll("[data-score]").forEach(function (el) {
        var key = el.getAttribute("data-score");
        el.textContent = count(s[key], NAMES[key][0], NAMES[key][1]);
      });
    }
  }

  root.querySelectorAll(".rd-words-nojs").forEach(function (el) { el.hidden = true; });
  app.hidden = false;
  render();

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-word]");
    if (!button) return;
    var id = button.getAttribute("data-word");
    if (state.marks.has(id)) state.marks.delete(id); else state.marks.add(id);
    save();
    render();
    if (state.shown) say(reading(score(Array.from(state.marks))));
  });
  show.addEventListener("click", function () {
    state.shown = true;
    save();
    render();
    hide.focus();
    say(reading(score(Array.from(state.marks))));
  });
  hide.addEventListener("click", function () {
    state.shown = false;
    save();
    render();
    show.focus();
    say("The answers are hidden. Your marks are kept: change them, then show the answers again.");
  });
  erase.addEventListener("click", function () {
    state = { marks: new Set(), shown: false };
    try { window.localStorage.removeItem(KEY); } catch (e) { /* see load() */ }
    render();
    say("Your marks are erased, from this page and from this browser's storage.");
  });
})();
