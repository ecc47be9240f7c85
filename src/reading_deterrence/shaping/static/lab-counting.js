// Reading Deterrence: the counting explorer. The rules of the module's analysis/counting.py,
// applied in the page to the launch events exported at build time (rd-lab-counting-data); the
// browser tests check that count() here equals the package's count() under every combination.
// No network, no third-party code. Pure functions: window.ReadingDeterrence.counting.
(() => {
  "use strict";
  const script = document.getElementById("rd-lab-counting-data");
  if (!script) return;
  const D = JSON.parse(script.textContent);
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const day = (iso) => { const [y, m, d] = iso.split("-"); return `${+d} ${MONTHS[m - 1]} ${y}`; };
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  // The rules with their defaults filled in, checked as the package's Rules checks them.
  function rulesOf(rules) {
    const r = { ...D.defaults, start: null, end: null, ...rules };
    if (r.unit !== "events" && r.unit !== "missiles") throw new Error(`unit must be 'events' or 'missiles', not ${r.unit}`);
    let who = null;
    if (r.reporter !== "any" && r.reporter !== "max") {
      who = typeof r.reporter === "string" ? [r.reporter] : [...r.reporter];
      for (const name of who) if (!D.reporters.includes(name)) throw new Error(`unknown reporter ${name}`);
    }
    const classes = new Set(D.always);
    for (const [name, rule] of D.classRules) if (r[rule]) classes.add(name);
    return { ...r, who, classes };
  }

  const inWindow = (e, r) => (!r.start || e.date >= r.start) && (!r.end || e.date <= r.end);

  // Every event in the window, with whether it counts, why not, and the missile figure used.
  function judged(rules, events = D.events) {
    const r = rulesOf(rules);
    return events.filter((e) => inWindow(e, r)).map((e) => {
      const said = e.reports.filter(([who, , announced]) => announced && (!r.who || r.who.includes(who)));
      const why = [];
      if (!r.classes.has(e.cls)) why.push(`kind not counted (${e.cls})`);
      if (!said.length) why.push(r.who ? `not announced by ${r.who.join(" or ")}` : "not announced by anyone");
      const figures = said.filter(([, n]) => n !== null);
      const missiles = figures.length ? Math.max(...figures.map(([, n]) => n)) : null;
      const from = figures.filter(([, n]) => n === missiles).map(([who]) => who).join(" = ");
      return { id: e.id, date: e.date, cls: e.cls, reports: e.reports, counted: !why.length, why, missiles, from };
    });
  }

  // The package's counted(): the events a count includes, with the missile figure it uses.
  const counted = (rules, events) => judged(rules, events).filter((e) => e.counted)
    .map(({ id, date, cls, missiles, from }) => ({ id, date, cls, missiles, from: from || null }));

  // The package's count(): launch events, or missiles (an event with no figure adds nothing).
  function count(rules, events) {
    const rows = counted(rules, events);
    return rulesOf(rules).unit === "events" ? rows.length : rows.reduce((sum, e) => sum + (e.missiles ?? 0), 0);
  }

  // The package's Rules.describe(): the rules in a short line.
  function describe(rules) {
    const r = rulesOf(rules);
    const io = (flag) => (flag ? "in" : "out");
    const parts = [`cruise ${io(r.include_cruise)}`, `rocket artillery ${io(r.include_rocket_artillery)}`];
    if (r.include_slv) parts.push("satellite launches in");
    if (r.include_other) parts.push("other in");
    if (!r.include_unknown) parts.push("unknown out");
    return `${r.unit}; ${parts.join(", ")}; reporter: ${r.who && r.who.length ? r.who.join(" or ") : "any"}`;
  }

  window.ReadingDeterrence = window.ReadingDeterrence || {};
  window.ReadingDeterrence.counting = { count, counted, describe, judged, data: D };

  // --- the page ---------------------------------------------------------------------------------
  const lab = script.closest(".rd-lab-counting");
  const form = lab && lab.querySelector("#rd-cl-form");
  if (!form) return;
  const $ = (selector) => lab.querySelector(selector);
  const el = (tag, text, attrs = {}) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };

  function read() {
    const ticked = [...form.querySelectorAll('input[name="reporter"]:checked')].map((i) => i.value);
    const rules = {
      unit: form.querySelector('input[name="unit"]:checked').value,
      reporter: ticked.length === D.reporters.length ? "any" : ticked,
      start: form.elements.start.value || null,
      end: form.elements.end.value || null,
    };
    for (const box of form.querySelectorAll('input[name="class"]')) rules[box.value] = box.checked;
    return rules;
  }

  function said(reports) {
    const list = el("ul");
    for (const [who, n, announced, text] of reports) {
      const words = !announced ? `silent ${text}` : n === null ? `announced it, no number${text ? ` (${text})` : ""}`
        : `${plural(n, "missile", "missiles")}${text ? ` (${text})` : ""}`;
      const item = el("li");
      item.append(el("b", who), `: ${words}`);
      list.append(item);
    }
    return list;
  }

  function fill(kind, rows, caption, last) {
    $(`#rd-cl-${kind}-caption`).textContent = caption;
    const body = $(`.rd-cl-${kind} tbody`);
    body.replaceChildren();
    for (const e of rows) {
      const tr = el("tr");
      const list = el("td");
      list.append(said(e.reports));
      tr.append(el("td", day(e.date)), el("td", e.cls), list, el("td", last(e)));
      body.append(tr);
    }
    if (!rows.length) {
      const tr = el("tr");
      tr.append(el("td", "None.", { colspan: 4 }));
      body.append(tr);
    }
  }

  function words(rules, r) {
    const unit = r.unit === "events" ? "launch events" : "missiles";
    const span = r.start && r.end ? `from ${day(r.start)} to ${day(r.end)}, both days included`
      : r.start ? `from ${day(r.start)} on` : r.end ? `up to ${day(r.end)}` : "over all the data";
    const names = Object.keys(D.classNames);
    const kinds = names.filter((c) => r.classes.has(c)).map((c) => D.classNames[c]);
    const out = names.filter((c) => !r.classes.has(c)).map((c) => D.classNames[c]);
    const who = r.who ? (r.who.length ? `only ${r.who.join(" or ")}` : "no one's (tick a reporter)") : "anyone's";
    return `Counting ${unit} ${span}. Kinds counted: ${kinds.join(", ")}.` +
      (out.length ? ` Not counted: ${out.join(", ")}.` : "") + ` Whose word: ${who}.`;
  }

  function compare(n, r, rows) {
    const c = D.claim;
    const parts = [];
    if (r.start && r.end && r.start > r.end) parts.push("Your first date is after your last: no launch can fall in between.");
    if (r.start === D.window.start && r.end === D.window.end) {
      const said = r.unit === "events" ? c.events : c.missiles;
      const what = r.unit === "events" ? `the article's ${plural(c.events, "launch event", "launch events")}`
        : `the article's “about ${c.missiles}” missiles`;
      parts.push(n === said ? `The same as ${what}.` : `${Math.abs(n - said)} ${n < said ? "fewer" : "more"} than ${what}.`);
    } else {
      parts.push("Your dates are not the article's “this year”, so its figures count a different period.");
    }
    const none = rows.filter((e) => e.missiles === null).length;
    if (r.unit === "missiles" && none) {
      parts.push(`${plural(none, "counted launch has", "counted launches have")} no number of missiles from the reporters you chose: they add nothing, so this count is a floor.`);
    }
    return parts.join(" ");
  }

  function update() {
    const rules = read();
    const r = rulesOf(rules);
    const all = judged(rules);
    const rows = all.filter((e) => e.counted);
    const n = count(rules);
    $(".rd-cl-number").textContent = n;
    $(".rd-cl-unit").textContent = r.unit === "events" ? (n === 1 ? "launch event" : "launch events") : (n === 1 ? "missile" : "missiles");
    $(".rd-cl-words").textContent = `${words(rules, r)} `;
    $(".rd-cl-words").append(el("span", `(In the lab's short form: ${describe(rules)}.)`, { class: "rd-cl-short" }));
    $(".rd-cl-compare").textContent = compare(n, r, rows);
    fill("counted", rows, `Counted: ${plural(rows.length, "launch event", "launch events")}`,
      (e) => (e.missiles === null ? "no number: adds nothing to a missile count" : `${e.missiles} (${e.from})`));
    const left = all.filter((e) => !e.counted);
    fill("left", left, `Left out: ${plural(left.length, "launch event", "launch events")}`, (e) => e.why.join("; "));
  }

  function set(start, end) {
    form.elements.start.value = start || "";
    form.elements.end.value = end || "";
    update();
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("rd-cl-preset")) set(button.dataset.start, button.dataset.end);
    else if (button.classList.contains("rd-cl-all")) {
      for (const box of form.querySelectorAll('input[name="reporter"]')) box.checked = true;
      update();
    } else if (button.classList.contains("rd-cl-reset")) {
      form.reset();
      set(D.window.start, D.window.end);
    }
  });
  form.hidden = false;
  lab.classList.add("rd-cl-ready");
  update();
})();
