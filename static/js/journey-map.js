/* Journey map: drag and drop of touchpoint cards (SortableJS), messages, counts. Forms and cards use htmx. */
(function () {
  "use strict";

  var root = document.getElementById("journey-map");
  if (!root) return;
  var texts = JSON.parse(document.getElementById("journey-map-messages").textContent);
  var editable = root.dataset.editable === "true";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  /* Messages: one live region; each message stays a few seconds (errors longer). */
  function say(text, level) {
    var box = document.getElementById("map-messages");
    if (!box || !text) return;
    var item = document.createElement("li");
    item.className = "msg msg-" + (level || "info");
    item.textContent = text;
    box.appendChild(item);
    while (box.children.length > 3) box.removeChild(box.firstElementChild);
    setTimeout(function () { item.remove(); }, level === "error" || level === "warning" ? 12000 : 4000);
  }

  document.body.addEventListener("mapMessage", function (event) {
    say(event.detail.text, event.detail.level);
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    say(status === 403 ? texts.forbidden : status === 404 ? texts.gone : texts.failed, "error");
  });
  document.body.addEventListener("htmx:sendError", function () { say(texts.offline, "error"); });

  /* Counts per lane, per stage and in total, after any change. */
  function recount() {
    var grid = document.getElementById("journey-grid");
    if (!grid) return;
    var perStage = {};
    var total = 0;
    grid.querySelectorAll("tr.lane").forEach(function (row) {
      var lane = 0;
      row.querySelectorAll("td[data-stage]").forEach(function (cell) {
        var cards = cell.querySelectorAll(".tp[data-id], .tp-form[data-id]").length;  // an open edit form counts
        perStage[cell.dataset.stage] = (perStage[cell.dataset.stage] || 0) + cards;
        lane += cards;
      });
      total += lane;
      var count = row.querySelector("[data-lane-count]");
      if (count) count.textContent = lane;
      row.classList.toggle("is-empty", lane === 0);
    });
    grid.querySelectorAll("th.stage").forEach(function (head) {
      var count = head.querySelector("[data-stage-count]");
      if (count) count.textContent = perStage[head.dataset.stage] || 0;
    });
    var all = grid.querySelector("[data-total-count]");
    if (all) all.textContent = total;
  }
  document.body.addEventListener("htmx:afterSettle", recount);
  document.body.addEventListener("live:patched", recount);  // cells redrawn by live.js after someone's change

  function cardUrl(template, id) {
    return template.replace(/\/0\/([a-z]+)\/$/, "/" + id + "/$1/");
  }

  /* One listener for every card's edit button (keeps the 500-card page light) and the script-only buttons. */
  root.addEventListener("click", function (event) {
    var edit = event.target.closest(".tp-edit");
    if (edit) {
      var card = edit.closest(".tp");
      htmx.ajax("GET", cardUrl(root.dataset.editUrl, card.dataset.id), { source: edit, target: card, swap: "outerHTML" });
    }
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) dismiss.closest("form").remove();
    if (event.target.closest("[data-print]")) window.print();
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (event.detail.successful && form.matches && form.matches("form[data-reset-on-success]")) form.reset();
  });

  if (!editable || !window.Sortable) return;

  function cellUrl(stage, channel) {
    return root.dataset.cellUrl + "?stage=" + encodeURIComponent(stage) + "&channel=" + encodeURIComponent(channel);
  }

  function refreshCell(stage, channel) {
    var list = document.getElementById("list-" + stage + "-" + channel);
    if (!list) return Promise.resolve();
    // Each list is its own source: requests from one source are queued and all but the last queued one dropped.
    return htmx.ajax("GET", cellUrl(stage, channel), { source: list, target: list, swap: "outerHTML" });
  }

  function nextCard(card) {
    var next = card.nextElementSibling;
    while (next && !next.matches(".tp[data-id]")) next = next.nextElementSibling;
    return next;
  }

  function onDrop(event) {
    var card = event.item;
    var from = event.from;
    var to = event.to;
    if (from === to && event.oldIndex === event.newIndex) return;
    var before = nextCard(card);
    var body = new FormData();
    body.append("stage", to.dataset.stage);
    body.append("channel", to.dataset.channel);
    body.append("before", before ? before.dataset.id : "");
    body.append("version", card.dataset.version);
    card.classList.add("tp-saving");
    recount();
    fetch(cardUrl(root.dataset.moveUrl, card.dataset.id), {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        card.classList.remove("tp-saving");
        if (response.ok) {
          card.dataset.version = data.version;
          say(texts.moved, "success");
          return;
        }
        var message = data.detail || (response.status === 403 ? texts.forbidden
          : response.status === 404 ? texts.gone : texts.failed);
        say(message, response.status === 412 ? "warning" : "error");
        var refreshes = [refreshCell(from.dataset.stage, from.dataset.channel)];
        if (to !== from) refreshes.push(refreshCell(to.dataset.stage, to.dataset.channel));
        var now = data.current;
        if (now && document.getElementById("list-" + now.stage + "-" + now.channel) !== from &&
            document.getElementById("list-" + now.stage + "-" + now.channel) !== to) {
          refreshes.push(refreshCell(now.stage, now.channel));
        }
        return Promise.all(refreshes).then(recount);
      });
    }).catch(function () {
      card.classList.remove("tp-saving");
      say(texts.offline, "error");
      refreshCell(from.dataset.stage, from.dataset.channel);
      if (to !== from) refreshCell(to.dataset.stage, to.dataset.channel);
    });
  }

  function makeSortable(scope) {
    var lists = scope.matches && scope.matches(".tp-list") ? [scope] : scope.querySelectorAll(".tp-list");
    lists.forEach(function (list) {
      if (list.sortable) return;
      list.sortable = Sortable.create(list, {
        group: "touchpoints",
        draggable: ".tp",
        filter: ".tp-edit",
        preventOnFilter: false,
        animation: 120,
        emptyInsertThreshold: 12,
        ghostClass: "tp-ghost",
        chosenClass: "tp-chosen",
        onEnd: onDrop,
      });
    });
  }
  htmx.onLoad(makeSortable);
  makeSortable(root);
})();
