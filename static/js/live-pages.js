/* Live workshops, part 2 of 3: what each live page redraws after someone's change, where its cards and edit
   forms are, and what can be voted on. Each adapter returns null when its page is not the one shown. */
(function () {
  "use strict";

  var L = window.JPLive;
  if (!L) return;
  var config = L.config;
  var T = L.T;
  var adapters = L.adapters;
  var fmt = L.fmt, actorName = L.actorName, byMe = L.byMe, getHtml = L.getHtml, fragment = L.fragment;
  var busy = L.busy, patchList = L.patchList, swapIn = L.swapIn, inFlight = L.inFlight, patched = L.patched;
  var changedNotice = L.changedNotice, submitForm = L.submitForm, pageNotice = L.pageNotice;
  var refreshFromPage = L.refreshFromPage, batcher = L.batcher, dragging = L.dragging;


  adapters["journey-map"] = function () {
    var root = document.getElementById("journey-map");
    if (!root) return null;
    var journeyId = config.object;

    function cellUrl(list) {
      return root.dataset.cellUrl + "?stage=" + encodeURIComponent(list.dataset.stage) + "&channel=" +
        encodeURIComponent(list.dataset.channel);
    }

    function refreshCell(listId) {
      var list = document.getElementById(listId);
      if (!list) return;
      if (dragging()) {
        setTimeout(function () { queueCell(listId, true); }, 300);
        return;
      }
      getHtml(cellUrl(list)).then(function (html) {
        var fresh = fragment(html).querySelector(".tp-list");
        var current = document.getElementById(listId);
        if (fresh && current) patchList(current, fresh);
        patched();
      }).catch(function () { /* gone (stage deleted): the grid refresh handles it */ });
    }

    var queueCell = batcher(function (cells) { Object.keys(cells).forEach(refreshCell); });
    var queueGrid = batcher(function (work) {
      var grid = document.getElementById("journey-grid");
      if (grid && busy(grid) && !inFlight(grid)) {
        if (work.grid && !byMe(work.grid)) pageNotice(fmt(T.page_changed, { name: actorName(work.grid) }), true);
        return;
      }
      refreshFromPage(["#journey-grid"]);
    });

    function editUrl(id) { return root.dataset.editUrl.replace(/\/0\/([a-z]+)\/$/, "/" + id + "/$1/"); }

    function cardUrl(id) { return root.dataset.editUrl.replace(/\/0\/edit\/$/, "/" + id + "/"); }

    function noticeOnForm(form, event) {
      var id = form.dataset.id;
      changedNotice(form, event, {
        reload: function () {
          htmx.ajax("GET", event.verb === "deleted" ? cardUrl(id) : editUrl(id),
            { source: form, target: form, swap: "outerHTML" }).catch(function () { form.remove(); });
        },
        merge: function () { submitForm(form); },
      });
    }

    return {
      kind: "touchpoint",
      editingKey: function () {
        var form = root.querySelector("form.tp-form[data-id]");
        return form ? "touchpoint:" + form.dataset.id : null;
      },
      elementFor: function (key) {
        var match = /^touchpoint:(\d+)$/.exec(key || "");
        return match ? document.getElementById("tp-" + match[1]) || document.getElementById("tp-form-" + match[1]) : null;
      },
      cards: function () { return root.querySelectorAll(".tp[data-id]"); },
      votingHere: function (session) {
        return session.kind === "touchpoint" && (session.journey == null || session.journey === journeyId);
      },
      onChanges: function (events) {
        events.forEach(function (event) {
          var refs = event.refs || {};
          if (event.target_type === "planning.touchpoint") {
            if (refs.journey != null && refs.journey !== journeyId) return;
            root.querySelectorAll('.tp-list > [data-id="' + event.target_id + '"]').forEach(function (node) {
              queueCell(node.parentNode.id, true);
            });
            var target = refs.stage != null && document.getElementById("list-" + refs.stage + "-" + refs.channel);
            if (target) queueCell(target.id, true);
            var form = document.getElementById("tp-form-" + event.target_id);
            if (form && !byMe(event)) noticeOnForm(form, event);
          } else if (event.target_type === "planning.stage") {
            if (refs.journey === journeyId || root.querySelector('th.stage[data-stage="' + event.target_id + '"]')) {
              queueGrid("grid", event);
            }
          } else if (event.target_type.indexOf("experience.") === 0) {
            // Experience lanes, cards, emotions, pain points and opportunities: redraw the grid with its lanes.
            if (refs.journey == null || refs.journey === journeyId) queueGrid("grid", event);
          } else if (event.target_type === "roadmaps.roadmapitem" && root.querySelector(".xopp")) {
            queueGrid("grid", event);
          } else if (event.target_type === "planning.journey" && event.target_id === journeyId) {
            if (event.verb === "deleted") pageNotice(fmt(T.deleted_by, { name: actorName(event) }), false);
            else refreshFromPage([".jmap-page .pagehead"], event);
          } else if (event.target_type === "planning.persona") {
            refreshFromPage([".persona-card"], event);
          }
        });
      },
    };
  };

  adapters.evaluations = function () {
    var root = document.querySelector(".evalpage");
    if (!root) return null;
    var touchpointId = config.object;
    var base = window.location.pathname.replace(/\/?$/, "/");
    var queue = batcher(function (work) {
      Object.keys(work).forEach(function (key) {
        if (key === "side") refreshFromPage(["#agreement"], work.side);
        else if (key === "head") refreshFromPage([".evalpage .pagehead", ".tpstory"], work.head);
        else refreshTeam(key.slice(5), work[key]);
      });
    });

    function refreshTeam(teamId, event) {
      var card = document.getElementById("team-" + teamId);
      if (!card) return;
      if (busy(card)) {
        if (!byMe(event)) {
          changedNotice(card.querySelector("form.evalform") || card, event, {
            reload: function () {
              htmx.ajax("GET", base + teamId + "/edit/", { source: card, target: card, swap: "outerHTML" });
            },
            merge: function () { submitForm(card.querySelector("form.evalform")); },
          });
        }
        return;
      }
      getHtml(base + teamId + "/").then(function (html) {
        var fresh = fragment(html).querySelector(".evalcard");
        var current = document.getElementById("team-" + teamId);
        if (fresh && current && !busy(current) && !current.isEqualNode(fresh)) swapIn(current, fresh);
        patched();
      }).catch(function () {});
    }

    return {
      kind: null,
      editingKey: function () {
        var card = root.querySelector(".evalcard.is-editing");
        return card ? "team:" + card.id.replace("team-", "") : null;
      },
      elementFor: function (key) {
        var match = /^team:(\d+)$/.exec(key || "");
        return match ? document.getElementById("team-" + match[1]) : null;
      },
      cards: function () { return []; },
      onChanges: function (events) {
        events.forEach(function (event) {
          var refs = event.refs || {};
          var type = event.target_type;
          if (type === "assessments.touchpointevaluation" || type === "assessments.datacaptureitem") {
            if (refs.touchpoint != null && refs.touchpoint !== touchpointId) return;
            if (refs.team != null) queue("team-" + refs.team, event);
            else root.querySelectorAll(".evalcard[id^=team-]").forEach(function (card) { queue(card.id, event); });
            queue("side", event);
          } else if (type === "assessments.touchpointagreement" && refs.touchpoint === touchpointId) {
            queue("side", event);
          } else if (type === "planning.touchpoint" && event.target_id === touchpointId) {
            if (event.verb === "deleted") pageNotice(fmt(T.deleted_by, { name: actorName(event) }), false);
            else queue("head", event);
          }
        });
      },
    };
  };

  adapters.maturity = function () {
    var assessmentId = config.object;
    var regions = ["#grid", ".maturity-history", ".maturity-votes", "#position", "#vote", ".maturity-earlier",
      ".pagehead"];
    var queue = batcher(function (work) { refreshFromPage(regions, work.event); });
    return {
      kind: null,
      editingKey: function () { return null; },
      elementFor: function () { return null; },
      cards: function () { return []; },
      onChanges: function (events) {
        events.forEach(function (event) {
          var refs = event.refs || {};
          if (event.target_type === "assessments.maturityvote" &&
              (assessmentId == null || refs.assessment == null || refs.assessment === assessmentId)) {
            queue("event", event);
          } else if (event.target_type === "assessments.maturityassessment" &&
                     (assessmentId == null || event.target_id === assessmentId)) {
            if (event.verb === "deleted" && assessmentId != null) {
              pageNotice(fmt(T.deleted_by, { name: actorName(event) }), false);
            } else {
              queue("event", event);
            }
          }
        });
      },
    };
  };

  adapters["roadmap-board"] = function () {
    var board = document.getElementById("rm-board");
    if (!board) return null;

    function refreshBoard(event) {
      if (dragging()) {
        setTimeout(function () { queue("event", event); }, 300);
        return;
      }
      getHtml(board.dataset.columnsUrl).then(function (html) {
        var fresh = fragment(html);
        fresh.querySelectorAll("ol.rm-cards[data-horizon]").forEach(function (list) {
          var current = board.querySelector('ol.rm-cards[data-horizon="' + list.dataset.horizon + '"]');
          if (current) patchList(current, list);
        });
        var total = 0;
        board.querySelectorAll(".rm-column").forEach(function (column) {
          var cards = column.querySelectorAll(".rm-card[data-id]").length;
          total += cards;
          var count = column.querySelector("[data-count]");
          if (count) count.textContent = cards;
        });
        var head = document.querySelector(".rm-head h1 .count");
        if (head) head.textContent = total;
        patched();
      }).catch(function () {});
    }

    var queue = batcher(function (work) { refreshBoard(work.event); });
    return {
      kind: "roadmap_item",
      editingKey: function () { return null; },
      elementFor: function () { return null; },
      cards: function () { return board.querySelectorAll(".rm-card[data-id]"); },
      votingHere: function (session) { return session.kind === "roadmap_item"; },
      onChanges: function (events) {
        events.forEach(function (event) {
          if (event.target_type.indexOf("roadmaps.") === 0) queue("event", event);
        });
      },
    };
  };

  adapters.personas = function () {
    var queue = batcher(function (work) { refreshFromPage(["ul.cards.personas", ".pagehead"], work.event); });
    return {
      kind: null,
      editingKey: function () { return null; },
      elementFor: function () { return null; },
      cards: function () { return []; },
      onChanges: function (events) {
        events.forEach(function (event) { if (event.target_type === "planning.persona") queue("event", event); });
      },
    };
  };

  adapters.workshop = function () {
    var queue = batcher(function () { refreshFromPage(["#workshop-status", ".workshop-start"], null); });
    return {
      kind: null,
      editingKey: function () { return null; },
      elementFor: function () { return null; },
      cards: function () { return []; },
      onWorkshop: function () { queue("state", true); },
      onChanges: function (events) {
        events.forEach(function (event) {
          if (event.target_type === "workshops.votingsession") queue("state", true);
        });
      },
    };
  };
})();
