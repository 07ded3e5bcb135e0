// Draw every chart of the page from the Vega-Lite specification the server wrote next to it.
// vegaEmbed comes from the Vega bundle Masar serves itself (no CDN).
function drawCharts() {
  for (const element of document.querySelectorAll("[data-vega-spec]")) {
    const spec = document.getElementById(element.dataset.vegaSpec);
    const options = document.getElementById(element.dataset.vegaOptions);
    if (!spec || !window.vegaEmbed) continue;
    window.vegaEmbed(element, JSON.parse(spec.textContent), options ? JSON.parse(options.textContent) : {})
      .then(() => element.setAttribute("data-drawn", "true"))
      .catch((error) => element.setAttribute("data-error", String(error)));
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
