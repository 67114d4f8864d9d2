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
          say(event.message || texts.moved, "success");
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

  /* Keyboard: a focused card moves with the arrow keys (left/right: the stage before or after; up/down: within its
     cell, then to the lane above or below) and is saved like a drop; Enter opens its edit form. The live region says
     where it went. */
  function listAt(list, rowStep, stageStep) {
    var cell = list.closest("td");
    var row = cell.parentElement;
    if (stageStep) {
      var sibling = stageStep < 0 ? cell.previousElementSibling : cell.nextElementSibling;
      return sibling && sibling.querySelector(".tp-list");
    }
    var rows = Array.prototype.slice.call(root.querySelectorAll("tr")).filter(function (tr) {
      return tr.querySelector('.tp-list[data-stage="' + list.dataset.stage + '"]');
    });
    var next = rows[rows.indexOf(row) + rowStep];
    return next && next.querySelector('.tp-list[data-stage="' + list.dataset.stage + '"]');
  }

  function where(card) {
    var list = card.parentElement;
    var stage = root.querySelector('th.stage[data-stage="' + list.dataset.stage + '"] .stage-name');
    var lane = list.closest("tr").querySelector("th .lane-name");
    var cards = list.querySelectorAll(".tp[data-id]");
    return (texts.moved_to || texts.moved)
      .replace("{name}", card.querySelector(".tp-name").textContent)
      .replace("{stage}", stage ? stage.textContent : "")
      .replace("{channel}", lane ? lane.textContent : "")
      .replace("{position}", Array.prototype.indexOf.call(cards, card) + 1)
      .replace("{count}", cards.length);
  }

  root.addEventListener("keydown", function (event) {
    var card = event.target;
    if (!card.matches || !card.matches(".tp[data-id]") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      event.preventDefault();
      card.querySelector(".tp-edit").click();
      return;
    }
    var steps = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] }[event.key];
    if (!steps) return;
    event.preventDefault();
    if (card.classList.contains("tp-saving")) return;  // one move at a time: the next needs this one's version
    var from = card.parentElement;
    var to = from;
    var before;
    if (steps[0] < 0 && card.previousElementSibling) before = card.previousElementSibling;
    else if (steps[0] > 0 && nextCard(card)) before = nextCard(nextCard(card)) || null;
    else to = listAt(from, steps[0], steps[1]);
    if (!to) return;  // already at the edge of the map
    if (to !== from) before = steps[0] > 0 ? to.querySelector(".tp[data-id]") : null;
    to.insertBefore(card, before || null);
    card.focus();
    onDrop({ item: card, from: from, to: to, oldIndex: -1, newIndex: 0, message: where(card) });
  });

  /* Focus follows the forms: into a form that opens, back to the card (or the add button) when it closes. */
  var focusCard = false;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.closest && event.detail.elt.closest(".tp-form")) focusCard = true;
  });
  htmx.onLoad(function (element) {
    var fields = "input:not([type=hidden]), select, textarea";
    var field = element.matches && element.matches("form.tp-form") ? element.querySelector(fields)
      : element.querySelector && element.querySelector("form.tp-form :is(" + fields + ")");
    var active = document.activeElement;
    if (field && (active === document.body || (active && active.matches(".tp-addbtn")))) {
      field.focus();
      return;
    }
    var card = element.matches && element.matches(".tp[data-id]") ? element
      : element.querySelector && element.querySelector(".tp[data-id]");
    if (card && focusCard && root.contains(card)) {
      focusCard = false;
      card.focus();
    }
  });
  root.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    var add = dismiss && dismiss.closest("td") && dismiss.closest("td").querySelector(".tp-addbtn");
    if (add) setTimeout(function () { add.focus(); }, 0);
  }, true);
})();
