"""The four DynamoDB tables, with the key schemas of infra/template.yaml (docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table: the env var that names it, its keys, indexes, stream and TTL attribute."""

    env_var: str
    name: str  # local table name
    hash_key: str
    range_key: str | None = None
    stream_view: str | None = None  # "NEW_IMAGE" when a function consumes the stream
    ttl_attribute: str | None = None
    # (index name, hash key, range key) for each global secondary index
    indexes: tuple[tuple[str, str, str | None], ...] = ()
    attribute_types: tuple[tuple[str, str], ...] = ()  # attribute -> "S" | "N"

    def create_table_args(self) -> dict[str, Any]:
        """Keyword arguments for DynamoDB CreateTable (on-demand, like production)."""
        types = dict(self.attribute_types)
        used = {self.hash_key, *(k for k in (self.range_key,) if k)}
        for _, hash_key, range_key in self.indexes:
            used.update(k for k in (hash_key, range_key) if k)
        args: dict[str, Any] = {
            "TableName": self.name,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": _key_schema(self.hash_key, self.range_key),
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": types.get(name, "S")}
                for name in sorted(used)
            ],
        }
        if self.indexes:
            args["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index,
                    "KeySchema": _key_schema(hash_key, range_key),
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index, hash_key, range_key in self.indexes
            ]
        if self.stream_view:
            args["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": self.stream_view,
            }
        return args


def _key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


CARTS = TableSpec("CARTS_TABLE", "storefront-carts", "cart_id", ttl_attribute="expires_at")
INVENTORY = TableSpec("INVENTORY_TABLE", "storefront-inventory", "sku")
RESERVATIONS = TableSpec(
    "RESERVATIONS_TABLE",
    "storefront-reservations",
    "reservation_id",
    ttl_attribute=None,
    indexes=(("status-expires_at", "status", "expires_at"),),
    attribute_types=(("expires_at", "N"),),
)
ORDERS = TableSpec(
    "ORDERS_TABLE",
    "storefront-orders",
    "pk",
    "sk",
    stream_view="NEW_IMAGE",
    ttl_attribute="expires_at",
)

TABLES: tuple[TableSpec, ...] = (CARTS, INVENTORY, RESERVATIONS, ORDERS)
