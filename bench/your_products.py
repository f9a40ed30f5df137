"""Benchmark of the admin center's "Your products" page for a tenant with 100,000 subscriptions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seatwise_bench .venv/bin/python bench/your_products.py

Creates (once) a tenant "Bench Corp" with 5,000 members and 100,000 subscriptions, then requests the
page through Django's test client as its global admin: the whole request (middleware, filters, table,
template) is timed, its SQL queries counted, and the slowest view's main query is EXPLAINed.
`--without-indexes` runs the same views after dropping the indexes of purchases 0002 inside a
transaction that is rolled back. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from purchases.demo import seed_catalog  # noqa: E402
from purchases.models import BillingPeriod, Channel, Price, Product, Subscription  # noqa: E402
from tenants.models import Membership, Tenant, User  # noqa: E402

TENANT_SLUG = "bench-corp"
DOMAIN = "bench.example"
ADMIN_EMAIL = f"admin@{DOMAIN}"
MEMBERS = 5_000
SUBSCRIPTIONS = 100_000
BATCH = 5_000
RUNS = 5
# The indexes migration purchases 0002 adds (dropped, inside a rolled-back transaction, by --without-indexes).
OUR_INDEX_FIELDS = [
    ["tenant", "channel", "created_at", "id"],
    ["tenant", "channel", "term_end", "id"],
    ["tenant", "created_at", "id"],
    ["tenant", "term_end", "id"],
    ["tenant", "seats", "id"],
    ["tenant", "seats_assigned", "id"],
    ["tenant", "amount_per_term", "id"],
    ["tenant", "status", "id"],
    ["tenant", "product", "id"],
]
CHANNEL_MIX = [(Channel.SELF_SERVICE, 70), (Channel.CENTRAL, 20), (Channel.PARTNER, 10)]
STATUS_MIX = [
    (Subscription.Status.ACTIVE, 78),
    (Subscription.Status.TRIAL, 5),
    (Subscription.Status.PAST_DUE, 3),
    (Subscription.Status.EXPIRED, 4),
    (Subscription.Status.DISABLED, 2),
    (Subscription.Status.CANCELLED, 7),
    (Subscription.Status.DELETED, 1),
]
FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kim", "Lev", "Mia", "Noor"]
LAST_NAMES = ["Berg", "Chen", "Diaz", "Eze", "Fox", "Gray", "Holm", "Ito", "Jain", "Kaur", "Lund", "Moss", "Nagy"]


# Data -----------------------------------------------------------------------------------------------------------


def bench_tenant() -> Tenant:
    """The bench tenant with its admin, members and subscriptions; made once, reused after."""
    seed_catalog()
    tenant, _ = Tenant.objects.get_or_create(
        slug=TENANT_SLUG,
        defaults={"name": "Bench Corp", "kind": Tenant.Kind.COMMERCIAL, "country": "US", "currency": "USD"},
    )
    admin, _ = User.objects.get_or_create(email=ADMIN_EMAIL, defaults={"full_name": "Bench Admin"})
    Membership.objects.get_or_create(user=admin, tenant=tenant, defaults={"is_global_admin": True})
    members = _members(tenant)
    have = Subscription.objects.filter(tenant=tenant).count()
    if have < SUBSCRIPTIONS:
        _subscriptions(tenant, members, SUBSCRIPTIONS - have)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Subscription._meta.db_table}")
    return tenant


def _members(tenant: Tenant) -> list[Membership]:
    existing = list(Membership.objects.filter(tenant=tenant, is_global_admin=False))
    if len(existing) >= MEMBERS:
        return existing
    rng = random.Random(7)
    users = User.objects.bulk_create(
        [
            User(
                email=f"member{n:05d}@{DOMAIN}",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n:05d}",
                password="!",
            )
            for n in range(len(existing), MEMBERS)
        ]
    )
    return existing + Membership.objects.bulk_create([Membership(user=user, tenant=tenant) for user in users])


def _subscriptions(tenant: Tenant, members: list[Membership], count: int) -> None:
    rng = random.Random(42)
    now = timezone.now()
    products = list(Product.objects.all())
    prices = {
        (p.product_id, p.channel, p.billing_period): p.amount_minor
        for p in Price.objects.filter(currency=tenant.currency)
    }
    channels, channel_weights = zip(*CHANNEL_MIX, strict=True)
    statuses, status_weights = zip(*STATUS_MIX, strict=True)
    made = 0
    print(f"Creating {count} subscriptions for {tenant.name} …", flush=True)
    while made < count:
        batch = []
        for _ in range(min(BATCH, count - made)):
            channel = rng.choices(channels, channel_weights)[0]
            status = rng.choices(statuses, status_weights)[0]
            product = rng.choice(products)
            period = rng.choice(BillingPeriod.values)
            seats = rng.randint(1, 25) if channel == Channel.SELF_SERVICE else rng.randint(10, 2_000)
            created_at = now - timedelta(days=rng.uniform(0, 3 * 365))
            # Running subscriptions end within the next year; the others ended some time ago.
            ended = status in (Subscription.Status.EXPIRED, Subscription.Status.DISABLED, Subscription.Status.DELETED)
            term_end = now + timedelta(days=rng.uniform(-400, -1) if ended else rng.uniform(0, 365))
            batch.append(
                Subscription(
                    tenant=tenant,
                    product=product,
                    channel=channel,
                    buyer=rng.choice(members) if channel == Channel.SELF_SERVICE else None,
                    billing_period=period,
                    seats=seats,
                    seats_assigned=rng.randint(0, seats),
                    unit_price_minor=prices[(product.pk, channel, period)],
                    currency=tenant.currency,
                    status=status,
                    term_start=term_end - timedelta(days=365 if period == BillingPeriod.ANNUAL else 30),
                    term_end=term_end,
                    created_at=created_at,
                    status_changed_at=created_at,
                )
            )
        Subscription.objects.bulk_create(batch)
        made += len(batch)
        print(f"  {made}/{count}", flush=True)


# Views ----------------------------------------------------------------------------------------------------------


def views(tenant: Tenant) -> list[tuple[str, dict[str, str]]]:
    buyer = Subscription.objects.filter(tenant=tenant, buyer__isnull=False).select_related("buyer__user").first()
    return [
        ("default: central, newest first, page 1", {}),
        ("all channels, newest first", {"channel": "all"}),
        ("all channels by expiration date", {"channel": "all", "sort": "term_end"}),
        ("central by expiration date, descending", {"sort": "-term_end"}),
        ("all channels by purchase price, descending", {"channel": "all", "sort": "-amount_per_term"}),
        ("central by seats assigned", {"sort": "seats_assigned"}),
        ("all channels by product", {"channel": "all", "sort": "product"}),
        ("all channels by channel", {"channel": "all", "sort": "channel"}),
        ("all channels by status", {"channel": "all", "sort": "status"}),
        ("all channels by buyer", {"channel": "all", "sort": "buyer"}),
        ("self-service by buyer, descending", {"channel": "self_service", "sort": "-buyer"}),
        ("buyer by email", {"channel": "all", "buyer": buyer.buyer.user.email.upper()}),
        ("buyer by part of the name", {"channel": "all", "buyer": "kaur 0"}),
        ("expiring within 30 days (central)", {"expiring_within": "30"}),
        ("expiring within 30 days, all, by expiry", {"channel": "all", "expiring_within": "30", "sort": "term_end"}),
        ("product + status filter", {"channel": "all", "product": "power-bi-pro", "status": "past_due"}),
        ("page 200, all channels", {"channel": "all", "page": "200"}),
        ("page 200, central by seats", {"sort": "seats", "page": "200"}),
        (
            "CSV: self-service Power BI Pro, by expiry",
            {"channel": "self_service", "product": "power-bi-pro", "sort": "term_end", "_export": "csv"},
        ),
        ("CSV: every central subscription", {"_export": "csv"}),
    ]


def measure(client: Client, params: dict[str, str]) -> tuple[float, int, int, dict]:
    """Median ms of RUNS requests, their query count, response rows, and the slowest query of the last run."""
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(reverse("purchases:products"), params, secure=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    rows = body.count(b"\n") - 1 if response.streaming else body.count(b"/admin-center/billing/subscriptions/")
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    return statistics.median(timings), len(captured), rows, slowest


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join(line for (line,) in cursor.fetchall())


def run(tenant: Tenant, label: str) -> None:
    client = Client()
    client.force_login(User.objects.get(email=ADMIN_EMAIL))
    client.get(reverse("purchases:products"), secure=True)  # warm caches, templates and the session
    print(f"\n## {label}\n")
    print(f"| view | ms (median of {RUNS}) | queries | rows | slowest query ms |")
    print("|---|---:|---:|---:|---:|")
    worst = None
    for name, params in views(tenant):
        ms, queries, rows, slowest = measure(client, params)
        print(f"| {name} | {ms:.1f} | {queries} | {rows} | {float(slowest['time']) * 1000:.1f} |", flush=True)
        if not params.get("_export") and (worst is None or ms > worst[1]):
            worst = (name, ms, slowest["sql"])
    print(f"\nEXPLAIN ANALYZE of the slowest page ({worst[0]}):\n")
    print(explain(worst[2]))


def drop_our_indexes() -> None:
    table = Subscription._meta.db_table
    wanted = {tuple(fields) for fields in OUR_INDEX_FIELDS}
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            columns = tuple(c.removesuffix("_id") for c in info["columns"])
            if info["index"] and not info["unique"] and columns in wanted:
                cursor.execute(f'DROP INDEX "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without-indexes", action="store_true", help="also measure without purchases 0002")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/seatwise_bench")
    tenant = bench_tenant()
    total = Subscription.objects.filter(tenant=tenant).count()
    print(f"{tenant.name}: {total} subscriptions, database {settings.DATABASES['default']['NAME']}")
    # The test client on a production-like settings module: no HTTPS redirect, no static manifest needed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    overrides = {"ALLOWED_HOSTS": ["testserver"], "STORAGES": {**settings.STORAGES, "staticfiles": static}}
    with override_settings(**overrides):
        run(tenant, "With the indexes of purchases 0002")
        if args.without_indexes:
            with transaction.atomic():
                drop_our_indexes()
                run(tenant, "Without them (dropped inside a transaction, rolled back)")
                transaction.set_rollback(True)


if __name__ == "__main__":
    main()
