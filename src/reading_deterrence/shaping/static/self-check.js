// Reading Deterrence: self-check questions. The feedback of the chosen answer is shown by CSS
// alone; this only reads it out to screen-reader users, through the question's live region.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
  const check = input.closest("[data-rd-check]");
  const feedback = input.parentElement.querySelector(".rd-check-feedback");
  const live = check && check.querySelector(".rd-check-live");
  if (feedback && live) live.textContent = feedback.textContent.trim();
});
