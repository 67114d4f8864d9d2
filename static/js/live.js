/* Live workshops, part 3 of 3: one websocket per page of a plan (ws/plans/<id>/). Shows who is here and what
   they edit, hands others' changes to the page's adapter (live-pages.js), which redraws only what changed and never
   replaces a form someone is typing in; counts the facilitator's timer down, handles dot voting and the comments
   drawer. Reconnects with exponential backoff and asks for the changes it missed (from the last activity id it
   saw). The server renders everything; these scripts only move server HTML into place. */
(function () {
  "use strict";

  var L = window.JPLive;
  if (!L) return;
  var config = L.config;
  var T = L.T;
  var adapters = L.adapters;
  var fmt = L.fmt, el = L.el, csrfToken = L.csrfToken, actorName = L.actorName, byMe = L.byMe;
  var getHtml = L.getHtml, fragment = L.fragment, isDirty = L.isDirty, swapIn = L.swapIn;
  var pageNotice = L.pageNotice, toast = L.toast;
  var bar = document.getElementById("live-bar");

  var page = (adapters[config.page] || function () { return null; })() || {
    kind: null, editingKey: function () { return null; }, elementFor: function () { return null; },
    cards: function () { return []; }, onChanges: function () {},
  };

  /* Presence ---------------------------------------------------------------------------------------------- */

  var editors = {};  // object key -> names of the others editing it on this page

  function renderPresence(people) {
    var list = bar.querySelector("[data-live-people]");
    var byUser = {};
    var order = [];
    editors = {};
    people.forEach(function (entry) {
      if (!byUser[entry.user]) {
        byUser[entry.user] = { name: entry.name, initials: entry.initials, me: entry.me, pages: [] };
        order.push(entry.user);
      }
      var person = byUser[entry.user];
      person.me = person.me || entry.me;
      var pageName = config.pages[entry.page] || entry.page;
      if (person.pages.indexOf(pageName) === -1) person.pages.push(pageName);
      var samePage = entry.page === config.page && String(entry.object) === String(config.object);
      if (!entry.me && entry.editing && samePage) {
        (editors[entry.editing] = editors[entry.editing] || []).push(entry.name);
      }
    });
    list.textContent = "";
    order.forEach(function (userId) {
      var person = byUser[userId];
      var item = el("li", "live-person" + (person.me ? " is-me" : ""));
      item.title = person.name + (person.me ? " (" + T.you + ")" : "") + " — " + person.pages.join(", ");
      item.appendChild(el("span", "avatar small", person.initials));
      var label = el("span", "live-person-text");
      label.appendChild(el("span", "live-person-name", person.me ? T.you : person.name));
      label.appendChild(el("span", "live-person-page", person.pages.join(", ")));
      item.appendChild(label);
      list.appendChild(item);
    });
    decorate();
  }

  /* Cards: who edits them, comment buttons and counts, dots --------------------------------------------- */

  var workshop = config.workshop || {};
  var myVotes = (workshop.mine && workshop.mine.votes) || [];
  var commentCounts = config.comment_counts || {};

  function votingState() {
    var session = workshop.session;
    if (!session || !page.votingHere || !page.votingHere(session)) return null;
    return session;
  }

  function bubbleIcon() {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "live-icon");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 " +
      "1.5 0 0 1 2 9.5z");
    svg.appendChild(path);
    return svg;
  }

  function decorate() {
    document.querySelectorAll(".live-editing").forEach(function (node) { node.remove(); });
    document.querySelectorAll(".is-live-edited").forEach(function (node) { node.classList.remove("is-live-edited"); });
    Object.keys(editors).forEach(function (key) {
      var target = page.elementFor(key);
      if (!target) return;
      target.classList.add("is-live-edited");
      target.appendChild(el("span", "live-editing", fmt(T.editing, { name: editors[key].join(", ") })));
    });
    var session = votingState();
    page.cards().forEach(function (card) {
      var id = card.dataset.id;
      if (page.kind && !card.querySelector(".live-comments-btn")) {
        var comments = el("button", "live-comments-btn");
        comments.type = "button";
        comments.dataset.comments = page.kind + ":" + id;
        comments.title = T.comments;
        comments.appendChild(bubbleIcon());
        comments.appendChild(el("span", "sr-only", T.comments));
        comments.appendChild(el("span", "live-comments-count"));
        card.appendChild(comments);
      }
      var counter = card.querySelector(".live-comments-count");
      if (counter) counter.textContent = commentCounts[id] ? String(commentCounts[id]) : "";
      var dots = card.querySelector(":scope > .live-dots");
      var text = "";
      var label = "";
      card.classList.toggle("is-votable", !!(session && session.status === "open"));
      if (session && session.status === "revealed") {
        var count = (session.totals || {})[id] || 0;
        text = count ? "●".repeat(Math.min(count, 12)) + (count > 12 ? "+" : "") : "";
        label = count ? fmt(T.dots, { count: count }) : "";
      } else if (session && session.status === "open" && myVotes.indexOf(Number(id)) !== -1) {
        text = "●";
        label = T.my_dot;
      }
      card.classList.toggle("has-my-dot", !!(session && session.status === "open" && text));
      if (!text) {
        if (dots) dots.remove();
        return;
      }
      if (!dots) {
        dots = el("span", "live-dots");
        card.appendChild(dots);
      }
      dots.textContent = text;
      dots.title = label;
    });
    renderVoting();
  }

  function renderVoting() {
    var box = document.querySelector("[data-live-voting]");
    if (!box) return;
    var session = votingState();
    if (!session) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.textContent = "";
    var text = session.status === "open"
      ? fmt(T.voting_open, { left: Math.max(0, session.votes_per_participant - myVotes.length),
        total: session.votes_per_participant })
      : T.voting_revealed;
    if (session.question) box.appendChild(el("strong", "", session.question + " "));
    box.appendChild(el("span", "", text));
  }

  function vote(card) {
    var session = votingState();
    if (!session || session.status !== "open") return false;
    var id = Number(card.dataset.id);
    var body = new FormData();
    body.append("target", id);
    body.append("action", myVotes.indexOf(id) === -1 ? "cast" : "withdraw");
    fetch(config.urls.vote, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (data.mine) myVotes = data.mine.votes;
        if (data.session !== undefined) workshop = { session: data.session, timer: data.timer };
        if (!response.ok) toast(data.detail || T.vote_failed);
        decorate();
        renderTimer();
      });
    }).catch(function () { toast(T.vote_failed); });
    return true;
  }

  /* Timer ------------------------------------------------------------------------------------------------- */

  var timerEnd = null;
  var timerTick = null;

  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var minutes = Math.floor(seconds / 60);
    return (minutes < 10 ? "0" : "") + minutes + ":" + (seconds % 60 < 10 ? "0" : "") + (seconds % 60);
  }

  function renderTimer() {
    var timer = workshop.timer;
    var link = bar.querySelector("[data-live-timer]");
    var big = document.querySelector("[data-workshop-timer]");
    clearInterval(timerTick);
    if (!timer) {
      link.hidden = true;
      return;
    }
    var active = timer.running || timer.remaining < timer.duration;
    var upFor = timer.up_for || 60;
    link.hidden = !active;
    /* An ended timer: the end was `overdue` seconds ago (the server says so; a page opened later must not show
       "Time is up" for a full minute again). The bar clears itself `upFor` seconds after the end; the workshop
       page's big clock keeps "Time is up" until the facilitator resets or restarts (workshops/selectors.py). */
    timerEnd = timer.running ? Date.now() + (timer.remaining - (timer.overdue || 0)) * 1000 : null;
    function paint() {
      var left = timerEnd ? (timerEnd - Date.now()) / 1000 : timer.remaining;
      var up = timer.running && left <= 0;
      var text = up ? T.time_up : clock(left) + (timer.running ? "" : " (" + T.timer_paused + ")");
      link.querySelector("[data-live-timer-text]").textContent = text;
      link.classList.toggle("is-up", up);
      link.hidden = !active || (up && -left >= upFor);
      if (big) big.textContent = up ? T.time_up : clock(left);
      if (up && -left >= upFor) clearInterval(timerTick);
    }
    paint();
    if (timer.running && !link.hidden) timerTick = setInterval(paint, 250);
  }

  function setWorkshop(state) {
    var before = workshop.session ? workshop.session.id : null;
    workshop = { session: state.session, timer: state.timer };
    if (state.mine) myVotes = state.mine.votes;
    var after = state.session ? state.session.id : null;
    if (after !== before) {
      myVotes = [];
      if (after) {
        fetch(config.urls.state, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) { myVotes = data.mine.votes; decorate(); })
          .catch(function () {});
      }
    }
    decorate();
    renderTimer();
    if (page.onWorkshop) page.onWorkshop(state);
  }

  /* Comments drawer --------------------------------------------------------------------------------------- */

  var drawer = document.getElementById("live-drawer");

  function openDrawer(key) {
    drawer.hidden = false;
    drawer.dataset.on = key;
    document.body.classList.add("has-live-drawer");
    htmx.ajax("GET", config.urls.comments + "?on=" + encodeURIComponent(key),
      { target: "#live-drawer-body", swap: "innerHTML" }).then(function () {
      var heading = drawer.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    });
  }

  function closeDrawer() {
    drawer.hidden = true;
    delete drawer.dataset.on;
    document.body.classList.remove("has-live-drawer");
  }

  function refreshDrawer() {
    var panel = document.getElementById("comments-panel");
    if (!panel || drawer.hidden) return;
    getHtml(config.urls.comments + "?on=" + encodeURIComponent(drawer.dataset.on), true).then(function (html) {
      var fresh = fragment(html);
      var form = document.getElementById("comments-form");
      if (form && isDirty(form)) {
        var list = fresh.querySelector("#comments-list");
        if (list) swapIn(document.getElementById("comments-list"), list);
      } else {
        var next = fresh.querySelector("#comments-panel");
        var current = document.getElementById("comments-panel");
        if (next && current) swapIn(current, next);
      }
    }).catch(function () {});
  }

  function onComment(event) {
    var refs = event.refs || {};
    var key = refs.kind + ":" + refs.object;
    if (!drawer.hidden && drawer.dataset.on === key) refreshDrawer();
    if (event.id <= (config.counted || 0)) return;  // replayed from before the page was drawn: already counted
    if (refs.kind === page.kind) {
      var id = String(refs.object);
      var delta = event.verb === "created" ? (refs.resolved ? 0 : 1) : event.verb === "updated" ? (refs.resolved ? -1 : 1) : 0;
      commentCounts[id] = Math.max(0, (commentCounts[id] || 0) + delta);
      decorate();  // the card's count, for everyone on the page
    }
    if (event.verb === "created" && !byMe(event) && (refs.mentions || []).indexOf(config.me) !== -1) {
      var bell = document.querySelector("[data-bell-count]");
      if (bell) {
        var unread = (parseInt(bell.textContent, 10) || 0) + 1;
        bell.textContent = String(unread);
        bell.hidden = false;
        bell.closest(".bell").classList.add("has-unread");
        var spoken = bell.closest(".bell").querySelector(".sr-only");  // what a screen reader says matches the badge
        if (spoken) spoken.textContent = fmt(unread === 1 ? T.unread_one : T.unread_many, { n: unread });
      }
      toast(fmt(T.new_mention, { name: actorName(event) }));
    }
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-comments]");
    if (opener) {
      event.preventDefault();
      event.stopPropagation();
      openDrawer(opener.dataset.comments);
      return;
    }
    if (event.target.closest("[data-live-drawer-close]")) {
      closeDrawer();
      return;
    }
    if (!page.kind || event.target.closest("button, a, form, input, select, textarea, summary")) return;
    var card = event.target.closest(page.kind === "touchpoint" ? ".tp[data-id]" : ".rm-card[data-id]");
    if (card && vote(card)) event.preventDefault();
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !drawer.hidden) closeDrawer();
  });

  /* Changes ----------------------------------------------------------------------------------------------- */

  var lastSeen = config.last || 0;
  var seen = {};
  var seenOrder = [];

  function fresh(events) {
    return events.filter(function (event) {
      if (seen[event.id]) return false;
      seen[event.id] = true;
      seenOrder.push(event.id);
      if (seenOrder.length > 5000) delete seen[seenOrder.shift()];
      if (event.id > lastSeen) lastSeen = event.id;
      return true;
    });
  }

  function onChanges(events) {
    events = fresh(events);
    if (!events.length) return;
    events.forEach(function (event) {
      if (event.target_type === "workshops.comment") onComment(event);  // its app since the floors (activity label)
    });
    page.onChanges(events);
    document.body.dispatchEvent(new CustomEvent("live:changes", { detail: { events: events } }));
  }

  /* Connection -------------------------------------------------------------------------------------------- */

  var MAX_BACKOFF = 15000;  // ms between attempts at most, so updates resume soon after the server is back
  var socket = null;
  var attempts = 0;
  var pinger = null;
  var editingSent;
  var stopped = false;

  var paused = document.querySelector("[data-live-paused]");

  function setStatus(state, text) {
    bar.dataset.state = state;
    bar.querySelector("[data-live-status]").textContent = text || T[state];
    // The page keeps working without its socket; say so politely (role=status) while it reconnects, and take the
    // notice away once the socket is back. A refused socket will not come back: the bar says why instead.
    if (paused) paused.textContent = (state === "reconnecting" || state === "offline") && !stopped ? T.paused : "";
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function reportEditing() {
    var key = page.editingKey();
    if (key === editingSent) return;
    editingSent = key;
    send({ type: "editing", object: key });
  }

  function connect() {
    if (stopped) return;
    var opened = false;
    setStatus(attempts ? "reconnecting" : "connecting");
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + config.ws);
    socket.onopen = function () {
      opened = true;
      attempts = 0;
      setStatus("live");
      send({ type: "hello", page: config.page, object: config.object == null ? null : String(config.object),
        last: lastSeen, drawn: config.counted || 0 });
      editingSent = null;
      reportEditing();
      clearInterval(pinger);
      pinger = setInterval(function () { send({ type: "ping" }); }, 25000);
    };
    socket.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (error) { return; }
      if (data.type === "presence") renderPresence(data.people);
      else if (data.type === "changes") onChanges(data.events);
      else if (data.type === "workshop") setWorkshop(data.state);
      else if (data.type === "reload") {
        if (document.querySelector("form.tp-form, .is-editing")) pageNotice(T.too_many, true);
        else window.location.reload();
      }
    };
    socket.onclose = function (event) {
      clearInterval(pinger);
      socket = null;
      if (event.code === 4403) {
        stopped = true;
        setStatus("offline", T.refused);
        return;
      }
      setStatus(opened ? "reconnecting" : "offline");
      attempts += 1;
      var delay = Math.min(MAX_BACKOFF, 500 * Math.pow(2, attempts - 1));
      setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
    };
  }

  window.addEventListener("online", function () {
    if (!socket && !stopped) {
      attempts = 0;
      connect();
    }
  });
  document.body.addEventListener("live:patched", decorate);
  document.body.addEventListener("htmx:afterSettle", function () {
    reportEditing();
    decorate();
  });
  document.body.addEventListener("focusin", reportEditing);

  decorate();
  renderTimer();
  connect();

  var opened = new URLSearchParams(window.location.search).get("comments");
  if (opened && /^[a-z_]+:\d+$/.test(opened)) openDrawer(opened);
})();
