"""Run a deploy: plan, seed stock, upload the catalog and the changed files, delete, invalidate."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from storefront.deploy import bucket, cdn, inventory
from storefront.deploy.manifest import (
    FileHeaders,
    LocalFile,
    collect_local_files,
    load_manifest,
    md5_of,
    parse_manifest,
)
from storefront.deploy.outputs import StackOutputs
from storefront.deploy.plan import SitePlan, plan_site

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

Say = Callable[[str], None]
UPLOAD_WORKERS = 8  # boto3 clients are thread-safe; S3 takes many parallel PUTs


@dataclass(frozen=True, slots=True)
class AwsClients:
    """The three services a deploy writes to."""

    s3: S3Client
    cloudfront: CloudFrontClient
    dynamodb: DynamoDBClient


@dataclass(frozen=True, slots=True)
class DeployResult:
    """What a deploy did (or, in a dry run, would do)."""

    plan: SitePlan
    catalog_changed: bool
    new_skus: tuple[str, ...]
    seeded: tuple[str, ...]
    kept: int
    invalidation_id: str | None
    dry_run: bool

    def summary(self) -> str:
        """One paragraph for the end of the run."""
        verb = "Would upload" if self.dry_run else "Uploaded"
        plan = self.plan
        lines = [
            f"{verb} {len(plan.uploads)} file(s) ({_size(plan.upload_bytes)}), "
            f"{'would delete' if self.dry_run else 'deleted'} {len(plan.deletes)}, "
            f"{plan.unchanged} unchanged.",
            f"Catalog snapshot: {'changed' if self.catalog_changed else 'unchanged'}.",
        ]
        if self.dry_run:
            lines.append(f"Stock: {len(self.new_skus)} new SKU(s) would be seeded.")
        else:
            lines.append(
                f"Stock: {len(self.seeded)} new SKU(s) seeded, {self.kept} already present."
            )
        paths = len(plan.invalidations)
        if self.invalidation_id:
            lines.append(f"CDN: invalidated {paths} path(s) ({self.invalidation_id}).")
        else:
            lines.append(f"CDN: {paths} path(s) {'to invalidate' if paths else 'unchanged'}.")
        return "\n".join(lines)


def _size(count: int) -> str:
    return f"{count / 1024:.1f} KiB" if count < 1 << 20 else f"{count / (1 << 20):.1f} MiB"


def deploy_build(
    out_dir: Path,
    outputs: StackOutputs,
    clients: AwsClients,
    *,
    dry_run: bool = False,
    say: Say = print,
) -> DeployResult:
    """Publish the build in `out_dir` (dist/) to the stack; with dry_run, only plan."""
    public_dir = out_dir / "public"
    catalog_path = out_dir / "catalog.json"
    manifest = load_manifest(out_dir / "manifest.json")
    local = collect_local_files(public_dir, manifest)
    stock = inventory.read_initial_stock(catalog_path)

    base_url = _store_base_url(catalog_path)
    if base_url and base_url.rstrip("/") != outputs.site_url.rstrip("/"):
        # Canonical links, hreflang, the sitemap and feeds all carry base_url.
        say(
            f"warning: the build's store.base_url is {base_url} but the stack serves "
            f"{outputs.site_url}; canonical links and the sitemap will point to {base_url}"
        )
    say(f"Comparing {len(local)} built file(s) with s3://{outputs.site_bucket} ...")
    remote = bucket.list_etags(clients.s3, outputs.site_bucket)
    previous_data = bucket.read_json(clients.s3, outputs.catalog_bucket, outputs.manifest_key)
    previous = (
        parse_manifest(previous_data, f"s3://{outputs.catalog_bucket}/{outputs.manifest_key}")
        if previous_data is not None
        else None
    )
    plan = plan_site(local, remote, previous, _deployed_md5(previous_data))
    catalog_changed = bucket.object_etag(
        clients.s3, outputs.catalog_bucket, outputs.catalog_key
    ) != md5_of(catalog_path)
    new_skus = tuple(
        sorted(set(stock) - inventory.existing_skus(clients.dynamodb, outputs.inventory_table))
    )
    _print_plan(plan, catalog_changed, new_skus, say)
    if dry_run:
        return DeployResult(plan, catalog_changed, new_skus, (), 0, None, dry_run=True)

    # Order matters: stock rows and prices exist before any page offers a new SKU;
    # assets exist before pages that use them; the CDN forgets old copies; old files
    # go only once no page an edge still serves links to them.
    seed = inventory.seed_stock(
        clients.dynamodb, outputs.inventory_table, {sku: stock[sku] for sku in new_skus}
    )
    if catalog_changed:
        say(f"catalog  s3://{outputs.catalog_bucket}/{outputs.catalog_key}")
        bucket.put_bytes(
            clients.s3,
            outputs.catalog_bucket,
            outputs.catalog_key,
            catalog_path.read_bytes(),
            "application/json",
        )
    _upload_all(clients.s3, outputs.site_bucket, plan, say)
    if plan.deletes_first:
        say(f"delete   {len(plan.deletes_first)} page(s) no longer built")
        bucket.delete_keys(clients.s3, outputs.site_bucket, list(plan.deletes_first))
    later = plan.deletes_after
    invalidation_id = None
    edges_current = True
    if plan.invalidations:
        invalidation_id = cdn.invalidate_paths(
            clients.cloudfront, outputs.distribution_id, list(plan.invalidations)
        )
        say(f"CDN      waiting for invalidation {invalidation_id} to reach every edge ...")
        # Edges keep pages for a day (the site cache policy's MinTTL): until they drop
        # the old ones, those still link to the old hashed assets, so deleting first
        # would serve unstyled pages and broken scripts.
        edges_current = cdn.wait_for_invalidation(
            clients.cloudfront, outputs.distribution_id, invalidation_id
        )
    if later and not edges_current:
        say(
            f"warning: invalidation {invalidation_id} is still in progress after "
            f"{cdn.WAIT_SECONDS} s; the {len(later)} file(s) no longer built stay "
            "until the next deploy removes them"
        )
    elif later:
        say(f"delete   {len(later)} file(s) no longer built")
        bucket.delete_keys(clients.s3, outputs.site_bucket, later)
    # Remember this build's headers (the next deploy notices header-only changes) and
    # bytes, once its edges are current: a deploy that stopped before (an error, a
    # cancelled job, an invalidation still running) leaves the record of the last
    # complete one, so the next deploy invalidates what this one uploaded.
    if edges_current:
        bucket.put_bytes(
            clients.s3,
            outputs.catalog_bucket,
            outputs.manifest_key,
            json.dumps(_manifest_json(manifest, local), sort_keys=True).encode("utf-8"),
            "application/json",
        )
    return DeployResult(
        plan, catalog_changed, new_skus, seed.seeded, seed.kept, invalidation_id, dry_run=False
    )


def _store_base_url(catalog_path: Path) -> str | None:
    """store.base_url of the catalog snapshot, if it has one."""
    snapshot = json.loads(catalog_path.read_text(encoding="utf-8"))
    store = snapshot.get("store") if isinstance(snapshot, dict) else None
    base_url = store.get("base_url") if isinstance(store, dict) else None
    return base_url if isinstance(base_url, str) else None


def _upload_all(s3: S3Client, site_bucket: str, plan: SitePlan, say: Say) -> None:
    """Upload in parallel, in two waves: every non-page file, then the pages."""
    waves = [
        [u for u in plan.uploads if not u.file.path.endswith(".html")],
        [u for u in plan.uploads if u.file.path.endswith(".html")],
    ]
    total = len(plan.uploads)
    done = 0
    with ThreadPoolExecutor(max_workers=UPLOAD_WORKERS) as pool:
        for wave in waves:
            futures = {pool.submit(bucket.upload_file, s3, site_bucket, u.file): u for u in wave}
            # A wave ends before the next starts: no page is up before its assets.
            for future in as_completed(futures):
                future.result()
                done += 1
                upload = futures[future]
                say(f"[{done}/{total}] uploaded {upload.file.path} ({upload.reason})")


def _manifest_json(manifest: dict[str, FileHeaders], local: list[LocalFile]) -> dict[str, object]:
    return {
        "files": {
            path: {"content_type": h.content_type, "cache_control": h.cache_control}
            for path, h in manifest.items()
        },
        "md5": {file.path: file.md5 for file in local},
    }


def _deployed_md5(previous_data: object) -> dict[str, str] | None:
    """Each file's MD5 as the last completed deploy left it; None from an older record."""
    md5 = previous_data.get("md5") if isinstance(previous_data, dict) else None
    if not isinstance(md5, dict):
        return None
    return {str(path): str(digest) for path, digest in md5.items()}


def _print_plan(plan: SitePlan, catalog_changed: bool, new_skus: tuple[str, ...], say: Say) -> None:
    for upload in plan.uploads:
        say(f"  + {upload.file.path} ({upload.reason})")
    for key in plan.deletes:
        say(f"  - {key}")
    if catalog_changed:
        say("  + catalog.json (catalog snapshot)")
    for sku in new_skus:
        say(f"  + stock for new SKU {sku}")
    for path in plan.invalidations:
        say(f"  ~ invalidate {path}")
    if plan.is_empty and not catalog_changed and not new_skus:
        say("  nothing to do: the stack already serves this build")
