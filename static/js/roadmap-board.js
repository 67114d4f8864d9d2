/* Roadmap: the print buttons, and the now/next/later board's drag and drop (SortableJS). A card moves between
   columns only: within a column the cards follow their rank, so after a drop the columns are redrawn from the server
   with the card at its rank's place. A drop posts the column, the card it now precedes and the card's version; a
   refused move (412 stale, 400, 403, 404) shows why and redraws the columns as saved. No full reload. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  var board = document.getElementById("rm-board");
  if (!board) return;
  var texts = JSON.parse(document.getElementById("rm-board-texts").textContent);
  if (board.dataset.editable !== "true" || !window.Sortable) return;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function say(text, level) {
    var box = document.getElementById("rm-board-messages");
    if (!box || !text) return;
    var item = document.createElement("li");
    item.className = "msg msg-" + (level || "info");
    item.textContent = text;
    box.appendChild(item);
    while (box.children.length > 3) box.removeChild(box.firstElementChild);
    setTimeout(function () { item.remove(); }, level === "error" || level === "warning" ? 12000 : 3000);
  }

  /* A column's count: its cards on the page plus those not loaded yet (its "show more" link says how many). */
  function recount() {
    board.querySelectorAll(".rm-column").forEach(function (column) {
      var count = column.querySelector("[data-count]");
      var more = column.querySelector(".rm-more[data-hidden]");
      var hidden = more ? parseInt(more.dataset.hidden, 10) || 0 : 0;
      if (count) count.textContent = column.querySelectorAll(".rm-card[data-id]").length + hidden;
    });
  }

  /* The columns' address with as many cards of each as are on the page now, so a redraw keeps what was loaded. */
  function columnsUrl() {
    var query = [];
    board.querySelectorAll(".rm-cards[data-horizon]").forEach(function (list) {
      query.push(encodeURIComponent(list.dataset.horizon) + "=" + list.querySelectorAll(".rm-card[data-id]").length);
    });
    return board.dataset.columnsUrl + "?" + query.join("&");
  }

  /* Redraw the columns as saved (after a refused move), then make them sortable again; the card that moved by
     keyboard keeps the focus. */
  function refresh(focusId) {
    return fetch(columnsUrl(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;  // the server's own template, escaped there
        var fresh = holder.querySelector("#rm-columns");
        var current = document.getElementById("rm-columns");
        if (fresh && current) current.replaceWith(fresh);
        makeSortable();
        var moved = focusId && board.querySelector('.rm-card[data-id="' + focusId + '"]');
        if (moved) moved.focus();
        board.removeAttribute("aria-busy");
      })
      .catch(function () { board.removeAttribute("aria-busy"); window.location.reload(); });
  }

  function nextCard(card) {
    var next = card.nextElementSibling;
    while (next && !next.matches(".rm-card[data-id]")) next = next.nextElementSibling;
    return next;
  }

  function onDrop(event) {
    var card = event.item;
    if (event.from === event.to) return;  // the order within a column is the rank: nothing to save
    var before = nextCard(card);
    var body = new FormData();
    body.append("horizon", event.to.dataset.horizon);
    body.append("before", before ? before.dataset.id : "");
    body.append("version", card.dataset.version);
    card.classList.add("is-saving");
    recount();
    fetch(board.dataset.moveUrl.replace(/\/0\/move\/$/, "/" + card.dataset.id + "/move/"), {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        card.classList.remove("is-saving");
        if (response.ok) {
          card.dataset.version = data.version;
          say(event.message || texts.moved, "success");
          return refresh(event.keyboard && card.dataset.id);  // the card takes its rank's place in its new column
        }
        var message = data.detail || (response.status === 403 ? texts.forbidden
          : response.status === 404 ? texts.gone : texts.failed);
        say(message, response.status === 412 ? "warning" : "error");
        return refresh(event.keyboard && card.dataset.id);
      });
    }).catch(function () {
      card.classList.remove("is-saving");
      say(texts.offline, "error");
      refresh();
    });
  }

  function makeSortable() {
    board.querySelectorAll(".rm-cards").forEach(function (list) {
      Sortable.create(list, {
        group: "roadmap",
        sort: false,  // no reordering within a column: it follows the ranks
        draggable: ".rm-card",
        animation: 120,
        emptyInsertThreshold: 24,
        ghostClass: "rm-ghost",
        chosenClass: "rm-chosen",
        onEnd: onDrop,
      });
    });
  }
  makeSortable();

  /* Keyboard: a focused card moves to the column on its left or right with the arrow keys, saved like a drop. */
  board.addEventListener("keydown", function (event) {
    var card = event.target;
    var step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (!step || !card.matches(".rm-card[data-id]") || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    if (board.getAttribute("aria-busy") === "true") return;  // one move at a time: the next needs this one's version
    var from = card.closest(".rm-cards");
    var lists = Array.prototype.slice.call(board.querySelectorAll(".rm-cards"));
    var to = lists[lists.indexOf(from) + step];
    if (!to) return;
    to.appendChild(card);
    card.focus();
    board.setAttribute("aria-busy", "true");
    var column = to.closest(".rm-column").querySelector("h2").firstChild.textContent.trim();
    var title = card.querySelector(".rm-cardtitle").textContent.trim();
    onDrop({ item: card, from: from, to: to, keyboard: true,
             message: (texts.moved_to || texts.moved).replace("{name}", title).replace("{column}", column) });
  });
})();
