// The rules workbench: line numbers beside the text, kept in step as it is typed and scrolled; the lines with
// problems marked; clicking a problem (or a test) puts the cursor on its line. No build step, no inline script.
(function () {
  "use strict";
  var text = document.getElementById("rules-text");
  var gutter = document.getElementById("gutter");
  if (!text || !gutter) { return; }

  function problemLines() {
    var lines = {};
    document.querySelectorAll("#problems .problems .goto").forEach(function (b) {
      if (!b.dataset.file || b.dataset.file === "rules.yaml") { lines[b.dataset.line] = true; }
    });
    return lines;
  }

  function number() {
    var count = text.value.split("\n").length;
    var bad = problemLines();
    var parts = [];
    for (var n = 1; n <= count; n++) {
      parts.push('<span data-line="' + n + '"' + (bad[n] ? ' class="bad-line"' : "") + ">" + n + "</span>");
    }
    gutter.innerHTML = parts.join("\n") + "\n";
    gutter.scrollTop = text.scrollTop;
  }

  function goTo(line) {
    var lines = text.value.split("\n");
    var n = Math.max(1, Math.min(line, lines.length));
    var start = 0;
    for (var i = 0; i < n - 1; i++) { start += lines[i].length + 1; }
    text.focus();
    text.setSelectionRange(start, start + lines[n - 1].length);
    var height = text.scrollHeight / lines.length;
    text.scrollTop = Math.max(0, (n - 1) * height - text.clientHeight / 3);
    gutter.scrollTop = text.scrollTop;
  }

  text.addEventListener("input", number);
  text.addEventListener("scroll", function () { gutter.scrollTop = text.scrollTop; });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest(".goto") : null;
    if (target && target.dataset.line) { goTo(parseInt(target.dataset.line, 10)); }
  });
  document.body.addEventListener("htmx:afterSwap", number);
  number();
})();
