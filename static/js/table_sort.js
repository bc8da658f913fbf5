// Sort a table.sortable by the clicked column header (numbers by data-sort, text otherwise); click again to reverse.
document.querySelectorAll("table.sortable").forEach((table) => {
  table.querySelectorAll("thead th").forEach((th, index) => {
    th.tabIndex = 0;
    th.addEventListener("click", () => {
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const ascending = th.dataset.order !== "asc";
      const key = (row) => {
        const cell = row.cells[index];
        const raw = cell && cell.dataset.sort !== undefined ? cell.dataset.sort : cell ? cell.textContent.trim() : "";
        const number = parseFloat(raw);
        return Number.isNaN(number) ? raw : number;
      };
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "th");
        return ascending ? order : -order;
      });
      table.querySelectorAll("thead th").forEach((other) => delete other.dataset.order);
      th.dataset.order = ascending ? "asc" : "desc";
      rows.forEach((row) => body.appendChild(row));
    });
  });
});
