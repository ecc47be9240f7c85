// Reading Deterrence: glossary definitions. They appear on hover and on keyboard focus by CSS
// alone (the link's aria-describedby reads them out). This script adds three things:
// - Escape dismisses them (WCAG 2.1, 1.4.13) until the pointer or focus moves to another term;
// - a definition that opens is placed inside the window, below its term (above it near the bottom
//   of the window), never past either side, even on a 360 px phone or inside a scrolling table;
// - on a touch screen, the first tap on a term shows its definition, with a link "In the glossary",
//   instead of leaving the page; a second tap on the term, a tap elsewhere or Escape closes it.
//   Opened by a tap, the definition is a disclosed group, not a tooltip (a tooltip holds no link):
//   its role changes while it is open, and the tapped link says it is expanded.
// Mouse and keyboard behave as without the script. No network, so it works opened from a folder.
(() => {
  const root = document.documentElement;
  const MARGIN = 8; // px kept free at the window's edges
  let lastPointer = "";

  const termOf = (node) => (node && node.closest ? node.closest(".rd-term") : null);
  const linkOf = (term) => term.querySelector(":scope > a");
  const tipOf = (term) => term.querySelector(":scope > .rd-tip");

  // Place a term's definition in the window (position: fixed, so no scrolling box clips it).
  function place(term) {
    const link = linkOf(term);
    const tip = tipOf(term);
    if (!link || !tip) return;
    const width = root.clientWidth;
    const height = root.clientHeight;
    tip.classList.add("rd-tip-placed");
    tip.style.maxWidth = `${Math.max(0, Math.min(22 * 16, width - 2 * MARGIN))}px`;
    // measure it as it would show, without showing it if the CSS keeps it hidden
    const shown = getComputedStyle(tip).display !== "none";
    if (!shown) Object.assign(tip.style, { display: "block", visibility: "hidden" });
    const box = tip.getBoundingClientRect();
    if (!shown) Object.assign(tip.style, { display: "", visibility: "" });
    const at = link.getClientRects()[0] || link.getBoundingClientRect();
    const left = Math.min(Math.max(at.left, MARGIN), Math.max(MARGIN, width - MARGIN - box.width));
    let top = at.bottom;
    if (top + box.height > height - MARGIN && at.top - box.height >= MARGIN) top = at.top - box.height;
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(top)}px`;
  }

  function close(term) {
    term.classList.remove("rd-tip-open");
    // a touch screen keeps :hover (and maybe :focus) on the tapped link: keep it shut until the
    // pointer or the keyboard comes back to it
    term.classList.add("rd-tip-shut");
    const link = linkOf(term);
    if (link && link.hasAttribute("aria-expanded")) link.setAttribute("aria-expanded", "false");
    const more = term.querySelector(".rd-tip-more");
    if (more) more.remove();
    const tip = tipOf(term);
    if (tip) tip.setAttribute("role", "tooltip");
  }

  function closeAll(except) {
    for (const term of document.querySelectorAll(".rd-term.rd-tip-open")) {
      if (term !== except) close(term);
    }
  }

  function open(term) {
    closeAll(term);
    root.classList.remove("rd-tips-off");
    term.classList.remove("rd-tip-shut");
    term.classList.add("rd-tip-open");
    const link = linkOf(term);
    const tip = tipOf(term);
    link.setAttribute("aria-expanded", "true");
    tip.setAttribute("role", "group");
    if (!tip.querySelector(".rd-tip-more")) {
      const more = document.createElement("a");
      more.className = "rd-tip-more";
      more.href = link.href;
      more.textContent = "In the glossary";
      tip.append(" ", more);
    }
    place(term);
  }

  document.addEventListener("keydown", (event) => {
    lastPointer = ""; // Enter on a link after a tap is the keyboard's, not a touch
    if (event.key === "Escape") {
      closeAll();
      root.classList.add("rd-tips-off");
    }
  });

  // Pointer or keyboard focus on a term: tips on again, and this one placed before it shows.
  for (const type of ["focusin", "mouseover"]) {
    document.addEventListener(type, (event) => {
      const term = termOf(event.target);
      if (!term) return;
      root.classList.remove("rd-tips-off");
      if (type === "focusin") term.classList.remove("rd-tip-shut");
      place(term);
    });
  }
  document.addEventListener("pointerover", (event) => {
    const term = termOf(event.target);
    if (term && event.pointerType !== "touch") term.classList.remove("rd-tip-shut");
  });
  document.addEventListener("pointerdown", (event) => {
    lastPointer = event.pointerType;
  }, true);

  // A tap on a term opens (or closes) its definition; a tap or click elsewhere closes it.
  document.addEventListener("click", (event) => {
    const pointer = "pointerType" in event ? event.pointerType : lastPointer; // "" from the keyboard
    const term = termOf(event.target);
    if (term && event.target.closest(".rd-tip-more")) return; // the glossary link: follow it
    if (term && pointer === "touch" && event.target.closest(".rd-term > a")) {
      event.preventDefault();
      if (term.classList.contains("rd-tip-open")) close(term);
      else open(term);
      return;
    }
    if (!term) closeAll();
  });

  // An open definition follows its term when the page scrolls or the window changes size.
  const follow = () => {
    for (const term of document.querySelectorAll(".rd-term")) {
      const tip = tipOf(term);
      if (tip && tip.classList.contains("rd-tip-placed") && getComputedStyle(tip).display !== "none") place(term);
    }
  };
  window.addEventListener("scroll", follow, { passive: true, capture: true });
  window.addEventListener("resize", follow);
})();
