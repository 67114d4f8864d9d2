/* On phones the header's menu (sections, organisation, language) folds behind one button that says if it is open.
   Without this script the menu simply stays open. */
(function () {
  "use strict";

  var header = document.querySelector(".topbar");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) return;
  header.classList.add("has-menu");
  toggle.hidden = false;

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("is-open", open);
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("is-open")) {
      setOpen(false);
      toggle.focus();
    }
  });
})();
