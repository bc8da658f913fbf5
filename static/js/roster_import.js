// Poll the import job, move the progress bar and say what it is doing; reload when it finishes.
(function () {
  const box = document.getElementById("import-progress");
  if (!box) return;
  const bar = box.querySelector("progress");
  const label = box.querySelector(".progress-label");
  const phase = box.querySelector(".progress-phase");
  async function poll() {
    const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
    if (response.ok) {
      const job = await response.json();
      bar.value = job.progress;
      label.textContent = job.progress + "%";
      phase.textContent = job.label + "…";
      if (!job.running) { window.location.reload(); return; }
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
