/* The order status page: reads the order id and its unguessable token from
   the link in the confirmation email (?o=…&t=…), asks GET /api/orders/{id},
   and shows the order: number, status history, lines, totals and tracking.
   On the checkout success page (?session_id=…) it asks the session's order
   instead, and links to the order's status page.
   Everything is inserted as text, never as HTML. */
(function () {
  "use strict";

  var root = document.querySelector("[data-order-root]");
  if (!root) return;

  var config = {};
  try {
    config = JSON.parse(document.getElementById("i18n").textContent) || {};
  } catch (e) {
    config = {};
  }
  var strings = config.strings || {};
  var lang = document.documentElement.lang; /* base.html always sets it */

  function t(key, fallback) {
    return strings[key] || fallback;
  }

  /* Minor units -> text, with the decimals Stripe counts (the page's `exponent`: JPY 0,
     KWD 3), not Intl's own (HUF: 0 in Chrome), so an amount is shown as it was charged. */
  function money(value) {
    if (!value) return "";
    var digits = config.exponent === undefined ? 2 : config.exponent;
    return new Intl.NumberFormat(lang, {
      style: "currency", currency: value.currency,
      minimumFractionDigits: digits, maximumFractionDigits: digits
    }).format(value.amount / Math.pow(10, digits));
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function show(order) {
    root.textContent = "";
    // `number` is already the shopper-facing "#1001"; the bare id is only its fallback.
    root.appendChild(el("h2", order.number || "#" + order.order_id));
    // Labelled, and each list under its own heading: a bare "Paid" and two unnamed
    // lists were all a screen reader's heading and list navigation had to go by.
    // One string: French puts a space before the colon.
    root.appendChild(el("p", t("order_status_line", "Status: {status}").replace(
      "{status}", t("order_status_" + order.status, order.status)), "order-status"));

    root.appendChild(el("h3", t("order_items", "Items")));
    var lines = el("ul", null, "order-lines");
    order.lines.forEach(function (line) {
      var label = line.title + (line.variant_label ? " (" + line.variant_label + ")" : "");
      lines.appendChild(el("li", line.quantity + " × " + label + " — " + money(line.line_total)));
    });
    root.appendChild(lines);

    /* Every amount between the subtotal and the total, as Stripe charged it: without the
       promotion code's discount (or the tax) the rows did not add up to the total. */
    var shipping = t("order_shipping", "Shipping") + (order.shipping ? " (" + order.shipping.name + ")" : "");
    var rows = [[t("subtotal", "Subtotal"), money(order.subtotal)], [shipping, money(order.shipping_amount)]];
    if (order.discount && order.discount.amount) {
      rows.push([t("order_discount", "Discount"), "−" + money(order.discount)]);
    }
    if (order.tax && order.tax.amount) rows.push([t("order_tax", "Tax"), money(order.tax)]);
    rows.push([t("order_total", "Total"), money(order.total)]);
    if (order.refunded && order.refunded.amount) {
      rows.push([t("order_refunded", "Refunded"), money(order.refunded)]);
    }
    var totals = el("dl", null, "order-totals");
    rows.forEach(function (row) {
      totals.appendChild(el("dt", row[0]));
      totals.appendChild(el("dd", row[1]));
    });
    root.appendChild(totals);

    var pickup = order.shipping && order.shipping.kind === "pickup" ? order.shipping.address || [] : [];
    if (pickup.length) {
      var where = el("p", t("order_pickup_at", "Collect your order at:"), "order-pickup");
      pickup.forEach(function (line) {
        where.appendChild(document.createElement("br"));
        where.appendChild(document.createTextNode(line));
      });
      root.appendChild(where);
    }

    if (order.tracking) {
      root.appendChild(el("p", order.tracking.carrier + " " + order.tracking.number));
    }

    root.appendChild(el("h3", t("order_history", "History")));
    var history = el("ol", null, "order-history");
    (order.history || []).forEach(function (entry) {
      var when = new Date(entry.at);
      // The month in words: "12/6/2026" reads as June in most of Europe.
      var stamp = isNaN(when.getTime())
        ? entry.at
        : when.toLocaleString(lang, { dateStyle: "long", timeStyle: "short" });
      history.appendChild(el("li", stamp + " — " + t("order_status_" + entry.status, entry.status)));
    });
    root.appendChild(history);
  }

  function fail() {
    root.textContent = "";
    root.appendChild(el("p", t("order_not_found", "Order not found."), "notice"));
  }

  var params = new URLSearchParams(window.location.search);
  if (root.hasAttribute("data-checkout-success")) {
    // Back from Stripe: the order of this session (recorded now if the webhook is
    // late), shown only to the browser that checked out. Without it, the page's own
    // words stand: the confirmation email is on its way.
    var session = params.get("session_id");
    if (!session) return;
    fetch("/api/orders/session/" + encodeURIComponent(session), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.status === 200 || response.status === 202 ? response.json() : null;
      })
      .then(function (body) {
        if (body && !body.order && body.status === "awaiting_payment") {
          /* A delayed method (SEPA…): submitted, not received; the page's words say paid. */
          root.appendChild(el("p", t("payment_pending_note", "Your payment is on its way."), "notice"));
          return;
        }
        if (!body || !body.order) return;
        show(body.order);
        var follow = el("a", t("order_follow", "Follow your order"), "button");
        follow.href = ((config.paths || {}).order || "/order/") + "?o=" +
          encodeURIComponent(body.order.order_id) + "&t=" + encodeURIComponent(body.token);
        root.appendChild(el("p")).appendChild(follow);
      })
      .catch(function () {});
    return;
  }
  var id = params.get("o");
  var token = params.get("t");
  if (!id || !token) {
    fail();
    return;
  }
  fetch("/api/orders/" + encodeURIComponent(id) + "?t=" + encodeURIComponent(token), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (body) {
      show(body.order);
    })
    .catch(fail);
})();
