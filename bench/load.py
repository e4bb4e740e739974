"""Load on the local shop: `python bench/load.py [--shoppers K] [--seconds T] [--stock S]`.

Starts `build.py serve` on a free port (or uses `--url` with `--state-dir`, the
folder serve runs in), gives one SKU fewer units than the shoppers will want
(`--stock`, through the merchant's inventory API on the shop's emulated
DynamoDB) and plenty to a few others, then runs K concurrent shoppers for T
seconds: add the scarce SKU and another to a fresh cart, check out, and pay
on the Checkout stand-in (which posts signed webhooks to the real webhook
function) or let the session expire. It prints requests/s, p50/p99 latency
per endpoint, answers by status, units sold against stock, and paid orders
against orders recorded against confirmation emails in /_dev/outbox.json.
The exit status is 1 if a unit was oversold or an order or email is missing
or doubled. Figures on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.stock import InventoryRecord

from bench.load_serve import ROOT, serve_example_shop
from bench.load_shopper import Tally, run_shoppers
from storefront.devserver.aws import LocalAws, find_local_aws

PLENTIFUL_SKUS = 12
PLENTY = 100_000


@dataclass
class LoadReport:
    """The figures of one run and every broken invariant found."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Requests that got no answer (reset, timeout): errors of the dev server, not of
    # consistency; the invariants are checked whatever happened to them.
    transport_errors: list[str] = field(default_factory=list)
    oversold: int = 0
    scarce_sold: int = 0
    paid: int = 0
    unsure: int = 0  # payments whose answer was lost (recorded at most once, checked)
    orders: int = 0
    emails: int = 0

    def say(self, line: str) -> None:
        """Add a line to the printed report."""
        self.lines.append(line)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (fraction in 0..1)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def _inventory(aws: LocalAws) -> DynamoDBInventory:
    return DynamoDBInventory(aws.client("dynamodb"), aws.tables["INVENTORY_TABLE"])


def _records(aws: LocalAws) -> dict[str, InventoryRecord]:
    return {record.sku: record for record in _inventory(aws).list_records()}


def _recorded_orders(aws: LocalAws) -> list[dict[str, Any]]:
    """Every order item (sk = ORDER) in the orders table, as plain values."""
    plain = TypeDeserializer()
    pages = aws.client("dynamodb").get_paginator("scan")
    orders = []
    for page in pages.paginate(TableName=aws.tables["ORDERS_TABLE"]):
        for item in page["Items"]:
            if item.get("sk", {}).get("S") == "ORDER":
                orders.append({key: plain.deserialize(value) for key, value in item.items()})
    return orders


def _outbox(url: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(url + "/_dev/outbox.json", timeout=30) as answer:  # noqa: S310
        emails: list[dict[str, Any]] = json.loads(answer.read())
    return emails


def _load_emails(url: str, expected: int, wait_s: float) -> list[dict[str, Any]]:
    """The outbox's emails to load shoppers, once `expected` arrived and no more follow."""
    deadline = time.monotonic() + wait_s
    seen = -1
    while True:
        emails = [e for e in _outbox(url) if any(a.endswith("@load.example") for a in e["to"])]
        settled = len(emails) == seen and len(emails) >= expected
        if settled or time.monotonic() > deadline:
            return emails
        seen = len(emails)
        time.sleep(2.0)  # the stream worker sends them in the background


def pick_skus(catalog: Path) -> tuple[str, list[str]]:
    """The scarce SKU and the plentiful ones, from the catalog snapshot."""
    skus = sorted(json.loads(catalog.read_text(encoding="utf-8"))["skus"])
    return skus[0], skus[1 : 1 + PLENTIFUL_SKUS]


def stock_up(aws: LocalAws, scarce: str, stock: int, plentiful: list[str]) -> None:
    """Give the scarce SKU `stock` units and the others plenty (a stock take)."""
    now = datetime.now(UTC)
    inventory = _inventory(aws)
    inventory.set_available(scarce, stock, now)
    for sku in plentiful:
        inventory.set_available(sku, PLENTY, now)


def _latency_lines(tally: Tally, report: LoadReport) -> None:
    report.say(f"{'endpoint':<10}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    for endpoint, values in sorted(tally.latencies_ms.items()):
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses[endpoint].items()))
        report.say(
            f"{endpoint:<10}{len(values):>7}{percentile(values, 0.5):>9.0f}"
            f"{percentile(values, 0.99):>9.0f}  {statuses}"
        )


