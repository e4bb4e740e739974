/* Theme behaviour, no framework: the variant picker and the mobile menu.
   Strings come from the page's #i18n JSON; the markup hooks are documented in
   docs/architecture.md ("Theme ↔ JavaScript hooks"). */
(function () {
  "use strict";

  var config = {};
  try {
    config = JSON.parse(document.getElementById("i18n").textContent);
  } catch (e) {
    config = { strings: {} };
  }
  var strings = config.strings || {};

  /* Mobile menu: the category row scrolls without JavaScript; with it, a Menu
     button opens the full tree including subcategories. */
  function setUpMenu() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  /* Variant picker: the checked radio (name="sku") drives the price, the
     compare-at price, the discount badge, the SKU label and the stock hook. */
  function setUpVariantPicker(form) {
    var radios = form.querySelectorAll('input[type="radio"][name="sku"]');
    if (!radios.length) return;
    var box = document.querySelector("[data-price-box]") || document.createElement("p");
    var price = box.querySelector("[data-price]");
    var compare = box.querySelector("[data-compare-at]");
    var compareValue = box.querySelector("[data-compare-at-value]");
    var discount = box.querySelector("[data-discount]");
    var skuLabel = form.querySelector("[data-sku-label]");
    var stock = form.querySelector("[data-stock]");

    /* A variant whose photo is in the gallery (data-image, 1-based) brings it into view. */
    function showImage(position, smooth) {
      var track = document.querySelector(".gallery-track");
      var index = Number(position || "0") - 1;
      if (!track || index < 0) return;
      track.scrollTo({ left: track.clientWidth * index, behavior: smooth ? "smooth" : "auto" });
      var thumbs = document.querySelectorAll(".gallery-thumbs a");
      Array.prototype.forEach.call(thumbs, function (thumb, i) {
        if (i === index) thumb.setAttribute("aria-current", "true");
        else thumb.removeAttribute("aria-current");
      });
    }

    function show(radio, announce) {
      if (price) {
        price.textContent = radio.dataset.price;
        price.classList.toggle("price--sale", Boolean(radio.dataset.compareAt));
      }
      if (compare && compareValue) {
        compareValue.textContent = radio.dataset.compareAt || "";
        compare.hidden = !radio.dataset.compareAt;
      }
      if (discount) {
        discount.textContent = radio.dataset.discount || "";
        discount.hidden = !radio.dataset.discount;
      }
      if (skuLabel) skuLabel.textContent = radio.value;
      if (button) button.disabled = false;
      if (stock) {
        var initial = Number(radio.dataset.stockInitial || "0");
        stock.dataset.sku = radio.value;
        stock.textContent = initial > 0 ? strings.in_stock : strings.out_of_stock;
        stock.classList.toggle("stock--out", initial <= 0);
      }
      showImage(radio.dataset.image, announce);
      if (announce) {
        var url = new URL(window.location.href);
        url.searchParams.set("sku", radio.value);
        window.history.replaceState(null, "", url);
      }
      /* stock.js listens to this to fetch live stock for the chosen SKU. */
      form.dispatchEvent(new CustomEvent("variant:change", { bubbles: true, detail: { sku: radio.value } }));
    }

    /* With option groups (size, colour), the shopper picks each option and the
       matching variant's radio is checked; values with no stock left in
       combination with the other choices are marked. */
    var groups = form.querySelectorAll("[data-option-group]");
    var variants = Array.prototype.map.call(radios, function (radio) {
      return { radio: radio, options: JSON.parse(radio.dataset.options || "{}") };
    });
    var button = form.querySelector('button:not([type="button"])');

    function chosenOptions() {
      var chosen = {};
      Array.prototype.forEach.call(groups, function (group) {
        var input = group.querySelector("input:checked");
        if (input) chosen[group.dataset.optionGroup] = input.value;
      });
      return chosen;
    }

    function matches(options, chosen, except) {
      return Object.keys(chosen).every(function (name) {
        return name === except || options[name] === chosen[name];
      });
    }

    function markAvailability(chosen) {
      Array.prototype.forEach.call(groups, function (group) {
        var name = group.dataset.optionGroup;
        Array.prototype.forEach.call(group.querySelectorAll("input"), function (input) {
          var inStock = variants.some(function (v) {
            return v.options[name] === input.value && matches(v.options, chosen, name) &&
              Number(v.radio.dataset.stockInitial || "0") > 0;
          });
          var label = group.querySelector('label[for="' + input.id + '"]');
          if (label) label.classList.toggle("variant-label--out", !inStock);
        });
      });
    }

    function syncFromGroups() {
      var chosen = chosenOptions();
      var match = variants.filter(function (v) { return matches(v.options, chosen, null); })[0];
      markAvailability(chosen);
      if (button) button.disabled = !match;
      if (!match) {
        if (stock) stock.textContent = strings.unavailable || strings.out_of_stock;
        return;
      }
      match.radio.checked = true;
      show(match.radio, true);
    }

    function syncGroups(radio) {
      var options = JSON.parse(radio.dataset.options || "{}");
      Array.prototype.forEach.call(groups, function (group) {
        Array.prototype.forEach.call(group.querySelectorAll("input"), function (input) {
          input.checked = options[group.dataset.optionGroup] === input.value;
        });
      });
      markAvailability(chosenOptions());
    }

    Array.prototype.forEach.call(groups, function (group) {
      group.addEventListener("change", syncFromGroups);
    });

    var wanted = new URLSearchParams(window.location.search).get("sku");
    Array.prototype.forEach.call(radios, function (radio) {
      if (wanted && radio.value === wanted) radio.checked = true;
      radio.addEventListener("change", function () {
        if (radio.checked) show(radio, true);
      });
    });
    var checked = form.querySelector('input[name="sku"]:checked');
    if (checked) {
      if (groups.length) syncGroups(checked);
      show(checked, false);
    }
  }

  /* Gallery thumbnails scroll the main track instead of jumping the page. */
  function setUpGallery() {
    var track = document.querySelector(".gallery-track");
    if (!track) return;
    var links = document.querySelectorAll(".gallery-thumbs a");
    Array.prototype.forEach.call(links, function (link, index) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        track.scrollTo({ left: track.clientWidth * index, behavior: "smooth" });
        Array.prototype.forEach.call(links, function (other) { other.removeAttribute("aria-current"); });
        link.setAttribute("aria-current", "true");
      });
    });
  }

  setUpMenu();
  Array.prototype.forEach.call(document.querySelectorAll("form[data-add-to-cart]"), setUpVariantPicker);
  setUpGallery();
})();
