/* A search field with a list of suggestions (WAI-ARIA combobox with a listbox): htmx fills the
   listbox as one types; the arrow keys move through the options, Enter or a click chooses one,
   Escape closes the list. Choosing puts the option's data-value in the hidden input named by the
   field's data-inbeeld-combobox, and says what was chosen in the element named by
   data-inbeeld-chosen. Typing again forgets the choice. No inline script (strict CSP). */
(function () {
  "use strict";

  function parts(input) {
    return {
      list: document.getElementById(input.getAttribute("aria-controls")),
      target: document.getElementById(input.dataset.inbeeldCombobox),
      chosen: document.getElementById(input.dataset.inbeeldChosen || ""),
    };
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }

  function inputOf(list) {
    return document.querySelector('[data-inbeeld-combobox][aria-controls="' + list.id + '"]');
  }

  function setOpen(input, open) {
    var list = parts(input).list;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
    if (!open) {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function activate(input, option) {
    options(parts(input).list).forEach(function (each) {
      each.setAttribute("aria-selected", each === option ? "true" : "false");
      each.classList.toggle("inbeeld-combobox__option--active", each === option);
    });
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function choose(input, option) {
    var p = parts(input);
    var label = option.textContent.trim();
    p.target.value = option.dataset.value;
    input.value = label;
    if (p.chosen) {
      p.chosen.textContent = "";
      p.chosen.append((input.dataset.inbeeldChosenPrefix || "") + " ");
      var strong = document.createElement("strong");
      strong.textContent = label;
      p.chosen.append(strong);
    }
    setOpen(input, false);
    p.list.textContent = "";
    p.target.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target.closest && event.target.closest("[data-inbeeld-combobox]");
    if (!input) {
      return;
    }
    var all = options(parts(input).list);
    var current = document.getElementById(input.getAttribute("aria-activedescendant") || "");
    var index = all.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!all.length) {
        return;
      }
      setOpen(input, true);
      if (event.key === "ArrowDown") {
        index = (index + 1) % all.length;
      } else {
        index = index <= 0 ? all.length - 1 : index - 1;
      }
      activate(input, all[index]);
    } else if (event.key === "Enter") {
      event.preventDefault(); // never submits a form: the list already follows what is typed
      if (current && input.getAttribute("aria-expanded") === "true") {
        choose(input, current);
      } else if (all.length === 1) {
        choose(input, all[0]);
      }
    } else if (event.key === "Escape") {
      setOpen(input, false);
    }
  });

  document.addEventListener("input", function (event) {
    var input = event.target.closest && event.target.closest("[data-inbeeld-combobox]");
    if (!input) {
      return;
    }
    var p = parts(input);
    if (p.target.value) {
      p.target.value = "";
      if (p.chosen) {
        p.chosen.textContent = input.dataset.inbeeldNone || "";
      }
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest('[role="option"]');
    var list = option && option.closest('[role="listbox"]');
    var input = list && inputOf(list);
    if (input) {
      choose(input, option);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    var input = list && list.getAttribute("role") === "listbox" && inputOf(list);
    if (input) {
      setOpen(input, options(list).length > 0);
    }
  });
})();
