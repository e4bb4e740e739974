/* Category page filters and sort, over the data-* attributes of the product cards.
 *
 * A short category lists every product on its page; a long one is split into
 * pages (storefront/pagination.py) and names, in data-cards, a fragment with
 * every card of the category. This script adds a filter form (price range,
 * brand, each option such as size or colour, availability, on sale) and a
 * sort, hides and reorders the cards in place (no reload), and mirrors the
 * choice in the URL query so a filtered listing can be shared or reloaded.
 * On a paginated category the fragment is fetched when the panel is first
 * opened (or the URL carries a choice): while a choice is active the grid
 * shows the matching products of the whole category and the pager is hidden;
 * clearing it brings back the page's own cards. Without JavaScript the plain
 * listing and its pager stay. Every visible string comes from the page's #i18n JSON.
 */
(function () {
  "use strict";

  var listing = document.querySelector("[data-listing]");
  var grid = listing && listing.querySelector(".grid");
  if (!grid) return;
  var pageCards = Array.prototype.slice.call(grid.querySelectorAll(":scope > li[data-product]"));
  var cardsUrl = listing.getAttribute("data-cards");
  if (!cardsUrl && pageCards.length < 2) return; // nothing to filter or sort
  var pagerNav = listing.querySelector("[data-pager]");

  var config = {};
  try { config = JSON.parse(document.getElementById("i18n").textContent); } catch (e) { config = {}; }
  var strings = config.strings || {};
  var lang = document.documentElement.lang; /* base.html always sets it */
  var currency = config.currency || "EUR";
  var plurals = new Intl.PluralRules(lang);
  /* The decimals of the prices' minor units, as the build counts them (Intl's differ for
     some currencies). */
  var exponent = config.exponent === undefined ? 2 : config.exponent;
  var RESERVED = ["sort", "min", "max", "brand", "stock", "sale"];
  var SORTS = {
    featured: null,
    "price-asc": function (a, b) { return a.price - b.price; },
    "price-desc": function (a, b) { return b.price - a.price; },
    newest: function (a, b) { return a.published < b.published ? 1 : a.published > b.published ? -1 : 0; },
    rating: function (a, b) { return (b.rating || 0) - (a.rating || 0); }
  };

  function text(key, params) {
    var entry = strings[key];
    if (entry && typeof entry === "object") entry = entry[plurals.select(params.count)] || entry.other;
    return String(entry || key).replace(/\{(\w+)\}/g, function (_, name) {
      return params && name in params ? String(params[name]) : "";
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // What each card says about its product (see the product_card macro).
  function describe(card, index) {
    var facets = {};
    try { facets = JSON.parse(card.dataset.facets || "{}"); } catch (e) { facets = {}; }
    return {
      card: card,
      index: index,
      price: parseInt(card.dataset.price, 10) || 0,
      brand: card.dataset.brand || "",
      inStock: card.dataset.inStock === "true",
      onSale: card.dataset.onSale === "true",
      published: card.dataset.published || "",
      rating: card.dataset.rating ? parseFloat(card.dataset.rating) : null,
      facets: facets
    };
  }

  // Facets worth offering: an option with at least two values across the listing.
  function offeredFacets(products) {
    var facets = [];
    var byName = {};
    products.forEach(function (product) {
      Object.keys(product.facets).forEach(function (name) {
        if (RESERVED.indexOf(name) !== -1) return;
        if (!byName[name]) { byName[name] = { name: name, label: product.facets[name].label, values: [], names: {} }; facets.push(byName[name]); }
        var names = product.facets[name].names || {}; // values in the page's language
        product.facets[name].values.forEach(function (value) {
          if (byName[name].values.indexOf(value) === -1) byName[name].values.push(value);
          if (names[value]) byName[name].names[value] = names[value];
        });
      });
    });
    facets = facets.filter(function (facet) { return facet.values.length > 1; });
    facets.forEach(function (facet) {
      // Shoe sizes and the like read best in numeric order; words keep the catalog's order.
      if (facet.values.every(function (v) { return /^\d+([.,]\d+)?$/.test(v); })) {
        facet.values.sort(function (a, b) { return parseFloat(a.replace(",", ".")) - parseFloat(b.replace(",", ".")); });
      }
    });
    return facets;
  }

  function checkboxes(name, legend, values, labels) {
    return el("fieldset", { "class": "filter-group" }, [el("legend", {}, [legend])].concat(values.map(function (value, i) {
      return el("label", { "class": "filter-option" }, [
        el("input", { type: "checkbox", name: name, value: value }), " " + (labels ? labels[i] : value),
        el("span", { "class": "filter-count", "data-filter-count": "" })
      ]);
    })));
  }

  // The form's shell goes in at once (its slot already holds its room); its groups
  // follow from the products they filter, which a paginated category must fetch first.
  var details = el("details", { "class": "filters-panel" }, [el("summary", {}, [text("filters_heading")])]);
  var form = el("form", { "class": "filters", "data-filters": "" }, [details]);
  var slot = listing.querySelector("[data-filters-slot]");
  if (slot) slot.append(form); else grid.before(form);
  var count = listing.querySelector("#listing-count");
  var pageCount = count ? count.textContent : ""; // the whole category's, as the server wrote it
  if (count) count.setAttribute("aria-live", "polite");
  var initial = new URLSearchParams(window.location.search);

  // Every card of a paginated category, from the fragment named in data-cards.
  function loadCards() {
    return fetch(cardsUrl, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("cards " + response.status);
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("template");
      holder.innerHTML = html;
      return Array.prototype.slice.call(holder.content.querySelectorAll("li[data-product]"));
    });
  }

  var loading = null;
  function start() {
    if (loading) return;
    var status = el("p", { "class": "filters-status", role: "status" }, [text("filters_loading")]);
    details.append(status);
    loading = loadCards().then(function (cards) {
      status.remove();
      setup(cards);
    }, function () {
      // A dropped connection on a phone is common: offer another try, not a reload.
      var retry = el("button", { type: "button", "class": "chip" }, [text("filters_retry")]);
      retry.addEventListener("click", function () {
        status.remove();
        loading = null;
        start();
      });
      status.replaceChildren(text("filters_failed") + " ", retry);
    });
  }

  function setup(cards) {
    var products = cards.map(describe);
    var facets = offeredFacets(products);
    var brands = [];
    products.forEach(function (p) { if (p.brand && brands.indexOf(p.brand) === -1) brands.push(p.brand); });

    var sortSelect = el("select", { name: "sort" }, Object.keys(SORTS).map(function (key) {
      return el("option", { value: key }, [text("sort_" + key.replace("-", "_"))]);
    }));
    var priceStep = String(Math.pow(10, -exponent));
    var groups = [
      el("label", { "class": "filter-sort" }, [text("filter_sort") + " ", sortSelect]),
      el("fieldset", { "class": "filter-group filter-price" }, [
        el("legend", {}, [text("filter_price") + " (" + currency + ")"]),
        el("label", {}, [text("filter_price_min") + " ",
          el("input", { type: "number", name: "min", min: "0", step: priceStep, inputmode: "decimal" })]),
        el("label", {}, [text("filter_price_max") + " ",
          el("input", { type: "number", name: "max", min: "0", step: priceStep, inputmode: "decimal" })])
      ])
    ];
    if (brands.length > 1) groups.push(checkboxes("brand", text("filter_brand"), brands));
    facets.forEach(function (facet) {
      groups.push(checkboxes(facet.name, facet.label, facet.values,
        facet.values.map(function (v) { return facet.names[v] || v; })));
    });
    groups.push(checkboxes("flag", text("filter_availability"), ["stock", "sale"],
      [text("filter_in_stock"), text("filter_on_sale")]));
    var clear = el("button", { type: "reset", "class": "chip", "data-filters-clear": "" }, [text("filter_clear")]);
    groups.push(clear);

    details.append(el("div", { "class": "filters-grid" }, groups));
    var empty = el("p", { "class": "filters-empty", "data-filters-empty": "", hidden: "" }, [text("filter_no_match")]);
    grid.after(empty);

    function minorUnits(value) {
      if (value === "" || value === null || isNaN(Number(value))) return null;
      return Math.round(Number(value) * Math.pow(10, exponent));
    }

    function checked(name) {
      return Array.prototype.slice.call(form.querySelectorAll("input[name='" + name + "']:checked"))
        .map(function (input) { return input.value; });
    }

    // The current choice, as URL query parameters (only what differs from the default).
    function currentQuery() {
      var query = new URLSearchParams();
      if (sortSelect.value !== "featured") query.set("sort", sortSelect.value);
      ["min", "max"].forEach(function (name) {
        var value = form.elements[name].value;
        if (minorUnits(value) !== null) query.set(name, value);
      });
      checked("brand").forEach(function (v) { query.append("brand", v); });
      facets.forEach(function (facet) { checked(facet.name).forEach(function (v) { query.append(facet.name, v); }); });
      var flags = checked("flag");
      if (flags.indexOf("stock") !== -1) query.set("stock", "1");
      if (flags.indexOf("sale") !== -1) query.set("sale", "1");
      return query;
    }

    // Does the product pass the query? `ignore` leaves one group out, which is how
    // the count beside each choice is made ("how many if I also tick this").
    function matches(product, query, ignore) {
      var min = minorUnits(query.get("min"));
      var max = minorUnits(query.get("max"));
      if (min !== null && product.price < min) return false;
      if (max !== null && product.price > max) return false;
      var wantedBrands = ignore === "brand" ? [] : query.getAll("brand");
      if (wantedBrands.length && wantedBrands.indexOf(product.brand) === -1) return false;
      if (ignore !== "stock" && query.get("stock") === "1" && !product.inStock) return false;
      if (ignore !== "sale" && query.get("sale") === "1" && !product.onSale) return false;
      // Within one option any chosen value will do; across options all must hold.
      return facets.every(function (facet) {
        var wanted = ignore === facet.name ? [] : query.getAll(facet.name);
        if (!wanted.length) return true;
        var has = (product.facets[facet.name] || { values: [] }).values;
        return wanted.some(function (value) { return has.indexOf(value) !== -1; });
      });
    }

    function hasChoice(product, input) {
      if (input.name === "flag") return input.value === "stock" ? product.inStock : product.onSale;
      if (input.name === "brand") return product.brand === input.value;
      return ((product.facets[input.name] || { values: [] }).values).indexOf(input.value) !== -1;
    }

    // Beside each choice, how many products it would show; a choice that would
    // show none is disabled (unless already ticked, so it can be unticked).
    function updateCounts(query) {
      form.querySelectorAll("input[type=checkbox]").forEach(function (input) {
        var group = input.name === "flag" ? input.value : input.name;
        var n = products.filter(function (p) { return matches(p, query, group) && hasChoice(p, input); }).length;
        input.closest("label").querySelector("[data-filter-count]").textContent = " (" + n + ")";
        input.disabled = n === 0 && !input.checked;
      });
    }

    // Moves the cards only when the order differs: a card taken out of the document
    // between mousedown and mouseup loses the click (the blur of a price input
    // fires `change` exactly then), so an unchanged order must leave the DOM alone.
    function reorder(order) {
      var current = Array.prototype.filter.call(grid.children, function (node) {
        return node.matches("li[data-product]");
      });
      var same = order.every(function (product, i) { return current[i] === product.card; });
      if (same) return;
      order.forEach(function (product) { grid.appendChild(product.card); }); // re-appending moves it
    }

    // A paginated category without a choice shows its page as served: its own cards
    // and the pager. The URL keeps no query then.
    function showPage(query) {
      if (pagerNav) pagerNav.hidden = false;
      products.forEach(function (product) { if (product.card.parentNode === grid) grid.removeChild(product.card); });
      pageCards.forEach(function (card) { grid.appendChild(card); });
      empty.hidden = true;
      updateCounts(query);
      if (count) count.textContent = pageCount;
    }

    var applied = null; // the query last shown, so a repeated event changes nothing
    function apply(query) {
      var key = query.toString();
      if (key === applied) return;
      applied = key;
      if (cardsUrl) {
        if (!key) { showPage(query); remember(query); return; }
        // A choice applies to the whole category: the page's cards give way to all of them.
        if (pagerNav) pagerNav.hidden = true;
        pageCards.forEach(function (card) { if (card.parentNode === grid) grid.removeChild(card); });
      }
      var order = products.slice();
      var compare = SORTS[query.get("sort")] || null;
      order.sort(function (a, b) { return (compare ? compare(a, b) : 0) || a.index - b.index; });
      var shown = 0;
      order.forEach(function (product) {
        var visible = matches(product, query);
        if (product.card.hidden !== !visible) product.card.hidden = !visible;
        if (visible) shown++;
      });
      reorder(order);
      empty.hidden = shown > 0;
      updateCounts(query);
      if (count) count.textContent = text("listing_count", { count: shown });
      remember(query);
    }

    function remember(query) {
      var url = new URL(window.location.href);
      url.search = query.toString();
      window.history.replaceState(null, "", url);
    }

    // Put the URL's choice into the form (a shared or reloaded filtered listing).
    function restore(query) {
      sortSelect.value = SORTS.hasOwnProperty(query.get("sort")) ? query.get("sort") : "featured";
      ["min", "max"].forEach(function (name) { form.elements[name].value = query.get(name) || ""; });
      form.querySelectorAll("input[type=checkbox]").forEach(function (input) {
        var values = input.name === "flag" ? (query.get(input.value) === "1" ? [input.value] : []) :
          query.getAll(input.name);
        input.checked = values.indexOf(input.value) !== -1;
      });
    }

    form.addEventListener("change", function () { apply(currentQuery()); });
    // Prices apply as they are typed, once the typing pauses: the count is a live
    // region, and "150" said "1", "15" and "150" results one after another.
    var typing = 0;
    form.addEventListener("input", function (event) {
      if (event.target.type !== "number") return;
      window.clearTimeout(typing);
      typing = window.setTimeout(function () { apply(currentQuery()); }, 400);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(currentQuery()); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(currentQuery()); }, 0); // after the form has reset
    });

    restore(initial);
    if (initial.toString()) {
      details.open = true;
      apply(currentQuery());
    } else {
      applied = "";
      updateCounts(currentQuery());
    }
  }

  // A short listing has its cards already; a long one fetches them when the panel
  // first opens, or at once when the URL carries a choice.
  if (!cardsUrl) setup(pageCards);
  else if (initial.toString()) start();
  else details.addEventListener("toggle", function () { if (details.open) start(); });
})();
