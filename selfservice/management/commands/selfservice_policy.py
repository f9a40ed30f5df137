"""The self-service policy from the command line, like the vendor's PowerShell cmdlets.

    manage.py selfservice_policy list --tenant contoso.example [--json]
    manage.py selfservice_policy get  --tenant contoso.example --product power-bi-pro [--json]
    manage.py selfservice_policy set  --tenant contoso.example [--product power-bi-pro] --value Disabled [--json]

`set` without --product changes every product. Every change is audited (via: command line).
"""

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from purchases.models import Product
from selfservice.models import POLICY_ID, PolicyValue
from selfservice.selectors import effective_policy, policy_rows
from selfservice.services import PolicyError, set_policy, set_policy_for_all
from tenants.models import AuditEvent
from tenants.selectors import tenant_for_email

# Who ran the command, for the audit log: the operating-system account.
OPERATOR = f"{getpass.getuser()} (manage.py)"


class Command(BaseCommand):
    help = "List, get or set the AllowSelfServicePurchase policy of a tenant."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "get", "set"])
        parser.add_argument("--tenant", required=True, help="A verified domain of the tenant, e.g. contoso.example")
        parser.add_argument("--product", help="Product slug, e.g. power-bi-pro")
        parser.add_argument("--value", help=f"One of: {', '.join(PolicyValue.values)}")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON")

    def handle(self, *args, action, tenant, product=None, value=None, as_json=False, **options):
        tenant_obj = tenant_for_email(f"x@{tenant}")
        if tenant_obj is None:
            raise CommandError(f"No tenant has the verified domain '{tenant}'.")
        product_obj = None
        if product is not None:
            product_obj = Product.objects.filter(slug=product).first()
            if product_obj is None:
                slugs = ", ".join(Product.objects.values_list("slug", flat=True))
                raise CommandError(f"Unknown product '{product}'. Known products: {slugs}.")
        if action == "get" and product_obj is None:
            raise CommandError("get needs --product.")
        if action == "set":
            if not value:
                raise CommandError(f"set needs --value ({', '.join(PolicyValue.values)}).")
            try:
                if product_obj is None:
                    set_policy_for_all(
                        tenant=tenant_obj, value=value, actor=None, via=AuditEvent.Channel.COMMAND, actor_label=OPERATOR
                    )
                else:
                    set_policy(
                        tenant=tenant_obj,
                        product=product_obj,
                        value=value,
                        actor=None,
                        via=AuditEvent.Channel.COMMAND,
                        actor_label=OPERATOR,
                    )
            except PolicyError as error:
                raise CommandError(error.message) from None
        if product_obj is not None:
            rows = [(product_obj, effective_policy(tenant_obj, product_obj))]
        else:
            rows = policy_rows(tenant_obj)
        self._print(rows, as_json=as_json, single=product_obj is not None)

    def _print(self, rows, *, as_json: bool, single: bool) -> None:
        if as_json:
            items = [
                {"policyId": POLICY_ID, "productId": p.slug, "productName": p.name, "policyValue": v} for p, v in rows
            ]
            self.stdout.write(json.dumps(items[0] if single else items, indent=2))
            return
        width = max(len(p.name) for p, _ in rows)
        for product, value in rows:
            self.stdout.write(f"{product.name:<{width}}  {product.slug:<28}  {value}")
