// Keyboard comfort only: the page works without it.
// "/" focuses the search box; j / k move between results; Enter opens one.
(function () {
  "use strict";
  var current = -1;
  function hits() { return Array.prototype.slice.call(document.querySelectorAll("li.hit")); }
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function select(i) {
    var list = hits();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(i, list.length - 1));
    list.forEach(function (h, k) { h.classList.toggle("current", k === current); });
    list[current].focus();
    list[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key === "/" && !typing(e)) {
      var q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    } else if ((e.key === "j" || e.key === "k") && !typing(e)) {
      e.preventDefault();
      select(current + (e.key === "j" ? 1 : -1));
    } else if (e.key === "Enter" && !typing(e) && current >= 0) {
      var link = hits()[current] && hits()[current].querySelector("a.open");
      if (link) { e.preventDefault(); window.location.href = link.href; }
    }
  });
  // The document view: bring the passage that was clicked into view.
  var focus = document.querySelector("p.passage.focus");
  if (focus && !window.location.hash) { focus.scrollIntoView({ block: "center" }); }
})();
