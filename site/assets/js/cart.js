/* Cart behaviour on every page: the header counter, add to cart on product
   pages, and the cart page itself, all against /api/cart (functions/openapi.yaml).
   The cart id lives in an HttpOnly cookie the API sets: this script never sees
   it. Strings come from the page's #i18n JSON, money is formatted with
   Intl.NumberFormat in the page's language; hooks are listed in
   docs/architecture.md ("Theme ↔ JavaScript hooks"). */
(function () {
  "use strict";

  var config = {};
  try {
    config = JSON.parse(document.getElementById("i18n").textContent) || {};
  } catch (e) {
    config = {};
  }
  var strings = config.strings || {};
  var lang = config.lang || document.documentElement.lang || "en";
  var locale = config.locale || "";
  var paths = config.paths || {};

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

  /* {"amount": 8990, "currency": "EUR"} -> "89,90 €" (in the page's language). */
  function formatMoney(money) {
    try {
      var format = new Intl.NumberFormat(lang, { style: "currency", currency: money.currency });
      var digits = format.resolvedOptions().maximumFractionDigits;
      return format.format(money.amount / Math.pow(10, digits));
    } catch (e) {
      return (money.amount / 100).toFixed(2) + " " + money.currency;
    }
  }

  function withLocale(url) {
    return locale ? url + (url.indexOf("?") < 0 ? "?" : "&") + "locale=" + encodeURIComponent(locale) : url;
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
    Array.prototype.forEach.call(document.querySelectorAll("[data-cart-count]"), function (node) {
      node.textContent = String(count);
      node.hidden = count === 0;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-cart-link]"), function (link) {
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

  function setUpAddToCart(form) {
    var feedback = form.querySelector("[data-cart-feedback]");
    var button = form.querySelector('button:not([type="button"])');
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var skuInput = form.querySelector('input[name="sku"]:checked') ||
        form.querySelector('input[name="sku"][type="hidden"]');
      var quantityInput = form.querySelector('input[name="quantity"]');
      if (!skuInput) return;
      var quantity = parseInt(quantityInput ? quantityInput.value : "1", 10);
      if (!(quantity >= 1)) quantity = 1;
      var label = button ? button.textContent : "";
      if (button) {
        button.disabled = true;
        button.textContent = t("adding");
      }
      if (feedback) {
        feedback.classList.remove("cart-feedback--error");
        feedback.textContent = "";
      }
      api("POST", "/api/cart/items", { sku: skuInput.value, quantity: quantity }).then(function (result) {
        if (button) {
          button.textContent = label;
          button.disabled = false;
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
          feedback.textContent = t("add_failed");
        }
      });
    });
  }

  /* ---- cart page -------------------------------------------------------- */

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  function CartPage(root) {
    this.root = root;
    this.cart = null;
    this.busy = false;
    this.status = el("p", { className: "visually-hidden", role: "status", "aria-live": "polite" });
    this.error = el("p", { className: "cart-error", role: "alert" });
  }

  CartPage.prototype.load = function () {
    var page = this;
    page.busy = true; /* no change may start before the cart it changes is shown */
    return api("GET", "/api/cart").then(function (result) {
      page.busy = false;
      if (result.ok) page.show(result.body);
      else page.fail(result);
    });
  };

  CartPage.prototype.fail = function (result) {
    this.error.textContent = errorCode(result) === "out_of_stock" ? t("out_of_stock") : t("error_generic");
    if (!this.cart) {
      this.root.textContent = "";
      this.root.appendChild(this.error);
    }
  };

  /* Run one change; the API answers with the whole cart, which is then shown. */
  CartPage.prototype.change = function (method, url, payload, announce, focusSelector) {
    var page = this;
    if (page.busy) return Promise.resolve();
    page.busy = true;
    page.root.setAttribute("aria-busy", "true");
    page.error.textContent = "";
    return api(method, url, payload).then(function (result) {
      page.busy = false;
      page.root.removeAttribute("aria-busy");
      if (result.ok) {
        page.show(result.body, focusSelector);
        if (announce) page.status.textContent = announce;
        return;
      }
      page.show(page.cart);
      page.fail(result);
      var sku = payload && payload.sku || decodeURIComponent(url.split("/")[4] || "");
      if (errorCode(result) === "out_of_stock") {
        /* Show the fresh stock, and say how many of this SKU are left. */
        page.load().then(function () {
          var lines = page.cart ? page.cart.items.concat(page.cart.saved) : [];
          var line = lines.filter(function (l) { return l.sku === sku; })[0];
          if (line && line.available > 0) page.error.textContent = t("only_left", { count: line.available });
        });
      }
    });
  };

  CartPage.prototype.lineNode = function (line, saved) {
    var page = this;
    var sku = line.sku;
    var itemPath = "/api/cart/items/" + encodeURIComponent(sku);
    var savedPath = "/api/cart/saved/" + encodeURIComponent(sku);
    var path = saved ? savedPath : itemPath;
    var titleId = "cart-line-" + (saved ? "saved-" : "") + sku;
    var image = line.image ? el("a", { href: line.url, tabindex: "-1", "aria-hidden": "true" }, [
      el("img", { src: line.image, alt: "", width: 96, height: 96, loading: "lazy", decoding: "async" })
    ]) : null;
    var info = el("div", { className: "cart-line-info" }, [
      el("a", { className: "cart-line-title", href: line.url, id: titleId, text: line.title }),
      line.variant_label ? el("p", { className: "muted cart-line-variant", text: line.variant_label }) : null,
      el("p", { className: "cart-line-unit", text: formatMoney(line.unit_price) }),
      /* Stock may have dropped below the line since it was added: say so here,
         before checkout refuses it. */
      line.stock_status === "in_stock" && line.quantity <= line.available ? null : el("p", {
        className: "stock " + (line.available <= 0 ? "stock--out" : "stock--low"),
        text: line.available <= 0 ? t("out_of_stock") : t("only_left", { count: line.available })
      })
    ]);
    var actions = el("div", { className: "cart-line-actions" });
    var node = el("li", { className: "cart-line", "data-line-sku": sku }, [image, info]);
    if (!saved) {
      var max = Math.max(line.quantity, Math.min(10, line.available));
      var input = el("input", {
        type: "number", min: 0, max: max, value: line.quantity, inputmode: "numeric",
        "aria-labelledby": titleId + " " + titleId + "-qty", "data-quantity": true
      });
      input.addEventListener("change", function () {
        var quantity = parseInt(input.value, 10);
        if (!(quantity >= 0) || quantity === line.quantity) {
          input.value = line.quantity;
          return;
        }
        page.change("PATCH", path, { quantity: quantity }, null, '[data-line-sku="' + sku + '"] input');
      });
      node.appendChild(el("label", { className: "cart-line-quantity" }, [
        el("span", { id: titleId + "-qty", className: "visually-hidden", text: t("quantity") }), input
      ]));
      node.appendChild(el("p", { className: "cart-line-total", text: formatMoney(line.line_total) }));
    }
    var primary = el("button", {
      type: "button", className: "link-button",
      text: saved ? t("move_to_cart") : t("save_for_later"),
      "aria-describedby": titleId
    });
    primary.addEventListener("click", function () {
      /* POST saved/{sku} saves a cart line; POST saved/{sku}/move-to-cart brings it back. */
      page.change("POST", saved ? savedPath + "/move-to-cart" : savedPath, undefined,
        saved ? t("move_to_cart") + ": " + line.title : t("saved_for_later") + ": " + line.title);
    });
    var remove = el("button", { type: "button", className: "link-button", text: t("remove"), "aria-describedby": titleId });
    remove.addEventListener("click", function () {
      page.change("DELETE", path, undefined, t("remove") + ": " + line.title);
    });
    actions.appendChild(primary);
    actions.appendChild(remove);
    node.appendChild(actions);
    return node;
  };

  CartPage.prototype.summaryNode = function (cart) {
    var page = this;
    var parts = [];
    var free = cart.free_shipping;
    if (free) {
      parts.push(el("p", { className: "free-shipping" + (free.qualifies ? " free-shipping--reached" : "") }, [
        document.createTextNode(free.qualifies ? t("free_shipping_reached")
          : t("free_shipping_progress", { amount: formatMoney(free.remaining) })),
        el("progress", {
          max: free.threshold.amount,
          value: Math.min(cart.subtotal.amount, free.threshold.amount),
          "aria-hidden": "true"
        })
      ]));
    }
    parts.push(el("dl", { className: "cart-totals" }, [
      el("dt", { text: t("subtotal") }),
      el("dd", { "data-cart-subtotal": true, text: formatMoney(cart.subtotal) })
    ]));
    parts.push(el("p", { className: "muted", text: t("shipping_calculated") }));
    var checkout = el("button", { type: "button", className: "button button--primary button--wide", "data-checkout": true, text: t("checkout") });
    checkout.addEventListener("click", function () {
      if (page.busy) return;
      page.busy = true;
      checkout.disabled = true;
      checkout.textContent = t("checking_out");
      page.error.textContent = "";
      api("POST", "/api/checkout", {}).then(function (result) {
        if (result.ok && result.body && result.body.url) {
          window.location.assign(result.body.url);
          return;
        }
        page.busy = false;
        checkout.disabled = false;
        checkout.textContent = t("checkout");
        page.load().then(function () {
          page.error.textContent = errorCode(result) === "out_of_stock" ? t("out_of_stock") + ". " + t("checkout_failed")
            : t("checkout_failed");
        });
      });
    });
    parts.push(checkout);
    parts.push(page.error);
    return el("div", { className: "cart-summary" }, parts);
  };

  CartPage.prototype.show = function (cart, focusSelector) {
    if (!cart) return;
    var page = this;
    page.cart = cart;
    showCount(cart);
    var root = page.root;
    root.textContent = "";
    root.appendChild(page.status);
    if (!cart.items.length) {
      root.appendChild(el("div", { className: "cart-empty" }, [
        el("p", { text: t("empty_cart") }),
        el("a", { className: "button", href: paths.home || "/", text: t("continue_shopping") })
      ]));
    } else {
      var list = el("ul", { className: "cart-lines", role: "list" });
      cart.items.forEach(function (line) { list.appendChild(page.lineNode(line, false)); });
      root.appendChild(el("div", { className: "cart-layout" }, [list, page.summaryNode(cart)]));
    }
    if (!cart.items.length) root.appendChild(page.error);
    (cart.unavailable || []).forEach(function (sku) {
      var remove = el("button", { type: "button", className: "link-button", text: t("remove") });
      remove.addEventListener("click", function () {
        page.change("DELETE", "/api/cart/items/" + encodeURIComponent(sku));
      });
      root.appendChild(el("p", { className: "notice" }, [document.createTextNode(t("unavailable") + " (" + sku + ") "), remove]));
    });
    if (cart.saved.length) {
      var saved = el("ul", { className: "cart-lines cart-lines--saved", role: "list" });
      cart.saved.forEach(function (line) { saved.appendChild(page.lineNode(line, true)); });
      root.appendChild(el("section", { className: "cart-saved", "aria-labelledby": "cart-saved-heading" }, [
        el("h2", { id: "cart-saved-heading", text: t("saved_for_later") }), saved
      ]));
    }
    if (focusSelector) {
      var target = root.querySelector(focusSelector);
      if (target) target.focus();
    }
  };

  /* ---- start ------------------------------------------------------------ */

  Array.prototype.forEach.call(document.querySelectorAll("form[data-add-to-cart]"), setUpAddToCart);
  var root = document.querySelector("[data-cart-root]");
  if (root) {
    if (root.dataset.locale) locale = root.dataset.locale;
    new CartPage(root).load();
  } else {
    api("GET", "/api/cart").then(function (result) {
      if (result.ok) showCount(result.body, result.seq);
    });
  }
})();
