// A "Print" button (any element with data-print) opens the browser's print dialog. A file, not an inline
// handler: the Content-Security-Policy allows scripts from the app's own origin only.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
