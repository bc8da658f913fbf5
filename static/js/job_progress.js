// Poll a background job (a roster import, an export), move its progress bar and say what it is doing; reload the
// page when it has finished (its outcome, or the file's link, is there).
(function () {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const label = box.querySelector(".progress-label");
  const phase = box.querySelector(".progress-phase");
  async function poll() {
    const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
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
