/* Live workshops, part 1 of 3: moving the server's HTML into place without losing anyone's work. Keyed list
   patches that keep open forms and focus, "dirty" and "busy" regions, region refreshes from the page itself, the
   "changed by … — reload / compare and merge" notice. Exposed as window.JPLive for live-pages.js and live.js. */
(function () {
  "use strict";

  var configNode = document.getElementById("live-config");
  if (!configNode || !window.WebSocket) return;
  var config = JSON.parse(configNode.textContent);
  var T = config.texts;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key] == null ? "" : values[key]; });
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function actorName(event) {
    return event.actor ? event.actor.name : T.someone;
  }

  function byMe(event) {
    return event.actor && event.actor.id === config.me;
  }

  function getHtml(url, partial) {
    var headers = { "Accept": "text/html" };
    if (partial) headers["HX-Request"] = "true";
    return fetch(url, { credentials: "same-origin", headers: headers }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    });
  }

  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;  // the server's own templates, escaped there
    return holder.content;
  }

  /* A form is dirty when a field differs from the value it was rendered with. */
  function isDirty(form) {
    return Array.prototype.some.call(form.elements, function (field) {
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") return false;
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") {
        var options = Array.prototype.slice.call(field.options);
        if (!options.some(function (o) { return o.defaultSelected; })) return !field.multiple && field.selectedIndex > 0;
        return options.some(function (o) { return o.selected !== o.defaultSelected; });
      }
      return field.value !== field.defaultValue;
    });
  }

  /* Someone is working in this region: an edit form is open there, or a form in it holds typed changes. */
  function busy(region) {
    if (region.matches(".is-editing") || region.querySelector(".is-editing, form.tp-form, form.evalform")) return true;
    var forms = region.matches("form") ? [region] : Array.prototype.slice.call(region.querySelectorAll("form"));
    return forms.some(isDirty);
  }

  function keepFocus(work) {
    var active = document.activeElement;
    var start = null;
    var end = null;
    try {
      start = active && active.selectionStart;
      end = active && active.selectionEnd;
    } catch (error) { /* a field without a text selection */ }
    work();
    if (active && active !== document.activeElement && document.body.contains(active)) {
      active.focus();
      try { active.setSelectionRange(start, end); } catch (error) { /* not a text field */ }
    }
  }

  var DECORATIONS = ".live-comments-btn, .live-dots, .live-editing";
  var DECORATION_CLASSES = ["is-votable", "has-my-dot", "is-live-edited"];

  /* The node as the server rendered it: without what decorate() added. */
  function sameAsServer(node, fresh) {
    var plain = node.cloneNode(true);
    plain.querySelectorAll(DECORATIONS).forEach(function (child) { child.remove(); });
    [plain].concat(Array.prototype.slice.call(plain.querySelectorAll("[class]"))).forEach(function (child) {
      DECORATION_CLASSES.forEach(function (name) { child.classList.remove(name); });
      if (child.getAttribute("class") === "") child.removeAttribute("class");
    });
    return plain.isEqualNode(fresh);
  }

  /* Make `current`'s children those of `fresh`, keyed by data-id: unchanged nodes stay, changed ones take the
     server's version, and an open form (someone editing that object) is never replaced or removed. */
  function patchList(current, fresh) {
    var forms = {};
    Array.prototype.forEach.call(current.children, function (child) {
      if (child.matches("form[data-id]")) forms[child.dataset.id] = child;
    });
    var placed = [];
    Array.prototype.slice.call(fresh.children).forEach(function (node) {
      var id = node.dataset ? node.dataset.id : null;
      if (id && forms[id]) {
        placed.push(forms[id]);
        delete forms[id];
        return;
      }
      var old = id ? current.querySelector(':scope > [data-id="' + CSS.escape(id) + '"]:not(form)') : null;
      // Keep the node when only our decorations differ, or when a request (opening its form) is under way.
      var keep = old && (sameAsServer(old, node) || old.matches(".htmx-request") || old.querySelector(".htmx-request"));
      placed.push(keep ? old : node);
    });
    Object.keys(forms).forEach(function (id) { placed.push(forms[id]); });
    keepFocus(function () {
      Array.prototype.slice.call(current.children).forEach(function (child) {
        if (placed.indexOf(child) === -1) child.remove();
      });
      var cursor = current.firstElementChild;
      placed.forEach(function (node) {
        if (node === cursor) {
          cursor = cursor.nextElementSibling;
          return;
        }
        current.insertBefore(node, cursor);
      });
    });
    if (window.htmx) htmx.process(current);
  }

  function swapIn(current, node) {
    var imported = document.importNode(node, true);
    current.replaceWith(imported);
    if (window.htmx) htmx.process(imported);
    // As after an htmx swap: the page's scripts set the new content up (drag and drop on the map's cells...).
    imported.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true, detail: { elt: imported } }));
    return imported;
  }

  /* A request from inside the region is under way (a form opening...): its answer targets the current nodes. */
  function inFlight(region) {
    return region.matches(".htmx-request") || !!region.querySelector(".htmx-request");
  }

  /* After a redraw: the page's own scripts recount, live.js puts its decorations (dots, markers) back. */
  function patched() {
    document.body.dispatchEvent(new CustomEvent("live:patched", { bubbles: true }));
  }

  /* Notices ------------------------------------------------------------------------------------------------ */

  function button(text, onClick, primary) {
    var node = el("button", "btn small" + (primary ? " primary" : ""), text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  /* "Changed by Ann meanwhile. [Reload] [Compare and merge]" at the top of a region someone is editing. */
  function changedNotice(region, event, actions) {
    var box = region.querySelector(":scope > .live-changed") || el("div", "live-changed");
    box.setAttribute("role", "alert");
    box.textContent = "";
    box.appendChild(el("span", "", fmt(event.verb === "deleted" ? T.deleted_by : T.changed_by,
      { name: actorName(event) })));
    if (actions.reload) box.appendChild(button(T.reload, function () { box.remove(); actions.reload(); }));
    if (actions.merge && event.verb !== "deleted") {
      box.appendChild(button(T.merge, function () { box.remove(); actions.merge(); }, true));
    }
    box.appendChild(button(actions.reload ? T.keep : T.close, function () { box.remove(); }));
    if (!box.parentNode) region.insertBefore(box, region.firstChild);
  }

  function submitForm(form) {
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  function pageNotice(text, withReload) {
    var holder = document.getElementById("live-notices");
    if (!holder) return;
    var box = el("div", "notice live-page-notice");
    box.setAttribute("role", "alert");
    box.appendChild(el("span", "", text + " "));
    if (withReload) box.appendChild(button(T.reload_page, function () { window.location.reload(); }, true));
    box.appendChild(button(T.close, function () { box.remove(); }));
    holder.appendChild(box);
    while (holder.children.length > 3) holder.removeChild(holder.firstElementChild);
  }

  function toast(text) {
    var holder = document.getElementById("live-notices");
    if (!holder) return;
    var box = el("p", "msg msg-info live-toast", text);
    box.setAttribute("role", "status");
    holder.appendChild(box);
    setTimeout(function () { box.remove(); }, 6000);
  }

  /* Re-fetch this page and move the regions named by `selectors` into place, unless someone works in them. */
  function refreshFromPage(selectors, event, options) {
    options = options || {};
    var waiting = selectors.some(function (selector) {
      var region = document.querySelector(selector);
      return region && inFlight(region);
    });
    if (dragging() || waiting) {
      if ((options.tries || 0) < 20) {
        setTimeout(function () {
          refreshFromPage(selectors, event, Object.assign({}, options, { tries: (options.tries || 0) + 1 }));
        }, 250);
      }
      return Promise.resolve();
    }
    return getHtml(window.location.pathname + window.location.search).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var structure = false;
      var later = [];
      selectors.forEach(function (selector) {
        var current = document.querySelector(selector);
        var fresh = doc.querySelector(selector);
        if (!current && !fresh) return;
        if (!current || !fresh) {
          structure = true;
          return;
        }
        if (sameAsServer(current, fresh)) return;
        if (inFlight(current)) {  // a request started meanwhile: its answer targets these nodes, try again after
          later.push(selector);
          return;
        }
        if (busy(current)) {
          var form = current.matches("form") ? current : current.querySelector("form[method=post]");
          var versioned = form && form.querySelector("[name=version]");
          if (event && !byMe(event)) {
            changedNotice(current, event, {
              reload: function () { swapIn(document.querySelector(selector), fresh); patched(); },
              merge: versioned ? function () { submitForm(form); } : null,
            });
          }
          return;
        }
        swapIn(current, fresh);
      });
      if (later.length && (options.tries || 0) < 20) {
        setTimeout(function () {
          refreshFromPage(later, event, Object.assign({}, options, { tries: (options.tries || 0) + 1 }));
        }, 250);
      }
      if (structure && event && !byMe(event)) pageNotice(fmt(T.page_changed, { name: actorName(event) }), true);
      else if (structure && options.reloadIfIdle && !document.querySelector("form.tp-form, .is-editing")) {
        window.location.reload();
      }
      patched();
    }).catch(function () { /* the next change or reconnect tries again */ });
  }

  /* Batches: events come in bursts (a move renumbers siblings); redraw each place once, a moment later. */
  function batcher(flush) {
    var pending = null;
    return function (key, value) {
      if (!pending) {
        pending = {};
        setTimeout(function () {
          var work = pending;
          pending = null;
          flush(work);
        }, 40);
      }
      pending[key] = value;
    };
  }

  function dragging() {
    return !!document.querySelector(".sortable-chosen, .sortable-ghost, .tp-chosen, .tp-saving, .is-saving, " +
      ".emo-point.is-dragging");
  }

  window.JPLive = {
    config: config, T: T, fmt: fmt, csrfToken: csrfToken, el: el, actorName: actorName, byMe: byMe,
    getHtml: getHtml, fragment: fragment, isDirty: isDirty, busy: busy, patchList: patchList, swapIn: swapIn,
    inFlight: inFlight, patched: patched, button: button, changedNotice: changedNotice, submitForm: submitForm,
    pageNotice: pageNotice, toast: toast, refreshFromPage: refreshFromPage, batcher: batcher, dragging: dragging,
    adapters: {},
  };
})();
