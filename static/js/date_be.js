// A small calendar in Buddhist Era years beside every date box (input[data-date-be]). The box stays a text
// input that takes day/month/BE year (25/10/2564); the calendar only fills it in. Keyboard: the button opens it,
// arrow keys move the day, Enter picks, Escape closes. Month names follow the page's language.
(function () {
  "use strict";
  var thai = (document.documentElement.lang || "th").indexOf("th") === 0;
  var MONTHS = thai
    ? ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
    : ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  var DAYS = thai ? ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"] : ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];
  var TEXT = thai
    ? {open: "เลือกวันจากปฏิทิน", prev: "เดือนก่อน", next: "เดือนถัดไป", close: "ปิด"}
    : {open: "Pick the day in the calendar", prev: "Previous month", next: "Next month", close: "Close"};
  var BE = 543;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function read(text) {
    var digits = text.replace(/[๐-๙]/g, function (c) { return String(c.charCodeAt(0) - 0x0e50); });
    var m = /^\s*(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})\s*$/.exec(digits);
    if (!m) return null;
    var year = +m[3]; if (year > 2400) year -= BE;
    var d = new Date(year, +m[2] - 1, +m[1]);
    return isNaN(d) ? null : d;
  }
  function write(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + (d.getFullYear() + BE); }

  function attach(input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "date-be-open";
    button.setAttribute("aria-label", TEXT.open + (input.labels && input.labels[0] ? ": " + input.labels[0].textContent.trim() : ""));
    button.setAttribute("aria-expanded", "false");
    button.textContent = "📅";
    input.insertAdjacentElement("afterend", button);
    var panel = null, shown = null, focus = null;

    function close(refocus) {
      if (!panel) return;
      panel.remove(); panel = null;
      button.setAttribute("aria-expanded", "false");
      if (refocus) button.focus();
    }
    function render() {
      var year = shown.getFullYear(), month = shown.getMonth();
      panel.innerHTML = "";
      var head = document.createElement("div"); head.className = "date-be-head";
      var prev = document.createElement("button"); prev.type = "button"; prev.textContent = "‹"; prev.setAttribute("aria-label", TEXT.prev);
      var next = document.createElement("button"); next.type = "button"; next.textContent = "›"; next.setAttribute("aria-label", TEXT.next);
      var title = document.createElement("strong"); title.setAttribute("aria-live", "polite");
      title.textContent = MONTHS[month] + " " + (year + BE);
      prev.addEventListener("click", function () { shown = new Date(year, month - 1, 1); focus = null; render(); });
      next.addEventListener("click", function () { shown = new Date(year, month + 1, 1); focus = null; render(); });
      head.append(prev, title, next);
      var grid = document.createElement("table"); grid.className = "date-be-grid"; grid.setAttribute("role", "grid");
      var hrow = grid.createTHead().insertRow();
      DAYS.forEach(function (d) { var th = document.createElement("th"); th.scope = "col"; th.textContent = d; hrow.appendChild(th); });
      var body = grid.createTBody(), row = body.insertRow(), first = new Date(year, month, 1).getDay();
      for (var i = 0; i < first; i++) row.insertCell();
      var days = new Date(year, month + 1, 0).getDate(), current = read(input.value);
      if (!focus || focus.getMonth() !== month) focus = current && current.getMonth() === month && current.getFullYear() === year ? current : new Date(year, month, 1);
      for (var day = 1; day <= days; day++) {
        if (row.cells.length === 7) row = body.insertRow();
        var cell = row.insertCell(), b = document.createElement("button");
        b.type = "button"; b.textContent = day; b.dataset.day = day;
        var date = new Date(year, month, day);
        b.setAttribute("aria-label", day + " " + MONTHS[month] + " " + (year + BE));
        b.tabIndex = day === focus.getDate() ? 0 : -1;
        if (current && +current === +date) { b.className = "chosen"; b.setAttribute("aria-pressed", "true"); }
        b.addEventListener("click", (function (d) { return function () { input.value = write(d); input.dispatchEvent(new Event("change", {bubbles: true})); close(true); }; })(date));
        cell.appendChild(b);
      }
      var shut = document.createElement("button"); shut.type = "button"; shut.className = "date-be-close"; shut.textContent = TEXT.close;
      shut.addEventListener("click", function () { close(true); });
      panel.append(head, grid, shut);
    }
    function move(days) {
      focus = new Date(focus.getFullYear(), focus.getMonth(), focus.getDate() + days);
      shown = new Date(focus.getFullYear(), focus.getMonth(), 1);
      render();
      panel.querySelector("button[data-day='" + focus.getDate() + "']").focus();
    }
    button.addEventListener("click", function () {
      if (panel) { close(true); return; }
      shown = read(input.value) || new Date();
      shown = new Date(shown.getFullYear(), shown.getMonth(), 1);
      focus = null;
      panel = document.createElement("div");
      panel.className = "date-be-panel";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", TEXT.open);
      button.insertAdjacentElement("afterend", panel);
      button.setAttribute("aria-expanded", "true");
      render();
      panel.addEventListener("keydown", function (event) {
        var steps = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7};
        if (event.key === "Escape") { event.preventDefault(); close(true); }
        else if (steps[event.key] && event.target.dataset.day) { event.preventDefault(); move(steps[event.key]); }
      });
      panel.querySelector("button[tabindex='0']").focus();
    });
  }
  document.querySelectorAll("input[data-date-be]").forEach(attach);
})();
