// Reading Deterrence: self-check questions. The feedback of each chosen answer is shown by CSS
// alone; this reads it out to screen-reader users through the question's live region and, for a
// question with several right answers (checkboxes), shows a tally: how many of the right answers
// are chosen and how many wrong ones.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || (input.type !== "radio" && input.type !== "checkbox")) return;
  const check = input.closest("[data-rd-check]");
  if (!check) return;
  const live = check.querySelector(".rd-check-live");
  const feedback = input.parentElement.querySelector(".rd-check-feedback");
  let said = input.checked && feedback ? feedback.textContent.trim() : "";
  const tally = check.querySelector(".rd-check-tally");
  if (tally) {
    const inputs = [...check.querySelectorAll("input")];
    const right = inputs.filter((i) => i.dataset.correct === "true");
    const found = right.filter((i) => i.checked).length;
    const wrong = inputs.filter((i) => i.checked && i.dataset.correct !== "true").length;
    const chosen = found + wrong;
    let text = "";
    if (chosen === 0) text = "";
    else if (found === right.length && wrong === 0) text = `Right: you have found all ${right.length} right answers.`;
    else {
      const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
      text = (found > 0 ? "Partly right: " : "Not yet: ") +
        `you have found ${found} of the ${right.length} right answers` +
        (wrong ? `, and chosen ${plural(wrong, "answer that is not right", "answers that are not right")} (read its feedback).` : ". Look for more.");
    }
    tally.textContent = text;
    tally.hidden = text === "";
    if (text) said = said ? `${said} ${text}` : text;
  }
  if (live) live.textContent = said;
});
