/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Quick exit: replace this page in the history so Back does not return here.
  function leave(url) {
    try { document.title = ""; document.body.hidden = true; } catch (e) { /* ignore */ }
    window.location.replace(url);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) { return; }
    event.preventDefault();
    leave(link.href);
  });

  // Shift pressed three times within a second and a half also leaves.
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) {
      var link = document.querySelector("[data-quick-exit]");
      if (link) { leave(link.href); }
    }
  });

  // The Shift hint only where a keyboard is likely: a pointer that can hover and aim.
  var hint = document.querySelector("[data-quick-exit-hint]");
  var keyboardLikely = window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)");
  function showHint() { if (hint && keyboardLikely) { hint.hidden = !keyboardLikely.matches; } }
  showHint();
  if (keyboardLikely && keyboardLikely.addEventListener) {
    keyboardLikely.addEventListener("change", showHint);
  }

  // GOV.UK pattern: move focus to the error summary so it is read out first; after a
  // lookup, to its answer, so the visitor lands on it (and a screen reader reads it).
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.querySelector("[data-error-summary]") ||
      document.querySelector("[data-lookup-result]");
    if (target) { target.focus(); }
  });
})();
