/* The cart page: rendered from GET /api/cart into [data-cart-root], with
   quantity changes, save for later, and checkout (functions/openapi.yaml).
   Loaded on the cart page only, after site.js, whose helpers it uses
   (window.storefront: strings, the API and the header counter). */
(function () {
  "use strict";

  var shop = window.storefront;
  var root = document.querySelector("[data-cart-root]");
  if (!shop || !root) return;
  var t = shop.t;
  var api = shop.api;
  var errorCode = shop.errorCode;
  var showCount = shop.showCount;
  var paths = shop.paths;
  var lang = document.documentElement.lang; /* base.html always sets it */

  /* {"amount": 8990, "currency": "EUR"} -> "89,90 €" (in the page's language). */
  function formatMoney(money) {
    var digits = shop.config.exponent === undefined ? 2 : shop.config.exponent;
    var value = money.amount / Math.pow(10, digits);
    try {
      return new Intl.NumberFormat(lang, {
        style: "currency", currency: money.currency,
        minimumFractionDigits: digits, maximumFractionDigits: digits
      }).format(value);
    } catch (e) {
      return value.toFixed(digits) + " " + money.currency;
    }
  }

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

  /* An amount with its name for screen readers ("Line total €58.00"), shown as the amount. */
  function labelled(className, key, money) {
    return el("p", { className: className }, [
      el("span", { className: "visually-hidden", text: t(key) + " " }),
      el("span", { "data-amount": true, text: formatMoney(money) })
    ]);
  }

  function CartPage(root) {
    this.root = root;
    this.cart = null;
    /* Changes run one after another in the order the shopper made them: one made while
       another is on its way (a second arrow press, Checkout right after a quantity edit)
       waits for it rather than being dropped. */
    this.queue = Promise.resolve();
    this.pending = 0;
    /* Quantity edits waiting for the arrows to stop, by SKU ({quantity, title, timer}):
       drawn in place of the cart's quantity, and sent before any other change. */
    this.waiting = {};
    this.checkingOut = false;
    /* Outside the cart that is redrawn on every change: a live region removed and put
       back already holding its text is often not announced. */
    this.status = el("p", { className: "visually-hidden", role: "status", "aria-live": "polite" });
    root.parentNode.insertBefore(this.status, root);
    this.error = el("p", { className: "cart-error", role: "alert" });
    /* A line's quantity note ({text, invalid}) by SKU: shown beside its box, tied to it,
       until the shopper edits that quantity again. */
    this.notes = {};
  }

  /* Tell screen readers, emptied first so the same words said twice are said again. */
  CartPage.prototype.say = function (text) {
    var status = this.status;
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  };

  /* Run `task` (returning a promise) after every change already queued. */
  CartPage.prototype.enqueue = function (task) {
    var page = this;
    page.pending += 1;
    page.root.setAttribute("aria-busy", "true");
    var done = function () {
      page.pending -= 1;
      if (!page.pending) page.root.removeAttribute("aria-busy");
    };
    page.queue = page.queue.then(task).then(done, done);
    return page.queue;
  };

  CartPage.prototype.load = function () {
    var page = this;
    /* Queued: no change may start before the cart it changes is shown. */
    return page.enqueue(function () {
      return api("GET", "/api/cart").then(function (result) {
        if (result.ok) {
          page.show(result.body);
          page.showRefusedPost();
        } else page.fail(result);
      });
    });
  };

  /* A refused add-to-cart form post (the product page without JavaScript, or another
     site's page) lands here with ?error=<code>, and ?sku= when stock ran short
     (functions/openapi.yaml); the cart is untouched. Only known codes pick a message,
     and the SKU is shown only in the catalog's shape: a crafted link cannot make the
     page say anything else. Said once; the flag leaves the address so a reload does
     not say it again. */
  /* A refusal's words: the page's own notice for its code, which it shows without
     JavaScript (cart.html, one per code of shop.site_paths), else "try again". */
  function refusal(code) {
    var notice = document.getElementById("refused-" + code) ||
      document.getElementById("refused-internal_error");
    return notice ? notice.textContent : t("add_failed");
  }
  var SKU_SHAPE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

  CartPage.prototype.showRefusedPost = function () {
    var page = this;
    var query = new URLSearchParams(window.location.search);
    var code = query.get("error");
    if (!code) return;
    window.history.replaceState(null, "", window.location.pathname);
    var sku = query.get("sku") || "";
    page.error.textContent = refusal(code); /* out of stock: at once, refined with the count */
    if (code !== "out_of_stock") return;
    if (!SKU_SHAPE.test(sku)) return;
    /* The refused SKU by the name the cart knows it by, else its code (shown on product pages). */
    var lines = page.cart ? page.cart.items.concat(page.cart.saved) : [];
    var line = lines.filter(function (l) { return l.sku === sku; })[0];
    var item = line ? line.title + (line.variant_label ? ", " + line.variant_label : "") : sku;
    api("GET", "/api/stock?sku=" + encodeURIComponent(sku)).then(function (result) {
      var entry = result.ok && result.body && result.body.skus ? result.body.skus[sku] : null;
      if (!entry) return;
      page.error.textContent = entry.available > 0
        ? t("form_refused_only_left", { count: entry.available, item: item })
        : t("form_refused_sold_out", { item: item });
    });
  };

  /* A change's refusals that retrying cannot mend, and what to tell the shopper. */
  var FAILED = { out_of_stock: "out_of_stock", not_in_cart: "not_in_cart" };
  var LIMITS = { quantity_out_of_bounds: true, cart_limit_exceeded: true };

  CartPage.prototype.fail = function (result) {
    var code = errorCode(result);
    this.error.textContent = Object.prototype.hasOwnProperty.call(FAILED, code) ? t(FAILED[code])
      : LIMITS[code] ? refusal(code) : t("error_generic");
    if (!this.cart) {
      this.root.textContent = "";
      this.root.appendChild(this.error);
    }
  };

  /* Send one line's waiting quantity edit now (nothing if none waits). */
  CartPage.prototype.sendWaiting = function (sku) {
    var page = this;
    var wait = page.waiting[sku];
    if (!wait) return;
    clearTimeout(wait.timer);
    delete page.waiting[sku]; /* first: page.change sends the others, never this one twice */
    page.change("PATCH", "/api/cart/items/" + encodeURIComponent(sku), { quantity: wait.quantity }, function (cart) {
      /* 0 removes the line: said as the Remove button says it. */
      if (wait.quantity === 0) return t("removed_item", { item: wait.title });
      return t("quantity_now", { item: wait.title, count: wait.quantity, subtotal: formatMoney(cart.subtotal) });
    }, '[data-line-sku="' + sku + '"] input');
  };

  /* Send the quantity edits still waiting, so what follows sees the cart as shown. */
  CartPage.prototype.sendUnsent = function () {
    var page = this;
    Object.keys(page.waiting).forEach(function (sku) { page.sendWaiting(sku); });
  };

  /* Run one change; the API answers with the whole cart, which is then shown. */
  CartPage.prototype.change = function (method, url, payload, announce, focusSelector) {
    var page = this;
    page.sendUnsent();
    return page.enqueue(function () {
      page.error.textContent = "";
      return api(method, url, payload).then(function (result) {
        page.answer(result, url, payload, announce, focusSelector);
      });
    });
  };

  /* Show the API's answer to a change: the whole cart, or the cart as it was and why not. */
  CartPage.prototype.answer = function (result, url, payload, announce, focusSelector) {
    var page = this;
    if (result.ok) {
      page.show(result.body, focusSelector);
      if (announce) page.say(typeof announce === "function" ? announce(result.body) : announce);
      return;
    }
    /* Focus stays where it was (the quantity just refused), next to the reason. */
    page.show(page.cart, focusSelector);
    page.fail(result);
    var sku = payload && payload.sku || decodeURIComponent(url.split("/")[4] || "");
    if (errorCode(result) === "not_in_cart") {
      /* Changed in another tab: show the cart as it is now, keeping the reason. */
      var reason = page.error.textContent;
      page.load().then(function () { page.error.textContent = reason; });
    }
    if (errorCode(result) === "out_of_stock") {
      /* Show the fresh stock, and say how many of this SKU are left (queued after this). */
      page.load().then(function () {
        var lines = page.cart ? page.cart.items.concat(page.cart.saved) : [];
        var line = lines.filter(function (l) { return l.sku === sku; })[0];
        /* Named: the message sits under the cart, away from the line it is about. */
        var item = line ? line.title + (line.variant_label ? ", " + line.variant_label : "") : sku;
        if (line && line.available > 0) {
          page.error.textContent = t("form_refused_only_left", { count: line.available, item: item });
        }
      });
    }
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
      labelled("cart-line-unit", "unit_price", line.unit_price),
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
      /* A redraw while an edit waits shows the edit: a press then counts from it. */
      var shown = page.waiting[sku] ? page.waiting[sku].quantity : line.quantity;
      var note = page.notes[sku];
      var input = el("input", {
        type: "number", min: 0, max: Math.max(max, shown), value: shown, inputmode: "numeric",
        "aria-labelledby": titleId + " " + titleId + "-qty", "data-quantity": true,
        "aria-describedby": note ? titleId + "-note" : null,
        "aria-invalid": note && note.invalid ? "true" : null
      });
      input.addEventListener("change", function () {
        var quantity = Number(input.value); /* not parseInt: "1e2" is 100, not 1 */
        delete page.notes[sku];
        /* Above the cart's 10-per-line limit: the limit. Above the stock left, the API says
           how many are left, which a silent cap would hide. Either way the shopper is told,
           beside the box and not only by a screen reader. */
        var limit = Math.max(10, line.quantity);
        if (quantity > limit || !(quantity >= 0) || quantity % 1) {
          var invalid = !(quantity > limit);
          page.notes[sku] = { text: t("quantity_range", { max: limit }), invalid: invalid };
          if (invalid) {
            page.show(page.cart, '[data-line-sku="' + sku + '"] input[data-quantity]');
            return;
          }
          page.say(page.notes[sku].text);
          quantity = limit;
        }
        input.value = quantity;
        if (!page.waiting[sku] && quantity === line.quantity) return;
        /* Sent once the arrows stop: each answer redraws the line, and a press on the
           redrawn box counted from the value of an answer still catching up. */
        var wait = page.waiting[sku];
        if (wait) clearTimeout(wait.timer);
        page.waiting[sku] = {
          quantity: quantity,
          title: line.title,
          timer: setTimeout(function () { page.sendWaiting(sku); }, 400)
        };
      });
      node.appendChild(el("label", { className: "cart-line-quantity" }, [
        el("span", { id: titleId + "-qty", className: "cart-line-quantity-label", text: t("quantity") }),
        input
      ]));
      if (note) {
        node.appendChild(el("p", { className: "cart-line-note", id: titleId + "-note", text: note.text }));
      }
      node.appendChild(labelled("cart-line-total", "line_total", line.line_total));
    }
    var primary = el("button", {
      type: "button", className: "link-button",
      text: saved ? t("move_to_cart") : t("save_for_later"),
      "aria-describedby": titleId
    });
    primary.addEventListener("click", function () {
      /* POST saved/{sku} saves a cart line; POST saved/{sku}/move-to-cart brings it back. */
      page.change("POST", saved ? savedPath + "/move-to-cart" : savedPath, undefined,
        t(saved ? "moved_to_cart" : "saved_item", { item: line.title }));
    });
    var remove = el("button", { type: "button", className: "link-button", text: t("remove"), "aria-describedby": titleId });
    remove.addEventListener("click", function () {
      page.change("DELETE", path, undefined, t("removed_item", { item: line.title }));
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
    if (page.checkingOut) { /* shown again while a change queued before it finished */
      checkout.setAttribute("aria-disabled", "true");
      checkout.textContent = t("checking_out");
    }
    checkout.addEventListener("click", function () {
      if (page.checkingOut) return;
      page.checkingOut = true;
      /* Not `disabled`, which would drop the keyboard focus to the page. */
      checkout.setAttribute("aria-disabled", "true");
      checkout.textContent = t("checking_out");
      /* After any change still on its way: checking out the cart the shopper sees. */
      page.sendUnsent();
      page.enqueue(function () {
        page.error.textContent = "";
        return api("POST", "/api/checkout", {}).then(function (result) {
          if (result.ok && result.body && result.body.url) {
            window.location.assign(result.body.url);
            return;
          }
          page.checkingOut = false;
          var code = errorCode(result);
          /* When short, not "try again": the lines marked with the stock left say what
             to change. When this connection's units on hold are spent, "later". */
          var message = code === "out_of_stock" ? "checkout_short"
            : code === "too_many_holds" ? "checkout_limited"
            : code === "empty_cart" ? "checkout_empty" : "checkout_failed";
          return api("GET", "/api/cart").then(function (fresh) {
            page.show(fresh.ok ? fresh.body : page.cart);
            page.error.textContent = t(message);
            page.error.setAttribute("tabindex", "-1");
            page.error.focus();
          });
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
    /* Rebuilding the cart removes the control that had focus: put it somewhere sensible,
       but only if it was in the cart (a shopper who tabbed on keeps their place). */
    var focused = document.activeElement;
    var hadFocus = focused && focused !== document.body && root.contains(focused);
    root.textContent = "";
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
      var list = (cart.unavailable_saved || []).indexOf(sku) < 0 ? "items/" : "saved/";
      remove.addEventListener("click", function () {
        page.change("DELETE", "/api/cart/" + list + encodeURIComponent(sku));
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
    if (!hadFocus) return;
    var target = focusSelector ? root.querySelector(focusSelector) : null;
    if (!target) { /* the line is gone (removed, saved, moved): the cart's heading */
      target = document.querySelector("main h1");
      if (target) target.setAttribute("tabindex", "-1");
    }
    if (target) target.focus();
  };

  if (root.dataset.locale) shop.locale = root.dataset.locale;
  new CartPage(root).load();
})();
