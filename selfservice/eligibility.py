"""Who may buy what: the one eligibility check used by the catalog, the checkout and the API.

The answer is an ordered list of reasons (empty = may buy). Order: tenant kind, market,
price, account (none / guest / disabled), unmanaged domain, policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from purchases.models import Channel, MarketRestriction, Price, Product
from tenants.models import Domain, Membership, Tenant, User

from .models import PolicyValue
from .selectors import effective_policies


class Reason(StrEnum):
    TENANT_KIND = "tenant_kind"
    MARKET = "market"
    NO_PRICE = "no_price"
    NO_ACCOUNT = "no_account"
    GUEST = "guest"
    ACCOUNT_DISABLED = "account_disabled"
    UNMANAGED_DOMAIN = "unmanaged_domain"
    POLICY_DISABLED = "policy_disabled"
    TRIALS_ONLY = "trials_only"


def country_name(code: str) -> str:
    try:
        locale = Locale.parse(to_locale(get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return locale.territories.get(code, code)


def explain(reason: Reason, *, tenant: Tenant | None, product: Product, user: User | None = None) -> str:
    """The reason in plain words, for the page that tells the user to contact their IT admin."""
    names = {
        "tenant": tenant.name if tenant else "",
        "product": product.name,
        "country": country_name(tenant.country) if tenant else "",
        "currency": tenant.currency if tenant else "",
        "kind": tenant.get_kind_display().lower() if tenant else "",
        "domain": user.email_domain if user else "",
    }
    texts = {
        Reason.TENANT_KIND: _(
            "Self-service purchases are only available to commercial organizations; "
            "%(tenant)s is a %(kind)s organization."
        ),
        Reason.MARKET: _("%(product)s is not sold through self-service in %(country)s."),
        Reason.NO_PRICE: _("%(product)s has no self-service price in %(currency)s."),
        Reason.NO_ACCOUNT: _("You don't have an account in %(tenant)s."),
        Reason.GUEST: _("You are a guest in %(tenant)s, and guests cannot buy in an organization they visit."),
        Reason.ACCOUNT_DISABLED: _("Your account in %(tenant)s is disabled."),
        Reason.UNMANAGED_DOMAIN: _("Your email domain %(domain)s is not a verified domain of %(tenant)s."),
        Reason.POLICY_DISABLED: _("%(tenant)s has turned off self-service purchases of %(product)s."),
        Reason.TRIALS_ONLY: _("%(tenant)s allows only free trials of %(product)s, without a payment method."),
    }
    return texts[reason] % names


@dataclass(frozen=True)
class Eligibility:
    product: Product
    tenant: Tenant | None
    user: User | None
    policy: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def can_buy(self) -> bool:
        return not self.reasons

    @property
    def can_trial(self) -> bool:
        return self.product.has_trial and self.reasons in ((), (Reason.TRIALS_ONLY,))

    @property
    def trials_only(self) -> bool:
        return self.reasons == (Reason.TRIALS_ONLY,)

    @property
    def may_request_license(self) -> bool:
        """Blocked by the organization (not by who they are): they can ask their admins instead."""
        account_reasons = {Reason.NO_ACCOUNT, Reason.GUEST, Reason.ACCOUNT_DISABLED}
        return bool(self.reasons) and not account_reasons & set(self.reasons)

    @property
    def explanations(self) -> list[str]:
        return [explain(reason, tenant=self.tenant, product=self.product, user=self.user) for reason in self.reasons]


@dataclass
class EligibilityRules:
    """Everything the check needs about one user in one tenant, loaded with a handful of queries."""

    user: User | None
    tenant: Tenant
    membership: Membership | None
    verified_domains: set[str]
    policies: dict[int, str]
    blocked_everywhere: bool
    blocked_products: set[int]
    priced_products: set[int]

    @classmethod
    def load(cls, *, user: User | None, tenant: Tenant) -> EligibilityRules:
        restrictions = MarketRestriction.objects.filter(country=tenant.country, channel=Channel.SELF_SERVICE)
        membership = None
        if user is not None and user.is_authenticated:
            membership = Membership.objects.filter(user=user, tenant=tenant).first()
        return cls(
            user=user if user is not None and user.is_authenticated else None,
            tenant=tenant,
            membership=membership,
            verified_domains=set(Domain.objects.for_tenant(tenant).verified().values_list("name", flat=True)),
            policies=effective_policies(tenant),
            blocked_everywhere=restrictions.filter(product__isnull=True).exists(),
            blocked_products=set(restrictions.filter(product__isnull=False).values_list("product_id", flat=True)),
            priced_products=set(
                Price.objects.for_channel(Channel.SELF_SERVICE, tenant.currency).values_list("product_id", flat=True)
            ),
        )


def check_eligibility(
    *, user: User | None, tenant: Tenant, product: Product, rules: EligibilityRules | None = None
) -> Eligibility:
    """May `user` buy `product` self-service in `tenant`? Pass `rules` to check many products at once."""
    rules = rules or EligibilityRules.load(user=user, tenant=tenant)
    reasons: list[Reason] = []
    if tenant.kind != Tenant.Kind.COMMERCIAL:
        reasons.append(Reason.TENANT_KIND)
    if rules.blocked_everywhere or product.id in rules.blocked_products:
        reasons.append(Reason.MARKET)
    if product.id not in rules.priced_products:
        reasons.append(Reason.NO_PRICE)
    membership = rules.membership
    if membership is None:
        reasons.append(Reason.NO_ACCOUNT)
    elif membership.is_guest:
        reasons.append(Reason.GUEST)
    if membership is not None and not membership.enabled:
        reasons.append(Reason.ACCOUNT_DISABLED)
    if rules.user is not None and (not tenant.managed or rules.user.email_domain not in rules.verified_domains):
        reasons.append(Reason.UNMANAGED_DOMAIN)
    policy = rules.policies.get(product.id, PolicyValue.ENABLED)
    if policy == PolicyValue.DISABLED:
        reasons.append(Reason.POLICY_DISABLED)
    elif policy == PolicyValue.ONLY_TRIALS:
        reasons.append(Reason.TRIALS_ONLY)
    return Eligibility(product=product, tenant=tenant, user=rules.user, policy=policy, reasons=tuple(reasons))
