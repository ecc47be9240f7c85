/* Check yourself, sound or unsound? (the {discernment-check} directive). The student picks a form,
   rates each item on a six-point scale, then sees the answers and their scores: hit and false-alarm
   rates, d′, c and AUC, as analysis/discernment.py defines them (a browser test holds the two
   together). Answers stay in this browser (localStorage) until erased; the results file is made
   here. No network, no third-party code.
   For tests: window.ReadingDeterrence.discernment.score(ratings), ratings {item_id: 1..6}; .reading(s). */
(function () {
  "use strict";
  var root = document.querySelector(".rd-lab-discernment");
  var source = document.getElementById("rd-lab-discernment-data");
  if (!root || !source) return;
  var data = JSON.parse(source.textContent);
  var ITEMS = data.items, SCALE = data.scale, KEY = data.key;
  var CODE = new RegExp("^(?:" + data.code + ")$");

  /* The standard normal quantile: Wichura's AS241, as Python's statistics.NormalDist computes it
     (its two central branches, enough for any p from 1e-10 to 1 - 1e-10). */
  var P1 = [2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457,
    13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608];
  var Q1 = [5226.495278852854561, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867,
    5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1];
  var P2 = [7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258,
    3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734];
  var Q2 = [1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966,
    0.14810397642748007459, 0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1];
  function poly(c, r) { return c.reduce(function (a, k) { return a * r + k; }, 0); }
  function z(p) {
    var q = p - 0.5, r;
    if (Math.abs(q) <= 0.425) { r = 0.180625 - q * q; return poly(P1, r) * q / poly(Q1, r); }
    r = Math.sqrt(-Math.log(q <= 0 ? p : 1 - p)) - 1.6;
    return (q < 0 ? -1 : 1) * (poly(P2, r) / poly(Q2, r));
  }

  /* The score of ratings {item_id: 1..6}: the same numbers as analysis.discernment.score. */
  function score(ratings) {
    var u = [], s = [], wins = 0;
    Object.keys(ratings).forEach(function (id) { (ITEMS[id].sound ? s : u).push(ratings[id]); });
    u.forEach(function (a) { s.forEach(function (b) { wins += a > b ? 1 : a === b ? 0.5 : 0; }); });
    function flagged(list) { return list.filter(function (r) { return r >= data.flagFrom; }).length; }
    var hits = flagged(u), fa = flagged(s);
    var zh = z((hits + 0.5) / (u.length + 1)), zf = z((fa + 0.5) / (s.length + 1));
    return {
      unsound: u.length, sound: s.length, hits: hits, misses: u.length - hits, false_alarms: fa,
      correct_rejections: s.length - fa, hit_rate: hits / u.length, false_alarm_rate: fa / s.length,
      d_prime: zh - zf, c: -(zh + zf) / 2, auc: wins / (u.length * s.length)
    };
  }

  /* Rounded half up, with a true minus sign: as analysis.discernment.fixed. */
  function fixed(x, places) {
    places = places === undefined ? 2 : places;
    var p = Math.pow(10, places), m = Math.floor(x * p + 0.5);
    return (m < 0 ? "−" : "") + (Math.abs(m) / p).toFixed(places);
  }

  function verdictKey(d, c) {
    if (d <= -data.low) return "misled";
    var lean = c <= -data.bias ? "sceptical" : c >= data.bias ? "trusting" : "balanced";
    return (d < data.low ? "low" : d < data.high ? "some" : "high") + "-" + lean;
  }

  /* A score in plain words: as analysis.discernment.reading. */
  function reading(s) {
    var n = s.unsound + s.sound, k = s.hits + s.false_alarms;
    var first = k === n ? "You flagged all " + n + " items as unsound."
      : k === 0 ? "You flagged none of the " + n + " items: you called every one sound."
      : 4 * k >= 3 * n ? "You flagged almost everything: " + k + " of " + n + " items."
      : 4 * k <= n ? "You flagged very little: " + k + " of " + n + " items."
      : "You flagged " + k + " of " + n + " items as unsound.";
    return [first, "You caught " + s.hits + " of the " + s.unsound + " unsound items and doubted " +
      s.false_alarms + " of the " + s.sound + " sound ones.", data.verdicts[verdictKey(s.d_prime, s.c)],
      "(d′ = " + fixed(s.d_prime) + ", c = " + fixed(s.c) + ".)", "Your confidence: you rated an unsound item " +
      "more doubtfully than a sound one " + fixed(100 * s.auc, 0) + "% of the time (50% is guessing, 100% is perfect)."
    ].join(" ");
  }

  function codeProblem(c) {
    if (c.indexOf("@") >= 0) return "That looks like an e-mail address. Choose a code that does not name you.";
    if (/\s/.test(c)) return "A code has no spaces: use letters, digits, - or _, and never your name.";
    if (!CODE.test(c)) return "Use 2 to 20 letters, digits, - or _, starting with a letter or a digit.";
    return "";
  }

  /* --- the page ------------------------------------------------------------------------------ */
  function $(sel, el) { return (el || root).querySelector(sel); }
  function all(sel, el) { return Array.prototype.slice.call((el || root).querySelectorAll(sel)); }
  var live = $(".rd-dc-live"), progress = $(".rd-dc-progress"), results = $(".rd-dc-results");
  var scoreBtn = $(".rd-dc-score"), erase = $(".rd-dc-erase"), eraseYes = $(".rd-dc-erase-yes");
  var code = $("#rd-dc-code"), codeError = $("#rd-dc-code-error");

  function fresh() { return { form: null, code: "", forms: { A: { ratings: {}, done: false }, B: { ratings: {}, done: false } } }; }
  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (saved && saved.forms && saved.forms.A && saved.forms.B) {
        if (!saved.forms[saved.form]) saved.form = null;
        return saved;
      }
    } catch (e) { /* no storage (private mode, or blocked): the check still works, unsaved */ }
    return fresh();
  }
  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* see load() */ }
  }
  var state = load();
  function say(text) { live.textContent = text; }
  function ids(form) { return all('.rd-dc-form[data-form="' + form + '"] .rd-dc-item').map(function (li) { return li.getAttribute("data-item"); }); }
  function ratings(form) {
    var out = {}, r = state.forms[form].ratings;
    ids(form).forEach(function (id) { if (r[id]) out[id] = r[id][0]; });
    return out;
  }
  function number(id) { return $("#rd-dc-" + id + " .rd-dc-n").textContent.replace(".", ""); }

  all(".rd-dc-item").forEach(function (li) {
    var id = li.getAttribute("data-item"), fs = document.createElement("fieldset");
    fs.className = "rd-dc-rate";
    fs.innerHTML = "<legend>" + number(id) + ": sound or unsound, and how sure?</legend>" + SCALE.map(function (label, i) {
      return '<label><input type="radio" name="rd-dc-' + id + '" value="' + (i + 1) + '"> ' + label + "</label>";
    }).join("");
    var answer = document.createElement("div");
    answer.className = "rd-dc-answer";
    answer.hidden = true;
    li.appendChild(fs);
    li.appendChild(answer);
  });

  // Korean in an explanation gets lang="ko", as the build marks it in the page (screen readers, fonts).
  function marked(el, text) {
    text.split(/([\u1100-\u11ff\u3130-\u318f\uac00-\ud7af](?:[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\s,]*[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af])?)/).forEach(function (part, i) {
      if (!part) return;
      if (i % 2) { var k = document.createElement("span"); k.lang = "ko"; k.textContent = part; el.appendChild(k); }
      else el.appendChild(document.createTextNode(part));
    });
  }

  function fillAnswer(el, id, rating) {
    var it = ITEMS[id], flagged = rating >= data.flagFrom;
    var what = it.sound ? (flagged ? "you doubted a sound item (a false alarm)." : "you trusted it, rightly.")
      : (flagged ? "you caught it (a hit)." : "you let it through (a miss).");
    el.setAttribute("data-result", flagged === !it.sound ? "right" : "wrong");
    el.innerHTML = "<p><strong></strong> <span></span></p><p></p><p>Sources: </p>";
    var p = el.querySelectorAll("p");
    p[0].firstChild.textContent = it.sound ? "Sound." : "Unsound.";
    p[0].lastChild.textContent = "You said “" + SCALE[rating - 1] + "”: " + what;
    marked(p[1], it.explanation);
    it.sources.forEach(function (s, i) {
      var a = document.createElement(s[1] ? "a" : "span");
      if (s[1]) a.href = s[1];
      marked(a, s[0]);
      p[2].appendChild(a);
      p[2].appendChild(document.createTextNode(i < it.sources.length - 1 ? ", " : "."));
    });
  }

  function fillResults(form) {
    var s = score(ratings(form));
    $(".rd-dc-reading").textContent = reading(s);
    all("[data-dc]").forEach(function (el) {
      var k = el.getAttribute("data-dc"), v = s[k];
      el.textContent = k === "hit_rate" ? s.hits + " of " + s.unsound + " (" + fixed(100 * v, 0) + "%)"
        : k === "false_alarm_rate" ? s.false_alarms + " of " + s.sound + " (" + fixed(100 * v, 0) + "%)"
        : k === "d_prime" || k === "c" || k === "auc" ? fixed(v) : String(v);
    });
    var both = $(".rd-dc-both");
    both.hidden = !(state.forms.A.done && state.forms.B.done);
    if (!both.hidden) {
      var a = score(ratings("A")), b = score(ratings("B"));
      both.textContent = "Before (form A): d′ = " + fixed(a.d_prime) + ", c = " + fixed(a.c) + ". After (form B): d′ = " +
        fixed(b.d_prime) + ", c = " + fixed(b.c) + ". A higher d′ after means you got better at telling sound from " +
        "unsound; a lower c means only that you doubted more.";
    }
    code.value = state.code;
  }

  function render() {
    var f = state.form;
    all('input[name="rd-dc-form"]').forEach(function (r) { r.checked = r.value === f; });
    all(".rd-dc-form").forEach(function (sec) { sec.hidden = sec.getAttribute("data-form") !== f; });
    $(".rd-dc-end").hidden = !f;
    progress.hidden = !f;
    if (!f) return;
    var st = state.forms[f], list = ids(f), n = Object.keys(ratings(f)).length;
    list.forEach(function (id) {
      var li = $("#rd-dc-" + id), r = st.ratings[id];
      all("input", li).forEach(function (inp) { inp.checked = !!r && +inp.value === r[0]; inp.disabled = st.done; });
      var answer = $(".rd-dc-answer", li);
      answer.hidden = !st.done;
      if (st.done) fillAnswer(answer, id, r[0]);
    });
    progress.textContent = st.done
      ? "Form " + f + " is done: your answers are locked. Erase them to start again."
      : "You have answered " + n + " of the " + list.length + " items of form " + f + ". Your answers are kept in this browser as you go.";
    scoreBtn.hidden = st.done;
    results.hidden = !st.done;
    if (st.done) fillResults(f);
  }

  root.addEventListener("change", function (event) {
    var t = event.target;
    if (t.name === "rd-dc-form") {
      state.form = t.value;
      save();
      render();
      say("Form " + t.value + ", " + data.forms[t.value].label + ": " + ids(t.value).length + " items.");
    } else if (t.name && t.name.indexOf("rd-dc-") === 0 && state.form && !state.forms[state.form].done) {
      state.forms[state.form].ratings[t.name.slice(6)] = [+t.value, new Date().toISOString()];
      save();
      render();
    }
  });
  scoreBtn.addEventListener("click", function () {
    var f = state.form, r = ratings(f);
    var missing = ids(f).filter(function (id) { return !r[id]; });
    if (missing.length) {
      say(missing.length + (missing.length === 1 ? " item still needs" : " items still need") + " an answer: " +
        missing.map(number).join(", ") + ".");
      $('#rd-dc-' + missing[0] + ' input').focus();
      return;
    }
    state.forms[f].done = true;
    save();
    render();
    $("#rd-dc-results-title").focus();
    say(reading(score(r)));
  });
  erase.addEventListener("click", function () {
    eraseYes.hidden = false;
    eraseYes.focus();
    say("To erase all your answers and your code, for both forms, press the button “Yes, erase”.");
  });
  eraseYes.addEventListener("click", function () {
    state = fresh();
    try { window.localStorage.removeItem(KEY); } catch (e) { /* see load() */ }
    eraseYes.hidden = true;
    all(".rd-dc-item input").forEach(function (i) { i.checked = false; i.disabled = false; });
    all(".rd-dc-answer").forEach(function (a) { a.hidden = true; });
    render();
    $('input[name="rd-dc-form"]').focus();
    say("Your answers are erased, for both forms, from this page and from this browser's storage.");
  });
  $(".rd-dc-download").addEventListener("click", function () {
    var c = code.value.trim(), problem = codeProblem(c), f = state.form;
    codeError.hidden = !problem;
    codeError.textContent = problem;
    code.setAttribute("aria-invalid", problem ? "true" : "false");
    code.setAttribute("aria-describedby", "rd-dc-code-help" + (problem ? " rd-dc-code-error" : ""));
    if (problem) { code.focus(); say(problem); return; }
    state.code = c;
    save();
    var phase = data.forms[f].phase, r = state.forms[f].ratings, lines = ["code,form,phase,item_id,rating,answered_at"];
    ids(f).forEach(function (id) { lines.push([c, f, phase, id, r[id][0], r[id][1]].join(",")); });
    var a = document.createElement("a"), name = "discernment-" + c + "-" + phase + ".csv";
    a.href = URL.createObjectURL(new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    say("Saved as " + name + ": your code and your answers, nothing else. Hand it in if your teacher asks.");
  });

  var NS = (window.ReadingDeterrence = window.ReadingDeterrence || {});
  NS.discernment = { score: score, reading: reading, z: z, fixed: fixed, codeProblem: codeProblem, data: data };
  $(".rd-dc-nojs").hidden = true;
  $(".rd-dc-start").hidden = false;
  render();
})();
