// A table box that scrolls sideways can be scrolled with the keyboard: it takes focus only when it does scroll.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap, .scroll-x").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (!box.hasAttribute("data-keep-tabindex")) box.removeAttribute("tabindex");
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
