/* Code it yourself, in the page: the in-page twin of reading_deterrence.analysis.agreement
   (read_sheet, cohen_kappa, agreement), over data exported at build time (#rd-lab-coding-data).
   Same numbers and same error messages as the package; the tests hold them to it. No network. */
(function () {
  "use strict";
  var W = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var TRIM = new RegExp("^" + W + "+|" + W + "+$", "g");
  function strip(s) { return s.replace(TRIM, ""); } // Python's str.strip()
  function fold(s) { return s.toUpperCase().toLowerCase(); } // close to str.casefold()
  function hex(c) {
    var h = c.toString(16), w = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
    return "\\" + (w === 2 ? "x" : w === 4 ? "u" : "U") + "00000000".slice(h.length, w) + h;
  }
  function repr(s) { // Python's repr() of a str
    var q = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'", out = "";
    Array.from(s).forEach(function (ch) {
      var c = ch.codePointAt(0);
      if (ch === q || ch === "\\") out += "\\" + ch;
      else if (ch === "\t") out += "\\t";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch !== " " && /[\p{C}\p{Z}]/u.test(ch)) out += hex(c);
      else out += ch;
    });
    return q + out + q;
  }
  function pyRound(x, d) { // Python's round(x, d): exact, ties to even
    if (!isFinite(x)) return x;
    var a = Math.abs(x), full = a.toFixed(100), dot = full.indexOf("."), r = Number(a.toFixed(d));
    if (/^50*$/.test(full.slice(dot + 1 + d)) && Number(full[dot + d]) % 2 === 0) r = Number(full.slice(0, dot + 1 + d));
    return x < 0 ? -r : r;
  }

  /* contract.csvfile.tokenize: RFC 4180, LF/CRLF/CR; problems as [row, cell index, message]. */
  function tokenize(text) {
    var records = [], problems = [], row = 1, cells = [], cell = "", i = 0, n = text.length, atStart = true;
    var END = ",\r\n";
    function nl(s) { return s.replace(/\r\n/g, "\n").replace(/\r/g, "\n"); }
    while (i < n) {
      var ch = text[i];
      if (ch === '"' && atStart) {
        var j = i + 1, at = [row, cells.length];
        for (;;) {
          var k = text.indexOf('"', j);
          if (k === -1) {
            problems.push(at.concat("a quoted cell is never closed: the file looks truncated"));
            cell += text.slice(j); i = n; break;
          }
          cell += text.slice(j, k);
          if (text.startsWith('""', k)) { cell += '"'; j = k + 2; continue; }
          i = k + 1; break;
        }
        if (i < n && END.indexOf(text[i]) < 0) {
          problems.push(at.concat('a quote inside a quoted cell must be doubled (""): the cell ends at the quote before ' +
            repr(Array.from(text.slice(i, i + 24)).slice(0, 12).join(""))));
          while (i < n && END.indexOf(text[i]) < 0) cell += text[i++];
        }
        atStart = false; continue;
      }
      if (ch === ",") { cells.push(nl(cell)); cell = ""; atStart = true; }
      else if (ch === "\r" || ch === "\n") {
        cells.push(nl(cell)); records.push({ row: row, cells: cells });
        row++; cells = []; cell = ""; atStart = true;
        if (ch === "\r" && text[i + 1] === "\n") i++;
      } else { cell += ch; atStart = false; }
      i++;
    }
    if (cells.length || cell || !atStart) { cells.push(cell); records.push({ row: row, cells: cells }); }
    return { records: records, problems: problems };
  }

  function problem(file, row, column, message) { // str(contract.Problem)
    var where = [file];
    if (row !== null) where.push("row " + row);
    if (column !== null) where.push("column " + repr(column));
    return where.join(", ") + ": " + message;
  }

  /* analysis.agreement.read_sheet: bytes (or text) -> {sheet: [{sentence_id, layer: value|null, notes}], problems} */
  function readSheet(input, file, data) {
    var layers = data.layers.map(function (l) { return l.name; }), text;
    function fail(list) { return { sheet: null, problems: list }; }
    if (typeof input === "string") text = input.replace(/^\ufeff/, "");
    else {
      try { text = new TextDecoder("utf-8", { fatal: true }).decode(input); } catch (e) {
        return fail([problem(file, null, null, "the sheet is not UTF-8 text; save it as CSV UTF-8")]);
      }
    }
    var t = tokenize(text), rows = t.records;
    if (t.problems.length) return fail(t.problems.map(function (p) { return problem(file, p[0], null, "cell " + (p[1] + 1) + ": " + p[2]); }));
    if (!rows.length || !rows[0].cells.some(function (c) { return strip(c); })) return fail([problem(file, 1, null, "the sheet is empty")]);
    var header = rows[0].cells.map(strip);
    var missing = ["sentence_id"].concat(layers).filter(function (c) { return header.indexOf(c) < 0; });
    if (missing.length) {
      var needs = "missing column (the sheet needs: sentence_id, " + layers.join(", ") + ")";
      return fail(missing.map(function (c) { return problem(file, 1, c, needs); }));
    }
    var lookup = {}, known = {}, seen = {}, problems = [], sheet = [];
    data.layers.forEach(function (l) {
      var m = new Map();
      l.values.forEach(function (v) { m.set(fold(v[0]), v[0]); });
      l.values.forEach(function (v) { m.set(fold(v[1]), v[0]); });
      lookup[l.name] = m;
    });
    data.sentences.forEach(function (s) { known[s[0]] = true; });
    rows.slice(1).forEach(function (r, index) {
      var number = index + 2;
      if (!r.cells.some(function (c) { return strip(c); })) return;
      var cells = new Map();
      for (var i = 0; i < Math.min(header.length, r.cells.length); i++) cells.set(header[i], strip(r.cells[i]));
      var sid = cells.has("sentence_id") ? cells.get("sentence_id") : "";
      if (!known[sid] || seen[sid]) {
        problems.push(problem(file, number, "sentence_id", !known[sid] ? "unknown sentence ID " + repr(sid) : "sentence " + sid + " appears twice"));
        return;
      }
      seen[sid] = true;
      var record = { sentence_id: sid, notes: cells.get("notes") || "" };
      data.layers.forEach(function (l) {
        var raw = cells.get(l.name) || "";
        record[l.name] = raw ? lookup[l.name].get(fold(raw)) || null : null;
        if (raw && record[l.name] === null) {
          problems.push(problem(file, number, l.name, repr(raw) + " is not a value of " + l.name + " (use one of: " +
            l.values.map(function (v) { return v[0]; }).join(", ") + ")"));
        }
      });
      sheet.push(record);
    });
    return problems.length ? fail(problems) : { sheet: sheet, problems: [] };
  }

  /* analysis.agreement.cohen_kappa, unrounded; NaN where chance agreement is 1. */
  function kappa(a, b) {
    var n = a.length, same = 0, values = [], expected = 0;
    if (n !== b.length || !n) throw new Error("kappa needs two equally long, non-empty lists of values");
    a.forEach(function (x, i) { if (x === b[i]) same++; });
    a.concat(b).forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
    function count(list, v) { return list.filter(function (x) { return x === v; }).length; }
    values.forEach(function (v) { expected += (count(a, v) / n) * (count(b, v) / n); });
    if (Math.abs(expected - 1) <= 1e-9 * Math.max(Math.abs(expected), 1)) return NaN;
    return (same / n - expected) / (1 - expected);
  }

  /* analysis.agreement.agreement: sheet records against reference {sid: {layer: value}}; notes
     {"sid-layer": note} when the reference is the module's coding. */
  function agreement(sheet, reference, notes, layers) {
    var summary = [], disagreements = [];
    layers.forEach(function (layer) {
      var ids = [], yours = [], theirs = [];
      sheet.forEach(function (r) {
        var ref = reference[r.sentence_id], y = ref ? ref[layer] : null;
        if (r[layer] != null && y != null) { ids.push(r.sentence_id); yours.push(r[layer]); theirs.push(y); }
      });
      var n = ids.length, agree = yours.filter(function (x, i) { return x === theirs[i]; }).length;
      var raw = n ? kappa(yours, theirs) : NaN;
      summary.push({ layer: layer, sentences: n, agree: agree, agreement_pct: n ? pyRound(100 * agree / n, 1) : NaN, kappa: pyRound(raw, 2), kappa_raw: raw });
      ids.forEach(function (sid, i) {
        if (yours[i] !== theirs[i]) {
          var note = notes && Object.prototype.hasOwnProperty.call(notes, sid + "-" + layer) ? notes[sid + "-" + layer] : null;
          disagreements.push({ sentence_id: sid, layer: layer, yours: yours[i], module: theirs[i], module_note: note });
        }
      });
    });
    return { summary: summary, disagreements: disagreements };
  }

  function toCSV(sheet, columns) { // the coding sheet's format, as the page downloads it
    function cell(v) { v = v == null ? "" : String(v); return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }
    return "\ufeff" + [columns].concat(sheet.map(function (r) {
      return columns.map(function (c) { return cell(r[c]); });
    })).map(function (r) { return r.join(","); }).join("\n") + "\n";
  }

  /* Landis and Koch's rough guide, on the kappa shown (2 decimals). */
  function reading(s) {
    var k = s.kappa, few = s.sentences < 5 ? " Few sentences: one decision moves kappa a lot." : "";
    if (!s.sentences) return "No sentence to compare yet on this layer.";
    if (isNaN(k)) return "Kappa is not defined: both sides used one and the same value on every sentence compared, so chance alone would agree every time." + few;
    var words = k < 0 ? "Worse than chance: less agreement than two coders choosing at random with these frequencies would reach."
      : k === 1 ? "Perfect agreement." : k <= 0.2 ? "Slight: little better than chance." : k <= 0.4 ? "Fair: somewhat better than chance."
      : k <= 0.6 ? "Moderate agreement beyond chance." : k <= 0.8 ? "Substantial agreement beyond chance." : "Almost perfect agreement beyond chance.";
    return words + few;
  }

  var api = { strip: strip, repr: repr, round: pyRound, tokenize: tokenize, readSheet: readSheet, kappa: kappa, agreement: agreement, toCSV: toCSV, reading: reading };
  window.ReadingDeterrence = window.ReadingDeterrence || {};
  window.ReadingDeterrence.coding = api;

  /* ---- the page ---- */
  var root = document.querySelector(".rd-lab-coding"), script = document.getElementById("rd-lab-coding-data");
  if (!root || !script) return;
  var data = JSON.parse(script.textContent), LAYERS = data.layers.map(function (l) { return l.name; });
  var label = {}, title = {}, theirs = null;
  data.layers.forEach(function (l) { title[l.name] = l.title; label[l.name] = {}; l.values.forEach(function (v) { label[l.name][v[0]] = v[1]; }); });
  var module = {};
  Object.keys(data.module).forEach(function (sid) { module[sid] = {}; LAYERS.forEach(function (l, i) { module[sid][l] = data.module[sid][i]; }); });
  api.data = data;
  var $ = function (sel) { return root.querySelector(sel); };
  var status = $(".rd-lab-status");
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  var codes = {};
  function load() {
    try { var saved = JSON.parse(localStorage.getItem(data.storageKey) || "{}").codes || {}; } catch (e) { saved = {}; }
    data.sentences.forEach(function (s) {
      var c = saved[s[0]] || {}, r = { sentence_id: s[0], notes: typeof c.notes === "string" ? c.notes : "" };
      LAYERS.forEach(function (l) { r[l] = label[l][c[l]] ? c[l] : null; });
      codes[s[0]] = r;
    });
  }
  function save() { try { localStorage.setItem(data.storageKey, JSON.stringify({ codes: codes })); } catch (e) { /* storage off: work stays until reload */ } }
  function mine() { return data.sentences.map(function (s) { return codes[s[0]]; }); }

  function buildForm() {
    var box = $(".rd-lab-sentences");
    data.sentences.forEach(function (s) {
      var fs = el("fieldset", { "class": "rd-lab-sentence" }), lg = el("legend");
      lg.appendChild(el("span", { "class": "rd-sid" }, s[0]));
      lg.appendChild(document.createTextNode(" " + s[1]));
      fs.appendChild(lg);
      var grid = el("div", { "class": "rd-lab-choices" });
      data.layers.forEach(function (l) {
        var id = "rd-lc-" + s[0] + "-" + l.name, wrap = el("div"), sel = el("select", { id: id, "data-sid": s[0], "data-layer": l.name });
        sel.appendChild(el("option", { value: "" }, "not coded"));
        l.values.forEach(function (v) { sel.appendChild(el("option", { value: v[0] }, v[1])); });
        wrap.appendChild(el("label", { "for": id }, l.title));
        wrap.appendChild(sel);
        grid.appendChild(wrap);
      });
      var nid = "rd-lc-" + s[0] + "-notes", nw = el("div", { "class": "rd-lab-notes" });
      nw.appendChild(el("label", { "for": nid }, "Notes"));
      nw.appendChild(el("input", { type: "text", id: nid, "data-sid": s[0], "data-layer": "notes" }));
      grid.appendChild(nw);
      fs.appendChild(grid);
      box.appendChild(fs);
    });
  }
  function fillForm() {
    root.querySelectorAll(".rd-lab-sentences [data-sid]").forEach(function (c) { c.value = codes[c.dataset.sid][c.dataset.layer] || ""; });
  }

  function table(caption, heads, rows, cls) {
    var wrap = el("div", { "class": "rd-lab-scroll", tabindex: "0", role: "region", "aria-label": caption + " (scrolls sideways)" });
    var t = el("table", { "class": "rd-lab-table" + (cls ? " " + cls : "") }), tr = el("tr");
    t.appendChild(el("caption", {}, caption));
    heads.forEach(function (h) { tr.appendChild(el("th", { scope: "col" }, h)); });
    t.appendChild(el("thead")).appendChild(tr);
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (r) {
      var row = body.appendChild(el("tr"));
      r.forEach(function (c, i) {
        var cell = row.appendChild(el(i ? "td" : "th", i ? {} : { scope: "row" }));
        if (c instanceof Node) cell.appendChild(c); else cell.textContent = c;
      });
    });
    wrap.appendChild(t);
    return wrap;
  }
  function pct(s) { return s.sentences ? s.agreement_pct.toFixed(1) + "% (" + s.agree + " of " + s.sentences + ")" : "–"; }
  function kap(s) { return !s.sentences ? "–" : isNaN(s.kappa) ? "not defined" : s.kappa.toFixed(2); }
  function show(name, other, notes, who) {
    var box = $('[data-rd-results="' + name + '"]'), r = agreement(mine(), other, notes, LAYERS);
    box.textContent = "";
    box.appendChild(table(name === "module" ? "Your sheet against the module's coding, layer by layer" : "Your sheet against your classmate's, layer by layer",
      ["Layer", "Sentences compared", "Percent agreement", "Cohen's kappa", "What it means"],
      r.summary.map(function (s) { return [title[s.layer], String(s.sentences), pct(s), kap(s), reading(s)]; })));
    if (!r.disagreements.length) {
      box.appendChild(el("p", {}, r.summary.some(function (s) { return s.sentences; }) ? "No disagreements on the sentences compared." : "Code some sentences (or load a sheet) to see results."));
      return r;
    }
    var heads = ["Sentence", "Layer", "Yours", who].concat(notes ? ["The module's note"] : []);
    box.appendChild(table(name === "module" ? "Where your sheet and the module's coding differ" : "Where your sheet and your classmate's differ", heads,
      r.disagreements.map(function (d) {
        var row = [d.sentence_id, title[d.layer], label[d.layer][d.yours], label[d.layer][d.module]];
        if (notes) {
          var note = el("span"), text = d.module_note || "(no note)", flag = /^Debatable\W*/.exec(text);
          if (flag) {
            note.appendChild(el("strong", { "class": "rd-lab-debatable" }, "Debatable call:"));
            text = " " + text.slice(flag[0].length);
          }
          note.appendChild(document.createTextNode(text));
          row.push(note);
        }
        return row;
      }), "rd-lab-diffs"));
    return r;
  }
  function voices() {
    var box = $('[data-rd-results="voices"]'), words = {}, count = {}, n = 0, total = 0;
    data.sentences.forEach(function (s) {
      var v = codes[s[0]].speaker;
      if (!v) return;
      n++; total += s[2]; count[v] = (count[v] || 0) + 1; words[v] = (words[v] || 0) + s[2];
    });
    box.textContent = "";
    if (!n) { box.appendChild(el("p", {}, "Code the speaker of some sentences to see each voice's share of them.")); return; }
    box.appendChild(table("Each voice's share of the " + n + " sentences (" + total + " words) whose speaker you coded",
      ["Voice", "Sentences", "Share of sentences", "Words", "Share of words"],
      data.layers[0].values.filter(function (v) { return count[v[0]]; }).map(function (v) {
        return [v[1], String(count[v[0]]), pyRound(100 * count[v[0]] / n, 1).toFixed(1) + "%", String(words[v[0]]), pyRound(100 * words[v[0]] / total, 1).toFixed(1) + "%"];
      })));
  }
  function results() {
    var r = show("module", module, data.notes, "The module's");
    if (theirs) show("theirs", theirs, null, "Your classmate's");
    voices();
    return r;
  }
  function say(text) { status.textContent = text; }
  function summary(r) {
    return r.summary.filter(function (s) { return s.sentences; }).map(function (s) {
      return title[s.layer] + ": " + s.agreement_pct.toFixed(1) + "% agreement, kappa " + kap(s);
    }).join("; ") || "nothing to compare yet";
  }
  function problems(which, list, file) {
    var box = $('[data-rd-problems="' + which + '"]');
    box.textContent = "";
    box.hidden = !list.length;
    if (!list.length) return;
    box.appendChild(el("p", {}, file + " was not loaded: " + list.length + (list.length === 1 ? " problem" : " problems") + ". Correct the sheet and load it again."));
    var ul = box.appendChild(el("ul"));
    list.forEach(function (p) { ul.appendChild(el("li", {}, p)); });
  }
  function readFile(input, which) {
    var f = input.files && input.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () {
      var got = readSheet(new Uint8Array(reader.result), f.name, data);
      problems(which, got.problems, f.name);
      input.value = "";
      if (got.problems.length) { say(f.name + " was not loaded: " + got.problems.length + " problem(s), listed under the file box."); return; }
      if (which === "mine") {
        data.sentences.forEach(function (s) { var r = codes[s[0]]; r.notes = ""; LAYERS.forEach(function (l) { r[l] = null; }); });
        got.sheet.forEach(function (r) { codes[r.sentence_id] = r; });
        save(); fillForm();
        say("Loaded " + got.sheet.length + " sentences from " + f.name + ". " + summary(results()) + ".");
      } else {
        theirs = {};
        got.sheet.forEach(function (r) { theirs[r.sentence_id] = r; });
        results();
        say("Loaded your classmate's sheet " + f.name + ": see the comparison below it.");
      }
    };
    reader.readAsArrayBuffer(f);
  }

  load();
  buildForm();
  fillForm();
  results();
  root.addEventListener("change", function (e) {
    var t = e.target;
    if (t.dataset && t.dataset.rdFile) return readFile(t, t.dataset.rdFile);
    if (!t.dataset || !t.dataset.sid) return;
    codes[t.dataset.sid][t.dataset.layer] = t.dataset.layer === "notes" ? t.value : t.value || null;
    save(); results();
  });
  root.addEventListener("input", function (e) { // notes are kept as they are typed
    var t = e.target;
    if (t.dataset && t.dataset.layer === "notes") { codes[t.dataset.sid].notes = t.value; save(); }
  });
  root.addEventListener("click", function (e) {
    var action = e.target.dataset && e.target.dataset.rdAction;
    if (action === "compare") {
      var r = results();
      $("#rd-lab-coding-results").focus();
      say("Results updated. " + summary(r) + ".");
    } else if (action === "download") {
      var a = el("a", { href: URL.createObjectURL(new Blob([toCSV(mine(), data.columns)], { type: "text/csv" })), download: "my-coding-sheet.csv" });
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      say("Your sheet is downloaded as my-coding-sheet.csv.");
    } else if (action === "erase") {
      try { localStorage.removeItem(data.storageKey); } catch (err) { /* nothing kept */ }
      load(); theirs = null; fillForm(); problems("mine", [], ""); problems("theirs", [], "");
      $('[data-rd-results="theirs"]').textContent = "";
      results();
      say("Your work is erased from this page and from this browser's storage.");
    }
  });
  root.querySelector(".rd-lab-fallback").hidden = true;
  root.querySelector(".rd-lab-ui").hidden = false;
})();
