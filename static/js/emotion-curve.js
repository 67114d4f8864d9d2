/* The emotion curve on the journey map: drag a stage's point up or down (or focus it and press ↑/↓) to change
   its score on the −2…+2 scale. The change is sent as the emotion form would send it (with the version the map
   was drawn with); the grid is then redrawn, and other participants see it through the live layer. Without a
   mouse, Enter on a point opens the same form. */
(function () {
  "use strict";

  var MAX = 2, MIN = -2, PAD = 0.12;  // the chart keeps 12 % above +2 and below −2 (experience/charts.py)
  var messages = document.getElementById("map-messages");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : (field ? field.value : "");
  }

  function say(text, level) {
    if (!messages) return;
    var item = document.createElement("li");
    item.className = "msg " + (level || "success");
    item.textContent = text;
    messages.appendChild(item);
    setTimeout(function () { item.remove(); }, 6000);
  }

  function scoreAt(chart, clientY) {
    var box = chart.getBoundingClientRect();
    var share = (clientY - box.top) / box.height;  // 0 at the top
    var score = MAX - (share - PAD) / (1 - 2 * PAD) * (MAX - MIN);
    return Math.max(MIN, Math.min(MAX, Math.round(score)));
  }

  function topFor(score) {
    return (PAD + (MAX - score) / (MAX - MIN) * (1 - 2 * PAD)) * 100;
  }

  function redraw() {
    if (window.JPLive && window.JPLive.refreshFromPage) {
      window.JPLive.refreshFromPage(["#journey-grid"]);
    } else {
      window.location.reload();
    }
  }

  function send(point, score) {
    var body = new URLSearchParams({ score: String(score), version: point.dataset.version || "" });
    point.setAttribute("aria-busy", "true");
    point.classList.add("is-saving");  // live redraws wait for the answer (live-dom.js dragging())
    return fetch(point.getAttribute("href"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) say(data.error || response.statusText, response.status === 412 ? "warning" : "error");
        else say(point.getAttribute("aria-label").split(":")[0] + ": " + (score > 0 ? "+" : "") + score);
        point.classList.remove("is-saving");
        redraw();
      });
    }).catch(function () { point.classList.remove("is-saving"); redraw(); });
  }

  document.addEventListener("pointerdown", function (event) {
    var point = event.target.closest(".emo-point[href]");
    if (!point || event.button !== 0) return;
    var chart = point.closest(".emo-chart");
    var start = Number(point.dataset.score), current = start, moved = false;
    point.setPointerCapture(event.pointerId);
    point.classList.add("is-dragging");

    function move(e) {
      moved = true;
      current = scoreAt(chart, e.clientY);
      point.style.top = topFor(current) + "%";
      point.firstElementChild.textContent = String(current);
    }

    function up() {
      point.removeEventListener("pointermove", move);
      point.removeEventListener("pointerup", up);
      point.removeEventListener("pointercancel", up);
      point.classList.remove("is-dragging");
      if (moved) point.dataset.dragged = "1";
      if (moved && current !== Math.round(start)) send(point, current);
      else if (moved) point.style.top = topFor(start) + "%";
    }

    point.addEventListener("pointermove", move);
    point.addEventListener("pointerup", up);
    point.addEventListener("pointercancel", up);
    event.preventDefault();
  });

  // A drag ends with a click on the link: keep the page where it is (a plain click opens the form).
  document.addEventListener("click", function (event) {
    var point = event.target.closest(".emo-point[href]");
    if (point && point.dataset.dragged) {
      delete point.dataset.dragged;
      event.preventDefault();
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    var point = event.target.closest && event.target.closest(".emo-point[href]");
    if (!point || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    var score = Math.round(Number(point.dataset.score)) + (event.key === "ArrowUp" ? 1 : -1);
    if (score > MAX || score < MIN) return;
    send(point, score);
  });
})();
