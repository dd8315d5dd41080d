(() => {
  const events = new EventSource("/__cifras/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problems", (e) => {
    let box = document.getElementById("cifras-problems");
    if (!box) {
      box = document.createElement("pre");
      box.id = "cifras-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:16px;background:#3b0d0d;color:#fff;font:13px/1.4 monospace;z-index:9999;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "cifras: la última edición no se pudo construir. Corrija el archivo y la página se recargará sola.\n\n" + JSON.parse(e.data);
  });
})();
