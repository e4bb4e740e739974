/* Theme behaviour on every page, no framework: the shared helpers, the header
   cart counter, add to cart, the variant picker, the gallery and the mobile menu.
   Strings come from the page's #i18n JSON and money is formatted with
   Intl.NumberFormat in the page's language; the markup hooks are documented in
   docs/architecture.md ("Theme ↔ JavaScript hooks"). The cart lives behind
   /api/cart (functions/openapi.yaml); its id is in an HttpOnly cookie this
   script never sees. Product pages also get live stock from GET /api/stock. The
   helpers are shared as window.storefront with the scripts of single page kinds
   (cart.js), which load after this one. */
(function () {
  "use strict";

  var config = {};
  try {
    config = JSON.parse(document.getElementById("i18n").textContent) || {};
  } catch (e) {
    config = {};
  }
  var strings = config.strings || {};
  var lang = document.documentElement.lang; /* base.html always sets it */
  var paths = config.paths || {};
  var shop = { config: config, paths: paths, locale: config.locale || "" };

  /* A UI string; plural maps ({one, other}) pick the form for params.count. */
  function t(key, params) {
    var entry = strings[key];
    if (entry && typeof entry === "object") {
      var category = "other";
      try {
        category = new Intl.PluralRules(lang).select(Number(params && params.count));
      } catch (e) { /* old browser: "other" */ }
      entry = entry[category] || entry.other;
    }
    return String(entry == null ? key : entry).replace(/\{(\w+)\}/g, function (whole, name) {
      return params && name in params ? String(params[name]) : whole;
    });
  }

  /* forEach over a NodeList (and what else has a length). */
  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function withLocale(url) {
    return shop.locale ? url + (url.indexOf("?") < 0 ? "?" : "&") + "locale=" + encodeURIComponent(shop.locale) : url;
  }

  /* One JSON request; resolves {ok, status, body} and never rejects on HTTP errors. */
  function api(method, url, payload) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    };
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    var seq = ++sent;
    return fetch(withLocale(url), options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body, seq: seq };
      });
    }, function () {
      return { ok: false, status: 0, body: null, seq: seq };
    });
  }

  function errorCode(result) {
    return result.body && result.body.error ? result.body.error.code : "network";
  }

  /* ---- header counter --------------------------------------------------- */

  /* Answers can arrive out of order (the page-load read after a quick add):
     only the answer to the most recent request may set the counter. */
  var sent = 0;
  var shown = 0;

  function showCount(cart, seq) {
    if (seq !== undefined) {
      if (seq < shown) return;
      shown = seq;
    }
    var count = cart ? cart.item_count : 0;
    each(document.querySelectorAll("[data-cart-count]"), function (node) {
      node.textContent = String(count);
      node.hidden = count === 0;
    });
    each(document.querySelectorAll("[data-cart-link]"), function (link) {
      link.setAttribute("aria-label", t("cart_count", { count: count }));
    });
  }

  /* ---- add to cart (product pages) -------------------------------------- */

  function stockMessage(sku, feedback) {
    /* The refusal says only "out of stock": ask how many are left, to say so. */
    return api("GET", "/api/stock?sku=" + encodeURIComponent(sku)).then(function (result) {
      var entry = result.ok && result.body && result.body.skus ? result.body.skus[sku] : null;
      if (entry && entry.available > 0) {
        feedback.textContent = t("only_left", { count: entry.available });
      } else {
        feedback.textContent = t("out_of_stock");
      }
      document.dispatchEvent(new CustomEvent("stock:changed", { detail: { sku: sku, stock: entry } }));
    });
  }

  /* The API's refusals that retrying cannot mend, and what to tell the shopper. */
  var REFUSED = { quantity_out_of_bounds: "limit_line", cart_limit_exceeded: "limit_cart" };

  function setUpAddToCart(form) {
    var feedback = form.querySelector("[data-cart-feedback]");
    var button = form.querySelector('button:not([type="button"])');
    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var skuInput = form.querySelector('input[name="sku"]:checked') ||
        form.querySelector('input[name="sku"][type="hidden"]');
      var quantityInput = form.querySelector('input[name="quantity"]');
      /* busy: pressed again while the first add is on its way */
      if (!skuInput || busy) return;
      var quantity = Number(quantityInput ? quantityInput.value : "1"); /* "1e1" is 10 */
      if (!(quantity >= 1) || quantity % 1) quantity = 1;
      var label = button ? button.textContent : "";
      busy = true;
      if (button) {
        /* Not `disabled`: a disabled button loses the keyboard focus, and a screen
           reader its place on the page. */
        button.setAttribute("aria-disabled", "true");
        button.textContent = t("adding");
      }
      if (feedback) {
        feedback.classList.remove("cart-feedback--error");
        feedback.textContent = "";
      }
      api("POST", "/api/cart/items", { sku: skuInput.value, quantity: quantity }).then(function (result) {
        busy = false;
        if (button) {
          button.textContent = label;
          button.removeAttribute("aria-disabled");
        }
        if (result.ok) {
          showCount(result.body, result.seq);
          if (feedback) {
            var link = document.createElement("a");
            link.href = paths.cart || "/cart/";
            link.textContent = t("cart_count", { count: result.body.item_count });
            feedback.textContent = t("added") + " ";
            feedback.appendChild(link);
          }
          return;
        }
        if (feedback) feedback.classList.add("cart-feedback--error");
        var code = errorCode(result);
        if (code === "out_of_stock" && feedback) {
          feedback.textContent = t("out_of_stock"); /* at once; refined with the count */
          stockMessage(skuInput.value, feedback);
        } else if (feedback) {
          /* A limit is no passing failure: "please try again" could never work. */
          feedback.textContent = t(REFUSED[code] || "add_failed");
        }
      });
    });
  }

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
      /* The button follows the list in the page: Tab from it would skip the menu it opened. */
      var first = open && nav.querySelector("#site-menu a");
      if (first) first.focus();
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
  /* A choice's label: struck through when sold out, and said, not only shown (a screen
     reader hears "38, out of stock"); the built note is replaced as the stock changes. */
  function markLabel(label, inStock) {
    if (!label) return;
    label.classList.toggle("variant-label--out", !inStock);
    var note = label.querySelector(".visually-hidden");
    if (inStock && note) label.removeChild(note);
    if (!inStock && !note) {
      label.append(Object.assign(document.createElement("span"), {
        className: "visually-hidden", textContent: ", " + t("out_of_stock")
      }));
    }
  }

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
      /* "auto" is the track's CSS: smooth, unless the shopper asks for reduced motion. */
      track.scrollTo({ left: track.clientWidth * index, behavior: smooth ? "auto" : "instant" });
      var thumbs = document.querySelectorAll(".gallery-thumbs a");
      each(thumbs, function (thumb, i) {
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
        stock.textContent = t(initial > 0 ? "in_stock" : "out_of_stock");
        stock.classList.toggle("stock--out", initial <= 0);
      }
      showImage(radio.dataset.image, announce);
      if (announce) {
        var url = new URL(window.location.href);
        url.searchParams.set("sku", radio.value);
        window.history.replaceState(null, "", url);
      }
      /* The live stock display below listens to this to show the chosen SKU's stock. */
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
      each(groups, function (group) {
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
      each(groups, function (group) {
        var name = group.dataset.optionGroup;
        each(group.querySelectorAll("input"), function (input) {
          var inStock = variants.some(function (v) {
            return v.options[name] === input.value && matches(v.options, chosen, name) &&
              Number(v.radio.dataset.stockInitial || "0") > 0;
          });
          /* The page's own note counts all colours: this one, the chosen colour's sizes. */
          markLabel(group.querySelector('label[for="' + input.id + '"]'), inStock);
        });
      });
    }

    function syncFromGroups() {
      var chosen = chosenOptions();
      var match = variants.filter(function (v) { return matches(v.options, chosen, null); })[0];
      markAvailability(chosen);
      if (button) button.disabled = !match;
      if (!match) {
        if (stock) stock.textContent = t("unavailable");
        return;
      }
      match.radio.checked = true;
      show(match.radio, true);
    }

    function syncGroups(radio) {
      var options = JSON.parse(radio.dataset.options || "{}");
      each(groups, function (group) {
        each(group.querySelectorAll("input"), function (input) {
          input.checked = options[group.dataset.optionGroup] === input.value;
        });
      });
      markAvailability(chosenOptions());
    }

    each(groups, function (group) {
      group.addEventListener("change", syncFromGroups);
    });

    var wanted = new URLSearchParams(window.location.search).get("sku");
    each(radios, function (radio) {
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
    each(links, function (link, index) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        track.scrollTo({ left: track.clientWidth * index });
        each(links, function (other) { other.removeAttribute("aria-current"); });
        link.setAttribute("aria-current", "true");
      });
    });
  }

  /* Live stock on product pages. The page is static (built with the editors'
     stock numbers); this asks GET /api/stock for every SKU of the page in one
     request, then shows "Only N left" / "Out of stock" for the chosen variant,
     marks sold-out variants, and disables add to cart when the choice is sold
     out. */
  function setUpLiveStock(form) {
    var stockNode = form.querySelector("[data-stock]");
    if (!stockNode) return;
    var button = form.querySelector('button:not([type="button"])');
    var quantity = form.querySelector('input[name="quantity"]');
    var live = {}; /* sku -> {available, status} */

    function pageSkus() {
      var inputs = form.querySelectorAll('input[name="sku"]');
      var skus = Array.prototype.map.call(inputs, function (input) { return input.value; });
      return skus.filter(function (sku, index) { return sku && skus.indexOf(sku) === index; });
    }

    function selectedSku() {
      var input = form.querySelector('input[name="sku"]:checked') ||
        form.querySelector('input[name="sku"][type="hidden"]');
      return input ? input.value : stockNode.dataset.sku;
    }

    /* Show the chosen SKU's live stock and enable or disable add to cart. */
    function render() {
      var sku = selectedSku();
      var entry = live[sku];
      if (!entry) return;
      stockNode.dataset.sku = sku;
      stockNode.classList.toggle("stock--out", entry.status === "out_of_stock");
      stockNode.classList.toggle("stock--low", entry.status === "low_stock");
      if (entry.status === "out_of_stock") stockNode.textContent = t("out_of_stock");
      else if (entry.status === "low_stock") stockNode.textContent = t("only_left", { count: entry.available });
      else stockNode.textContent = t("in_stock");
      if (button) button.disabled = entry.available <= 0;
      if (quantity && entry.available > 0) {
        quantity.max = String(Math.min(Number(quantity.getAttribute("data-max") || quantity.max || 10), entry.available));
        if (Number(quantity.value) > entry.available) quantity.value = String(entry.available);
      }
    }

    /* Keep the variant radios' stock in step, so the picker marks sold-out choices. */
    function markVariants() {
      each(form.querySelectorAll('input[type="radio"][name="sku"]'), function (radio) {
        var entry = live[radio.value];
        if (!entry) return;
        radio.dataset.stockInitial = String(entry.available);
        markLabel(form.querySelector('label[for="' + radio.id + '"]'), entry.available > 0);
      });
    }

    function refresh() {
      var skus = pageSkus();
      if (!skus.length) return;
      var query = skus.map(function (sku) { return "sku=" + encodeURIComponent(sku); }).join("&");
      fetch("/api/stock?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body || !body.skus) return; /* keep the built page's stock on any failure */
          live = body.skus;
          markVariants();
          render();
        }, function () { /* offline: keep the built page's stock */ });
    }

    if (quantity && !quantity.getAttribute("data-max")) quantity.setAttribute("data-max", quantity.max || "10");
    /* site.js announces a new variant choice; cart.js announces a refused add. */
    form.addEventListener("variant:change", function () { setTimeout(render, 0); });
    document.addEventListener("stock:changed", function (event) {
      var detail = event.detail || {};
      if (detail.sku && detail.stock) {
        live[detail.sku] = detail.stock;
        markVariants();
        render();
      }
    });
    refresh();
  }

  shop.t = t;
  shop.api = api;
  shop.errorCode = errorCode;
  shop.showCount = showCount;
  window.storefront = shop;

  /* The language links name each language's page without the query (the pages are
     static): the order page's o and t, the search's q and the chosen variant were lost
     on the way. Taken along when one is followed. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".languages a");
    if (link) link.search = location.search;
  });

  setUpMenu();
  each(document.querySelectorAll("form[data-add-to-cart]"), function (form) {
    setUpVariantPicker(form);
    setUpAddToCart(form);
    setUpLiveStock(form);
  });
  setUpGallery();
  /* The cart page (cart.js) reads the whole cart and sets the counter itself. */
  if (!document.querySelector("[data-cart-root]")) {
    api("GET", "/api/cart").then(function (result) {
      if (result.ok) showCount(result.body, result.seq);
    });
  }
})();
