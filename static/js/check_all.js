// A "select everyone" box: ticks or clears every checkbox named by its data-check-all, and follows them.
(function () {
  document.querySelectorAll("input[type=checkbox][data-check-all]").forEach((all) => {
    const boxes = [...all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`)];
    const follow = () => { all.checked = boxes.length > 0 && boxes.every((b) => b.checked); };
    all.addEventListener("change", () => boxes.forEach((b) => { b.checked = all.checked; }));
    boxes.forEach((b) => b.addEventListener("change", follow));
    follow();
  });
})();
