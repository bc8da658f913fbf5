// The budget table opens scrolled to the month being filed, with its labels (sticky columns) still in view.
(function () {
  "use strict";
  var frame = document.getElementById("budget-frame");
  if (!frame) return;
  function show(id) {
    var cell = document.getElementById(id);
    if (!cell) return;
    var labels = frame.querySelector("thead th.c-kind");
    var edge = labels ? labels.getBoundingClientRect().right : frame.getBoundingClientRect().left;
    frame.scrollLeft += cell.getBoundingClientRect().left - edge;
  }
  var current = frame.querySelector("thead th.month.filing");
  var target = window.location.hash.slice(1);
  if (target.indexOf("m-") === 0) show(target);
  else if (current) show(current.id);
  document.querySelectorAll(".month-jump a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(link.getAttribute("href").slice(1));
      history.replaceState(null, "", link.getAttribute("href"));
    });
  });
})();
