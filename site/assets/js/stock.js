/* Live stock on product pages. The page is static (built with the editors'
   stock numbers); this asks GET /api/stock for every SKU of the page in one
   request, then shows "Only N left" / "Out of stock" for the chosen variant,
   marks sold-out variants, and disables add to cart when the choice is sold
   out. Strings come from the page's #i18n JSON, through
   site.js's helpers (window.storefront), which loads first. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-add-to-cart]");
  var stockNode = form && form.querySelector("[data-stock]");
  if (!form || !stockNode) return;

  var shop = window.storefront;
  if (!shop) return;
  var t = shop.t;
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
      quantity.max = String(Math.min(Number(quantity.getAttribute("data-max") || quantity.max || 99), entry.available));
      if (Number(quantity.value) > entry.available) quantity.value = String(entry.available);
    }
  }

  /* Keep the variant radios' stock in step, so the picker marks sold-out choices. */
  function markVariants() {
    Array.prototype.forEach.call(form.querySelectorAll('input[type="radio"][name="sku"]'), function (radio) {
      var entry = live[radio.value];
      if (!entry) return;
      radio.dataset.stockInitial = String(entry.available);
      var label = form.querySelector('label[for="' + radio.id + '"]');
      if (label) label.classList.toggle("variant-label--out", entry.available <= 0);
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

  if (quantity && !quantity.getAttribute("data-max")) quantity.setAttribute("data-max", quantity.max || "99");
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
})();
