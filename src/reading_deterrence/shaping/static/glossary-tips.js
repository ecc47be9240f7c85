// Reading Deterrence: glossary definitions appear on hover and focus by CSS alone; this lets
// Escape dismiss them (WCAG 2.1, 1.4.13) until the pointer or focus moves to another term.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") document.documentElement.classList.add("rd-tips-off");
});
for (const type of ["focusin", "mouseover"]) {
  document.addEventListener(type, (event) => {
    if (event.target.closest && event.target.closest(".rd-term")) {
      document.documentElement.classList.remove("rd-tips-off");
    }
  });
}