def check_consistency(
    aws: LocalAws,
    url: str,
    tally: Tally,
    *,
    scarce: str,
    stock: int,
    before: dict[str, InventoryRecord],
    orders_before: set[str],
    report: LoadReport,
    email_wait_s: float = 60.0,
) -> None:
    """Compare what shoppers paid for with inventory, orders and the outbox, into `report`."""
    report.paid, report.unsure = len(tally.paid), len(tally.unsure)
    emails = _load_emails(url, len(tally.paid), email_wait_s)
    new_orders = [o for o in _recorded_orders(aws) if o["order_id"] not in orders_before]
    after = _records(aws)
    units: Counter[str] = Counter()
    for order in new_orders:
        for line in order["lines"]:
            units[str(line["sku"])] += int(line["quantity"])

    scarce_after = after[scarce]
    sold = scarce_after.sold - before[scarce].sold
    held = scarce_after.reserved - before[scarce].reserved
    report.scarce_sold = sold
    report.oversold = max(0, sold - stock)
    report.say(
        f"{scarce}: stock {stock}, sold {sold}, still held {held}, "
        f"available {scarce_after.available}; in paid orders {units[scarce]}; "
        f"oversold {report.oversold}"
    )
    if report.oversold or sold + held + scarce_after.available != stock:
        report.problems.append(f"{scarce}: sold {sold} + held {held} + available ≠ {stock}")
    for sku, record in after.items():
        if min(record.available, record.reserved, record.sold) < 0:
            report.problems.append(f"{sku}: negative counts {record}")
        delta = record.sold - before[sku].sold if sku in before else record.sold
        if delta != units[sku]:
            report.problems.append(f"{sku}: sold {delta} but paid orders hold {units[sku]}")

    by_session = Counter(str(o["session_id"]) for o in new_orders)
    report.orders = len(new_orders)
    for session in tally.paid:
        if by_session[session] != 1:
            report.problems.append(f"{session}: paid, {by_session[session]} order(s) recorded")
    for session in tally.expired:
        if by_session[session]:
            report.problems.append(f"{session}: expired, yet an order was recorded")
    per_address = Counter(address for email in emails for address in email["to"])
    report.emails = len(emails)
    for address in tally.paid.values():
        if per_address[address] != 1:
            report.problems.append(f"{address}: {per_address[address]} email(s) for one order")
    for session, address in tally.unsure.items():
        # A payment whose answer was lost: recorded and emailed at most once, and both or neither.
        if by_session[session] > 1 or by_session[session] != per_address[address]:
            report.problems.append(
                f"{session}: {by_session[session]} order(s), {per_address[address]} email(s)"
            )
    stray = set(per_address) - set(tally.paid.values()) - set(tally.unsure.values())
    if stray:
        report.problems.append(f"emails to shoppers who did not pay: {sorted(stray)[:5]}")
    report.say(
        f"paid orders {report.paid}, orders recorded {report.orders}, "
        f"confirmation emails {report.emails}, sessions let expire {len(tally.expired)}"
    )


def run_load(
    url: str,
    state_dir: Path,
    catalog: Path,
    *,
    shoppers: int,
    seconds: float,
    stock: int,
    abandon_rate: float = 0.2,
) -> LoadReport:
    """Stock up, run the shoppers, and check the outcome; the report holds figures and problems."""
    aws = find_local_aws(state_dir)
    if aws is None:
        raise SystemExit(f"no running local shop described under {state_dir}/.cache/")
    scarce, plentiful = pick_skus(catalog)
    stock_up(aws, scarce, stock, plentiful)
    before = _records(aws)
    orders_before = {str(o["order_id"]) for o in _recorded_orders(aws)}
    tally, wall_s = run_shoppers(
        url,
        shoppers=shoppers,
        seconds=seconds,
        scarce=scarce,
        plentiful=plentiful,
        abandon_rate=abandon_rate,
    )
    requests = sum(len(v) for v in tally.latencies_ms.values())
    report = LoadReport()
    report.say(f"{shoppers} shoppers for {seconds:.0f} s against {url}")
    report.say(f"{requests} requests in {wall_s:.1f} s: {requests / wall_s:.1f} requests/s")
    _latency_lines(tally, report)
    check_consistency(
        aws,
        url,
        tally,
        scarce=scarce,
        stock=stock,
        before=before,
        orders_before=orders_before,
        report=report,
    )
    report.transport_errors = list(tally.transport_errors)
    if tally.transport_errors:
        report.say(f"requests with no HTTP answer (status 0): {len(tally.transport_errors)}")
        report.lines += [f"  {e}" for e in tally.transport_errors[:5]]
    report.problems = [f"shopper saw: {f}" for f in tally.failures[:20]] + report.problems
    return report


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the load, print the report; 1 if an invariant broke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shoppers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--stock", type=int, default=10, help="units of the scarce SKU")
    parser.add_argument("--abandon-rate", type=float, default=0.2)
    parser.add_argument(
        "--url", help="a running local shop, whose stock this changes (default: start one)"
    )
    parser.add_argument("--state-dir", type=Path, default=Path.cwd(), help="where it runs")
    parser.add_argument("--catalog", type=Path, help="its catalog.json (with --url)")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {
        "shoppers": args.shoppers,
        "seconds": args.seconds,
        "stock": args.stock,
        "abandon_rate": args.abandon_rate,
    }
    if args.url:
        catalog = args.catalog or args.state_dir / "dist" / "catalog.json"
        report = run_load(args.url, args.state_dir, catalog, **options)
    else:
        with serve_example_shop(ROOT / "content") as (url, workdir):
            report = run_load(url, workdir, workdir / "dist" / "catalog.json", **options)
    print("\n".join(report.lines))
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    print("OK" if not report.problems else f"{len(report.problems)} problem(s)")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
