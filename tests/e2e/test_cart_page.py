"""The cart page and live stock in a real browser: quantities, removal, save for later, money."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from storefront.cli import main
from tests.e2e.conftest import Shop, save_screenshots
from tests.e2e.journey import add_to_cart, choose_variant, expect_cart_count
from tests.e2e.shop_data import Pick, single_sku_product
from tests.e2e.test_accessibility import blocking_violations

pytestmark = pytest.mark.e2e


def euros(amount: int) -> str:
    """How en-GB's Intl.NumberFormat writes an EUR amount: €1,234.50."""
    return f"€{amount / 100:,.2f}"


def low_stock_variant(snapshot: dict[str, Any]) -> tuple[Pick, int]:
    """A SKU with 1 to threshold units left, and that count."""
    threshold = snapshot["store"]["low_stock_threshold"]
    for entry in sorted(snapshot["skus"].values(), key=lambda e: e["sku"]):
        if 1 <= entry["initial_stock"] <= threshold:
            pick = Pick(
                entry["product"],
                entry["urls"]["en"],
                entry["titles"]["en"],
                entry["sku"],
                entry["price"]["amount"],
            )
            return pick, entry["initial_stock"]
    raise LookupError("the example shop has no low-stock SKU")


def test_cart_page_changes_quantity_saves_for_later_and_removes(page: Page, shop: Shop) -> None:
    snapshot = shop.snapshot()
    threshold = snapshot["shipping"]["free_threshold"]["amount"]
    product = single_sku_product(snapshot, below=threshold // 3)

    # Given one unit in the cart
    page.goto(product.url)
    add_to_cart(page, product.sku)
    expect_cart_count(page, 1)

    # When the shopper opens the cart
    page.goto("/cart/")
    line = page.locator(f'[data-line-sku="{product.sku}"]')
    expect(line.locator(".cart-line-title")).to_have_text(product.title)
    expect(page.locator("[data-cart-subtotal]")).to_have_text(euros(product.price))
    expect(page.locator(".free-shipping")).to_contain_text(euros(threshold - product.price))
    save_screenshots(page, "cart")

    # and sets the quantity to 2, the totals and the header follow
    line.locator("input[data-quantity]").fill("2")
    line.locator("input[data-quantity]").press("Enter")
    expect(page.locator("[data-cart-subtotal]")).to_have_text(euros(2 * product.price))
    expect(line.locator(".cart-line-total [data-amount]")).to_have_text(euros(2 * product.price))
    # Named for screen readers, not a bare amount
    expect(line.locator(".cart-line-total")).to_have_text(f"Line total {euros(2 * product.price)}")
    expect(line.locator(".cart-line-unit")).to_have_text(f"Unit price {euros(product.price)}")
    expect_cart_count(page, 2)

    # Save for later moves it out of the cart; "Move to cart" brings it back
    line.get_by_role("button", name="Save for later").click()
    saved = page.locator(f'.cart-saved [data-line-sku="{product.sku}"]')
    expect(saved).to_be_visible()
    expect_cart_count(page, 0)
    saved.get_by_role("button", name="Move to cart").click()
    expect(page.locator(f'.cart-layout [data-line-sku="{product.sku}"]')).to_be_visible()
    expect_cart_count(page, 2)

    # Remove empties the cart, and it stays empty after a reload
    page.locator(f'[data-line-sku="{product.sku}"]').get_by_role("button", name="Remove").click()
    expect(page.locator(".cart-empty")).to_be_visible()
    page.reload()
    expect(page.locator(".cart-empty")).to_be_visible()
    expect_cart_count(page, 0)


def test_a_refused_quantity_is_shown_beside_its_box_and_changes_are_said_once_done(
    page: Page, shop: Shop
) -> None:
    product = _one_in_the_cart(page, shop)
    line = page.locator(f'[data-line-sku="{product.sku}"]')
    status = page.locator("[role=status][aria-live=polite]").first
    status.evaluate("node => { node.dataset.kept = 'yes'; }")
    box = line.locator("input[data-quantity]")
    expect(line.get_by_text("Quantity", exact=True)).to_be_visible()  # a visible label

    # A quantity that is no whole number: said beside the box, tied to it, not sent
    box.fill("2.5")
    box.press("Enter")

    note = line.locator(".cart-line-note")
    expect(note).to_have_text("Enter a whole number from 0 to 10.")
    expect(note).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_attribute("aria-describedby", str(note.get_attribute("id")))
    expect(box).to_have_value("1")
    expect(box).to_be_focused()

    # The next edit clears it; a removal is said as done, by the same live region
    box.fill("2")
    box.press("Enter")
    expect(page.locator("[data-cart-subtotal]")).to_have_text(euros(2 * product.price))
    expect(note).to_have_count(0)
    line.get_by_role("button", name="Remove").click()
    expect(status).to_have_text(f"Removed: {product.title}.")
    expect(status).to_have_attribute("data-kept", "yes")  # never removed and put back


def test_french_cart_shows_french_titles_and_french_money(page: Page, shop: Shop) -> None:
    snapshot = shop.snapshot()
    product = single_sku_product(snapshot)
    entry = snapshot["skus"][product.sku]
    page.goto(entry["urls"]["fr"])
    add_to_cart(page, product.sku)
    expect_cart_count(page, 1)
    page.goto("/fr/cart/")
    line = page.locator(f'[data-line-sku="{product.sku}"]')
    expect(line.locator(".cart-line-title")).to_have_text(entry["titles"]["fr"])
    expect(line.locator(".cart-line-title")).to_have_attribute("href", entry["urls"]["fr"])
    # fr formats 89.90 EUR as "89,90 €" (with a narrow no-break space before €)
    amount = f"{product.price // 100},{product.price % 100:02d}"
    expect(page.locator("[data-cart-subtotal]")).to_have_text(re.compile(rf"^{amount}\s€$"))


def test_low_stock_shows_only_n_left_and_limits_the_quantity(page: Page, shop: Shop) -> None:
    pick, left = low_stock_variant(shop.snapshot())
    page.goto(pick.url)
    choose_variant(page, pick.sku)
    expect(page.locator("[data-stock]")).to_have_text(f"Only {left} left")
    expect(page.locator("[data-stock]")).to_have_class(re.compile(r"\bstock--low\b"))
    expect(page.locator('form[data-add-to-cart] input[name="quantity"]')).to_have_attribute(
        "max", str(left)
    )


def test_stock_sold_meanwhile_is_refused_with_what_is_left(
    page: Page, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    pick, left = low_stock_variant(shop.snapshot())
    page.goto(pick.url)
    choose_variant(page, pick.sku)
    expect(page.locator("[data-stock]")).to_have_text(f"Only {left} left")
    # Given the merchant takes stock down to 1 while the page is open
    # (`stock` finds the running shop through its .cache/local-aws.json)
    monkeypatch.chdir(shop.out_dir.parent)
    assert main(["stock", "set", pick.sku, "1"]) == 0
    try:
        # When the shopper asks for 2, which the page still allows
        add_to_cart(page, pick.sku, quantity=2)
        # Then the server refuses, and the page says how many are left
        feedback = page.locator("[data-cart-feedback]")
        expect(feedback).to_have_text("Only 1 left")
        expect(feedback).to_have_class(re.compile(r"\bcart-feedback--error\b"))
        expect(page.locator("[data-stock]")).to_have_text("Only 1 left")
        expect_cart_count(page, 0)
    finally:
        assert main(["stock", "set", pick.sku, str(left)]) == 0


def test_a_quantity_of_zero_is_announced_as_a_removal(page: Page, shop: Shop) -> None:
    product = _one_in_the_cart(page, shop)
    box = page.locator(f'[data-line-sku="{product.sku}"] input[data-quantity]')
    box.fill("0")
    box.press("Enter")
    expect(page.locator(".cart-empty")).to_be_visible()
    status = page.locator("[role=status][aria-live=polite]").first
    expect(status).to_have_text(f"Removed: {product.title}.")


def test_checking_out_a_cart_emptied_meanwhile_says_so_not_try_again(
    page: Page, shop: Shop
) -> None:
    # Given a cart page open with one line, and the cart emptied elsewhere (an order paid
    # in another tab empties it)
    product = _one_in_the_cart(page, shop)
    expect(page.locator(f'[data-line-sku="{product.sku}"]')).to_be_visible()
    status = page.evaluate(
        "sku => fetch('/api/cart/items/' + sku, {method: 'DELETE'}).then(r => r.status)",
        product.sku,
    )
    assert status == 200
    # When the shopper checks out from the page still showing it
    page.locator("[data-checkout]").click()
    # Then the page says there is nothing to pay, not to try again
    expect(page.locator(".cart-error")).to_have_text(
        "Your cart is empty, so there is nothing to pay: an order placed in another tab or "
        "window empties it."
    )
    expect(page.locator(".cart-empty")).to_be_visible()


def test_sold_out_choice_disables_add_to_cart(
    page: Page, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    pick, left = low_stock_variant(shop.snapshot())
    monkeypatch.chdir(shop.out_dir.parent)
    assert main(["stock", "set", pick.sku, "0"]) == 0
    try:
        page.goto(pick.url)
        choose_variant(page, pick.sku)
        expect(page.locator("[data-stock]")).to_have_text("Out of stock")
        expect(page.locator("form[data-add-to-cart] [data-add-button]")).to_be_disabled()
    finally:
        assert main(["stock", "set", pick.sku, str(left)]) == 0


def _one_option_variant(snapshot: dict[str, Any], in_stock: bool) -> tuple[str, str, int]:
    """(page URL, SKU, units) of a variant in or out of stock of a product with one option."""
    by_product: dict[str, list[dict[str, Any]]] = {}
    for entry in snapshot["skus"].values():
        by_product.setdefault(entry["urls"]["en"], []).append(entry)
    for url, entries in sorted(by_product.items()):
        for entry in sorted(entries, key=lambda e: e["sku"]):
            one_option = len(entries) > 1 and len(entry["options"]) == 1
            if one_option and (entry["initial_stock"] > 0) == in_stock:
                return url, entry["sku"], entry["initial_stock"]
    raise LookupError("the example shop has no such variant of a product with one option")


@pytest.mark.parametrize(
    ("built_in_stock", "now", "name"),
    [(True, 0, re.compile(r", Out of stock$")), (False, 5, re.compile(r"^\w+$"))],
)
def test_a_variants_stock_since_the_build_is_said_not_only_shown(
    page: Page,
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
    built_in_stock: bool,
    now: int,
    name: re.Pattern[str],
) -> None:
    # Its accessible name kept the built page's word while the strike-through changed:
    # a screen reader user chose a sold-out size, or heard "sold out" for one on sale.
    url, sku, units = _one_option_variant(shop.snapshot(), built_in_stock)
    monkeypatch.chdir(shop.out_dir.parent)
    assert main(["stock", "set", sku, str(now)]) == 0
    try:
        page.goto(url)
        expect(page.locator(f"#variant-{sku}")).to_have_accessible_name(name)
    finally:
        assert main(["stock", "set", sku, str(units)]) == 0


def test_adding_confirms_with_a_link_to_the_cart(page: Page, shop: Shop) -> None:
    product = single_sku_product(shop.snapshot())
    page.goto(product.url)
    add_to_cart(page, product.sku, quantity=2)
    feedback = page.locator("[data-cart-feedback]")
    expect(feedback).to_contain_text("Added to cart")
    expect(feedback.get_by_role("link")).to_have_attribute("href", "/cart/")
    expect(page.locator("[data-cart-link]")).to_have_attribute("aria-label", "2 items in your cart")


def test_adding_with_the_keyboard_keeps_the_focus_on_the_button(page: Page, shop: Shop) -> None:
    # A button disabled while its request ran dropped the focus to <body>: a screen
    # reader lost its place, and the next Tab started from the top of the page.
    product = single_sku_product(shop.snapshot())
    page.goto(product.url)
    page.evaluate(
        """() => { window.focusLost = false; document.addEventListener('focusout', e => {
             if (e.target.matches('[data-add-button]') && !e.relatedTarget) window.focusLost = true;
           }); }"""
    )
    button = page.locator("form[data-add-to-cart] [data-add-button]")
    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # pressed again while the first add is on its way

    expect(page.locator("[data-cart-feedback]")).to_contain_text("Added to cart")
    expect(button).to_be_focused()
    assert page.evaluate("window.focusLost") is False
    expect_cart_count(page, 1)  # the second press, sent while busy, added nothing


def test_filled_cart_with_saved_items_has_no_serious_accessibility_violation(
    page: Page, shop: Shop
) -> None:
    snapshot = shop.snapshot()
    first = single_sku_product(snapshot)
    page.goto(first.url)
    add_to_cart(page, first.sku, quantity=2)
    expect_cart_count(page, 2)
    page.goto("/cart/")
    page.locator(f'[data-line-sku="{first.sku}"]').get_by_role(
        "button", name="Save for later"
    ).click()
    expect(page.locator(".cart-saved")).to_be_visible()
    page.goto(first.url)
    add_to_cart(page, first.sku, quantity=1)
    expect_cart_count(page, 1)
    page.goto("/cart/")
    expect(page.locator(".cart-saved")).to_be_visible()
    expect(page.locator(".cart-layout")).to_be_visible()
    page.wait_for_load_state("networkidle")
    save_screenshots(page, "cart-with-saved")
    assert blocking_violations(page) == []


def test_cart_line_above_the_stock_left_is_flagged_and_can_be_lowered(
    page: Page, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = shop.snapshot()
    product = single_sku_product(snapshot)
    initial = snapshot["skus"][product.sku]["initial_stock"]
    page.goto(product.url)
    add_to_cart(page, product.sku, quantity=3)
    expect_cart_count(page, 3)
    # Given the merchant's stock take leaves 1 unit while 3 sit in the cart
    monkeypatch.chdir(shop.out_dir.parent)
    assert main(["stock", "set", product.sku, "1"]) == 0
    try:
        page.goto("/cart/")
        line = page.locator(f'[data-line-sku="{product.sku}"]')
        expect(line.locator(".stock")).to_have_text("Only 1 left")
        # When the shopper lowers the line to what is left, the warning goes
        line.locator("input[data-quantity]").fill("1")
        line.locator("input[data-quantity]").press("Enter")
        expect_cart_count(page, 1)
        expect(line.locator(".stock")).to_have_text("Only 1 left")  # still low stock
        line.locator("input[data-quantity]").fill("2")
        line.locator("input[data-quantity]").press("Enter")
        # Said under the cart, away from the line: it names the item
        expect(page.locator(".cart-error")).to_have_text(
            f"Only 1 left of {product.title}; your cart was not changed."
        )
        expect_cart_count(page, 1)
    finally:
        assert main(["stock", "set", product.sku, str(initial)]) == 0


def test_another_sites_form_post_leaves_the_cart_and_its_cookie_alone(
    page: Page, shop: Shop
) -> None:
    product = single_sku_product(shop.snapshot())
    other = next(p for p in shop.snapshot()["skus"].values() if p["sku"] != product.sku)

    # Given a shopper with one item in their cart
    page.goto(product.url)
    add_to_cart(page, product.sku)
    expect_cart_count(page, 1)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "cart_id"]

    # When a page on another site auto-submits the product form (no JavaScript path)
    attack = f"""<!doctype html><title>Win a prize</title>
      <form method="post" action="{shop.url}/api/cart/items">
        <input name="sku" value="{other["sku"]}"><input name="quantity" value="3">
      </form><script>document.forms[0].submit()</script>"""
    page.context.route(
        "http://prizes.test/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=attack),
    )
    page.goto("http://prizes.test/")

    # Then the shopper lands on their own cart, told once that nothing was added
    expect(page.locator(".cart-error")).to_have_text(
        "A page on another site tried to add to your cart; nothing was added."
    )
    expect(page.locator(f'[data-line-sku="{product.sku}"]')).to_be_visible()
    expect(page.locator(f'[data-line-sku="{other["sku"]}"]')).to_have_count(0)
    expect_cart_count(page, 1)
    expect(page).to_have_url(f"{shop.url}/cart/")  # the flag is said once, then dropped
    assert [c for c in page.context.cookies() if c["name"] == "cart_id"] == [cookie]


def test_a_refused_form_post_without_javascript_says_why_on_the_cart_page(
    page: Page, shop: Shop
) -> None:
    pick, left = low_stock_variant(shop.snapshot())
    label = shop.snapshot()["skus"][pick.sku].get("variant_labels", {}).get("en")
    item = f"{pick.title}, {label}" if label else pick.title

    # Given a shopper whose cart holds every unit left of a SKU
    page.goto(pick.url)
    add_to_cart(page, pick.sku, quantity=left)
    expect_cart_count(page, left)

    # When the product form posts one more the way it does without JavaScript
    # (form.submit() fires no submit event, so site.js does not take it over)
    form = page.locator("form[data-add-to-cart]")
    form.locator('input[name="quantity"]').fill("1")
    form.evaluate("form => HTMLFormElement.prototype.submit.call(form)")

    # Then the cart page says why in words, once, and the cart is as it was
    expect(page.locator(".cart-error")).to_have_text(
        f"Only {left} left of {item}; your cart was not changed."
    )
    expect(page).to_have_url(f"{shop.url}/cart/")
    line = page.locator(f'[data-line-sku="{pick.sku}"]')
    expect(line.locator("input[data-quantity]")).to_have_value(str(left))
    expect_cart_count(page, left)


def test_quantities_above_the_line_limit_or_in_exponent_form_are_taken_as_meant(
    page: Page, shop: Shop
) -> None:
    product = single_sku_product(shop.snapshot(), minimum=10)
    page.goto(product.url)

    # The product page's field stops at the line limit (the cart takes 10 of one item)
    form = page.locator("form[data-add-to-cart]")
    quantity = form.locator('input[name="quantity"]')
    expect(quantity).to_have_attribute("max", "10")
    # "2e0" is 2 (parseInt read "1e1" as 1)
    quantity.fill("2e0")
    form.locator("[data-add-button]").click()
    expect_cart_count(page, 2)

    # On the cart page, 99 becomes the most the line can hold, not an error
    page.goto("/cart/")
    line = page.locator(f'[data-line-sku="{product.sku}"]')
    line.locator("input[data-quantity]").fill("99")
    line.locator("input[data-quantity]").press("Enter")
    expect(line.locator("input[data-quantity]")).to_have_value("10")
    expect(line.locator(".cart-line-total [data-amount]")).to_have_text(euros(10 * product.price))
    expect(page.locator(".cart-error")).to_have_text("")
    expect_cart_count(page, 10)

    # and "1e0" is 1
    line.locator("input[data-quantity]").fill("1e0")
    line.locator("input[data-quantity]").press("Enter")
    expect(line.locator(".cart-line-total [data-amount]")).to_have_text(euros(product.price))
    expect_cart_count(page, 1)


def _two_option_variant(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A well-stocked SKU, not its product's first, of a product with two options."""
    by_product: dict[str, list[dict[str, Any]]] = {}
    for entry in snapshot["skus"].values():
        by_product.setdefault(entry["product"], []).append(entry)
    for entries in by_product.values():
        if len(entries[0].get("options", {})) == 2 and len(entries) > 2:
            stocked = [e for e in entries[1:] if e["initial_stock"] >= 2]
            if stocked:
                return stocked[-1]
    raise LookupError("the example shop has no well-stocked product with two options")


def test_without_javascript_add_to_cart_adds_the_options_the_shopper_chose(
    browser: Browser, shop: Shop
) -> None:
    wanted = _two_option_variant(shop.snapshot())
    context = browser.new_context(base_url=shop.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(wanted["urls"]["en"])

    # The shopper picks each option (the labels are the controls), then adds
    for name, value in wanted["options"].items():
        page.locator(f'input[name="option-{name}"][value="{value}"]').check(force=True)
    page.locator("form[data-add-to-cart] [data-add-button]").click()

    # The cart holds that variant, not the one the page preselected, and the page says
    # it was added (the cart itself needs JavaScript to show)
    expect(page).to_have_url(f"{shop.url}/cart/#added")
    expect(page.locator("#added")).to_be_visible()
    expect(page.locator(".cart-outcome--refused").first).to_be_hidden()
    cart = page.request.get(f"{shop.url}/api/cart").json()
    assert [(line["sku"], line["quantity"]) for line in cart["items"]] == [(wanted["sku"], 1)]
    # and the cart page does not say "Loading your cart…" forever above its notice that it
    # needs JavaScript (the notice is a <noscript>, which emulation does not render)
    expect(page.get_by_text("Loading your cart…")).to_be_hidden()
    context.close()


def test_without_javascript_a_refused_add_says_why_not_like_a_success(
    browser: Browser, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It landed on the same "your cart needs JavaScript" page as an accepted one.
    pick = single_sku_product(shop.snapshot())
    left = shop.snapshot()["skus"][pick.sku]["initial_stock"]
    monkeypatch.chdir(shop.out_dir.parent)
    assert main(["stock", "set", pick.sku, "0"]) == 0  # sold since the page was built
    context = browser.new_context(base_url=shop.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(pick.url)
        page.locator("form[data-add-to-cart] [data-add-button]").click()

        expect(page).to_have_url(re.compile(r"/cart/\?error=out_of_stock.*#refused-out_of_stock$"))
        expect(page.locator("#refused-out_of_stock")).to_have_text(
            "Not enough stock left; your cart was not changed."
        )
        expect(page.locator("#added")).to_be_hidden()
    finally:
        context.close()
        assert main(["stock", "set", pick.sku, str(left)]) == 0


def _one_in_the_cart(page: Page, shop: Shop) -> Pick:
    """Add one unit of a well-stocked product, then open the cart page."""
    product = single_sku_product(shop.snapshot())
    page.goto(product.url)
    add_to_cart(page, product.sku)
    expect_cart_count(page, 1)
    page.goto("/cart/")
    return product


def test_checkout_right_after_a_quantity_edit_waits_for_it_then_checks_out(
    page: Page, shop: Shop
) -> None:
    # Clicking Checkout takes focus off the quantity box, which sends the quantity; the
    # click arrived while that change was on its way and was dropped without a word.
    product = _one_in_the_cart(page, shop)
    line = page.locator(f'[data-line-sku="{product.sku}"]')
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(f"{r.method} {r.url.split('/api/', 1)[-1].split('?')[0]}"),
    )

    line.locator("input[data-quantity]").fill("2")
    page.get_by_role("button", name="Checkout").click()

    expect(page).to_have_url(re.compile(r"/_dev/checkout/cs_"))
    changes = [s for s in sent if not s.startswith("GET")]
    assert changes == [f"PATCH cart/items/{product.sku}", "POST checkout"]
    expect(page.get_by_text("2 ×").first).to_be_visible()  # the stand-in bills the 2


def test_quick_quantity_steps_all_count_and_focus_stays_in_the_cart(page: Page, shop: Shop) -> None:
    # A step made while the previous one was on its way was thrown away (4 shown, 2 kept);
    # after Remove, focus fell to the page's <body>.
    product = _one_in_the_cart(page, shop)
    quantity = page.locator(f'[data-line-sku="{product.sku}"] input[data-quantity]')
    expect(quantity).to_have_value("1")

    for value in ("2", "3", "4"):
        quantity.fill(value)
        quantity.dispatch_event("change")

    expect(page.locator("[data-cart-subtotal]")).to_have_text(euros(4 * product.price))
    expect_cart_count(page, 4)
    page.reload()
    expect(quantity).to_have_value("4")

    page.locator(f'[data-line-sku="{product.sku}"]').get_by_role("button", name="Remove").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".cart-empty")).to_be_visible()
    assert page.evaluate("document.activeElement.tagName") == "H1"


def test_back_from_checkout_the_cart_counts_the_units_it_holds_as_its_own(
    page: Page, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With 5 in stock and 3 held for this cart's checkout, the cart said "Only 2 left"
    # and refused 4, though the next checkout gives the hold back first.
    snapshot = shop.snapshot()
    product = single_sku_product(snapshot)
    initial = snapshot["skus"][product.sku]["initial_stock"]
    monkeypatch.chdir(shop.out_dir.parent)
    assert main(["stock", "set", product.sku, "5"]) == 0
    try:
        page.goto(product.url)
        add_to_cart(page, product.sku, quantity=3)
        expect_cart_count(page, 3)
        page.goto("/cart/")
        page.get_by_role("button", name="Checkout").click()
        expect(page).to_have_url(re.compile(r"/_dev/checkout/cs_"))
        session = page.url

        page.go_back()  # the shopper leaves Stripe's page without paying
        line = page.locator(f'[data-line-sku="{product.sku}"]')
        expect(line.locator("input[data-quantity]")).to_have_value("3")
        expect(line.locator(".stock")).to_have_count(0)  # no false "Only 2 left"
        line.locator("input[data-quantity]").fill("5")
        line.locator("input[data-quantity]").press("Enter")
        expect_cart_count(page, 5)
        expect(page.locator("[role=status]").first).to_contain_text(f"{product.title}: quantity 5.")
    finally:
        page.goto(session)
        page.get_by_role("button", name=re.compile("expire", re.I)).click()
        expect(page).not_to_have_url(re.compile(r"/_dev/checkout/"))
        assert main(["stock", "set", product.sku, str(initial)]) == 0


def test_fast_arrow_steps_on_a_quantity_all_count(page: Page, shop: Shop) -> None:
    # Each answer redrew the box, and a press on it counted from a value still catching
    # up: four presses from 1 ended at 3 or 4.
    product = _one_in_the_cart(page, shop)
    quantity = page.locator(f'[data-line-sku="{product.sku}"] input[data-quantity]')
    expect(quantity).to_have_value("1")

    quantity.focus()
    for _ in range(4):
        page.keyboard.press("ArrowUp")
        page.wait_for_timeout(25)  # a quick hand: answers arrive between the presses

    expect(page.locator("[data-cart-subtotal]")).to_have_text(euros(5 * product.price))
    expect_cart_count(page, 5)
    page.reload()
    expect(quantity).to_have_value("5")


def test_a_line_removed_in_another_tab_is_said_and_the_cart_shown_as_it_is(
    page: Page, shop: Shop
) -> None:
    product = _one_in_the_cart(page, shop)
    other = page.context.new_page()
    other.goto("/cart/")
    other.locator(f'[data-line-sku="{product.sku}"]').get_by_role("button", name="Remove").click()
    expect(other.locator(".cart-empty")).to_be_visible()
    other.close()

    line = page.locator(f'[data-line-sku="{product.sku}"]')
    line.locator("input[data-quantity]").fill("3")
    line.locator("input[data-quantity]").press("Enter")

    expect(page.locator(".cart-error")).to_have_text(re.compile("no longer in your cart"))
    expect(page.locator(".cart-empty")).to_be_visible()  # not the line it no longer has


def test_adding_past_the_line_limit_says_so_not_try_again(page: Page, shop: Shop) -> None:
    product = single_sku_product(shop.snapshot(), minimum=11)
    page.goto(product.url)
    add_to_cart(page, product.sku, quantity=10)
    expect_cart_count(page, 10)

    add_to_cart(page, product.sku, quantity=1)

    feedback = page.locator("form[data-add-to-cart] [data-cart-feedback]")
    expect(feedback).to_have_text("Too many of this item.")


def _a_value_out_only_with_another(snapshot: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """(product url, option A, value a, option B, value b): b is sold out with a, not without."""
    by_product: dict[str, list[dict[str, Any]]] = {}
    for entry in snapshot["skus"].values():
        by_product.setdefault(entry["urls"]["en"], []).append(entry)
    for url, entries in sorted(by_product.items()):
        names = sorted(entries[0]["options"])
        if len(names) != 2:
            continue
        a_name, b_name = names
        for entry in entries:
            a, b = entry["options"][a_name], entry["options"][b_name]
            elsewhere = [e for e in entries if e["options"][b_name] == b and e is not entry]
            if entry["initial_stock"] == 0 and any(e["initial_stock"] > 0 for e in elsewhere):
                return url, a_name, a, b_name, b
    raise LookupError("no product has a value sold out with one choice only")


def _option_label(page: Page, name: str, value: str) -> Locator:
    group = page.locator(f'form[data-add-to-cart] [data-option-group="{name}"]')
    control = group.locator(f'input[value="{value}"]').get_attribute("id")
    return group.locator(f'label[for="{control}"]')


def test_a_value_sold_out_for_the_chosen_option_is_said_not_only_struck(
    page: Page, shop: Shop
) -> None:
    # Struck through on screen, the size was read as plain "38" with the grey chosen.
    url, a_name, a, b_name, b = _a_value_out_only_with_another(shop.snapshot())
    page.goto(url)

    _option_label(page, a_name, a).click()

    label = _option_label(page, b_name, b)
    expect(label).to_have_class(re.compile("variant-label--out"))
    expect(label).to_have_text(re.compile(r", Out of stock$"))


def test_checkout_right_after_edits_on_two_lines_sends_both_then_checks_out(
    page: Page, shop: Shop
) -> None:
    # Two edits waiting for the arrows to stop: sending the first sent the second from
    # inside the loop, which then called a send no longer there; Checkout hung.
    snapshot = shop.snapshot()
    singles = sorted(
        (e for e in snapshot["skus"].values() if e["initial_stock"] >= 10),
        key=lambda e: e["sku"],
    )
    by_product: dict[str, list[dict[str, Any]]] = {}
    for entry in singles:
        by_product.setdefault(entry["product"], []).append(entry)
    first, second = [entries[0] for entries in by_product.values()][:2]
    for count, entry in enumerate((first, second), start=1):
        page.goto(entry["urls"]["en"])
        add_to_cart(page, entry["sku"])
        expect_cart_count(page, count)
    page.goto("/cart/")

    for entry, value in ((first, "2"), (second, "3")):
        box = page.locator(f'[data-line-sku="{entry["sku"]}"] input[data-quantity]')
        box.fill(value)
        box.dispatch_event("change")
    page.get_by_role("button", name="Checkout").click()

    expect(page).to_have_url(re.compile(r"/_dev/checkout/cs_"))
    expect(page.get_by_text("2 ×").first).to_be_visible()
    expect(page.get_by_text("3 ×").first).to_be_visible()
