/* How the journey map is shown, for everyone who looks at it (viewers too), remembered per journey in this
   browser: hide the channel lanes that have no touchpoint, show each card's customer action and company response,
   zoom out and in or fit the whole map to the screen's width (for a projector). Nothing here changes data. */
(function () {
  "use strict";

  var root = document.getElementById("journey-map");
  var tools = root && root.querySelector(".jmap-view");
  if (!tools) return;
  var key = "journey-map-view:" + root.dataset.journey;
  var STEPS = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25];
  var state = { hideEmpty: false, detailed: false, zoom: 1 };
  try { Object.assign(state, JSON.parse(localStorage.getItem(key) || "{}")); } catch (error) { /* private mode */ }

  function save() {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (error) { /* private mode */ }
  }

  function apply() {
    root.classList.toggle("hide-empty", !!state.hideEmpty);
    root.classList.toggle("is-detailed", !!state.detailed);
    root.style.setProperty("--map-zoom", String(state.zoom));
    tools.querySelectorAll("[data-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", state[button.dataset.view] ? "true" : "false");
    });
    tools.querySelector(".jmap-zoom-level").textContent = Math.round(state.zoom * 100) + " %";
  }

  function fit() {
    // Measured, not computed: set the zoom, then shrink it until the frame no longer scrolls sideways.
    var frame = document.getElementById("journey-grid");
    if (!frame) return 1;
    root.style.setProperty("--map-zoom", "1");
    var zoom = Math.min(1, (frame.clientWidth - 2) / frame.scrollWidth);
    for (var tries = 0; tries < 30; tries += 1) {
      root.style.setProperty("--map-zoom", String(zoom));
      if (frame.scrollWidth <= frame.clientWidth + 1 || zoom <= 0.3) break;
      zoom = Math.floor((zoom - 0.02) * 100) / 100;
    }
    return Math.max(0.3, zoom);
  }

  tools.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.view) {
      state[button.dataset.view] = !state[button.dataset.view];
    } else if (button.dataset.zoom === "fit") {
      state.zoom = fit();
    } else if (button.dataset.zoom) {
      var index = STEPS.findIndex(function (step) { return step >= state.zoom - 0.001; });
      if (index < 0) index = STEPS.length - 1;
      if (button.dataset.zoom === "in") index = STEPS[index] > state.zoom + 0.001 ? index : index + 1;
      else index = index - 1;
      state.zoom = STEPS[Math.max(0, Math.min(STEPS.length - 1, index))];
    }
    apply();
    save();
  });

  tools.hidden = false;
  apply();
})();
