// The school admin's pages. A refused roster upload (422: rows that cannot be imported; 413: too large) is
// still a page to show: htmx swaps only 2xx answers unless told so.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 400 || status === 413 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// A "Copy" button copies the text of the input its data-copy names (the admin's one-time sign-in link).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  field.select();
  navigator.clipboard.writeText(field.value).then(
    () => { button.textContent = "Copied"; },
    () => { button.textContent = "Select and copy by hand"; });
});
