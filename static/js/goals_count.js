// Shows how many goals are ticked as met while the form is filled (the class follows from this count).
(function () {
  const boxes = document.querySelectorAll("#goals input[type=checkbox][data-goal]");
  const out = document.getElementById("goals-met-count");
  if (!boxes.length || !out) return;
  const update = () => { out.textContent = "(" + [...boxes].filter((b) => b.checked).length + "/" + boxes.length + ")"; };
  boxes.forEach((b) => b.addEventListener("change", update));
  update();
})();
