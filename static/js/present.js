// Presentation mode (templates/sharing/present.html). Without this script every slide is a section of one long page
// (and prints one per sheet); with it, one slide shows at a time. Keys: → ↓ Page Down, space, Enter: next;
// ← ↑ Page Up, Shift+space, Backspace: previous; Home / End: first / last; Esc: leave (in full screen, the browser's
// own Esc leaves full screen first). Clickers send Page Up / Page Down or the arrows. The slide number is kept in
// the address (#slide-3), so a reload or a shared address opens the same slide.
(function () {
  "use strict";
  var deck = document.querySelector("[data-deck]");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll("[data-slide]"));
  if (!slides.length) return;
  var counter = deck.querySelector("[data-deck-counter]");
  var fullscreenButton = deck.querySelector("[data-deck-fullscreen]");
  var lang = document.documentElement.lang || "en";
  var template = lang.indexOf("fr") === 0 ? "Diapositive {n} sur {total}" : "Slide {n} of {total}";
  var current = 0;

  document.body.classList.add("is-presenting");
  deck.querySelector("[data-deck-controls]").hidden = false;
  deck.querySelector("[data-deck-help]").hidden = false;

  function fromHash() {
    var match = /^#slide-(\d+)$/.exec(window.location.hash);
    var n = match ? parseInt(match[1], 10) - 1 : 0;
    return Math.min(Math.max(n, 0), slides.length - 1);
  }

  function show(index, focus) {
    current = Math.min(Math.max(index, 0), slides.length - 1);
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    counter.textContent = template.replace("{n}", current + 1).replace("{total}", slides.length);
    deck.setAttribute("data-current", String(current + 1));
    if (window.location.hash !== "#slide-" + (current + 1)) {
      history.replaceState(null, "", "#slide-" + (current + 1));
    }
    window.scrollTo(0, 0);
    if (focus) slides[current].focus({ preventScroll: true });
  }

  slides.forEach(function (slide) { slide.tabIndex = -1; });

  function leave() { window.location.href = deck.getAttribute("data-leave"); }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var onControl = target && (target.tagName === "BUTTON" || target.tagName === "A");
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown":
        show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
        show(current - 1); break;
      case " ": case "Spacebar":
        if (onControl) return;  // space presses a focused button
        show(event.shiftKey ? current - 1 : current + 1); break;
      case "Enter":
        if (onControl) return;
        show(current + 1); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "Escape":
        if (document.fullscreenElement) return;  // the browser leaves full screen
        leave(); break;
      default: return;
    }
    event.preventDefault();
  });

  deck.querySelector("[data-deck-prev]").addEventListener("click", function () { show(current - 1); });
  deck.querySelector("[data-deck-next]").addEventListener("click", function () { show(current + 1); });
  window.addEventListener("hashchange", function () { show(fromHash()); });

  if (fullscreenButton && document.fullscreenEnabled) {
    fullscreenButton.hidden = false;
    fullscreenButton.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
    });
    document.addEventListener("fullscreenchange", function () {
      var on = Boolean(document.fullscreenElement);
      fullscreenButton.textContent = fullscreenButton.getAttribute(on ? "data-label-exit" : "data-label-enter");
      fullscreenButton.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  // Printing shows every slide again (one per sheet), then comes back to the one on screen.
  window.addEventListener("beforeprint", function () { slides.forEach(function (slide) { slide.hidden = false; }); });
  window.addEventListener("afterprint", function () { show(current); });

  show(fromHash());
})();
