"""Organizations (tenants), their verified domains, people, roles and partner relationships."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TenantScopedQuerySet(models.QuerySet):
    """Base for every tenant-owned model: the one way to read tenant data is `for_tenant`."""

    tenant_field = "tenant"

    def for_tenant(self, tenant: Tenant) -> TenantScopedQuerySet:
        return self.filter(**{self.tenant_field: tenant})


class Tenant(models.Model):
    class Kind(models.TextChoices):
        COMMERCIAL = "commercial", _("Commercial")
        GOVERNMENT = "government", _("Government")
        EDUCATION = "education", _("Education")
        PARTNER = "partner", _("Partner")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217"))
    managed = models.BooleanField(
        _("managed"), default=True, help_text=_("Taken over by an admin who verified a domain.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        constraints = [
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="tenant_country_iso"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="tenant_currency_iso"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind == self.Kind.PARTNER


class DomainQuerySet(TenantScopedQuerySet):
    def verified(self) -> DomainQuerySet:
        return self.filter(verified=True)


class Domain(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(_("domain"), max_length=253)
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DomainQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="domain_name_unique_ci"),
            models.CheckConstraint(condition=Q(name=Lower("name")), name="domain_name_lowercase"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Their accounts in organizations are `Membership` rows; the email is the login."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("operator"), default=False, help_text=_("May use Django's admin for operations."))
    is_support_agent = models.BooleanField(
        _("support agent"), default=False, help_text=_("Vendor support staff; uses the support console.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()

    def may_sign_in(self, *, has_enabled_account: bool) -> bool:
        """An account signs in when it is active and is staff, support, or enabled in a tenant."""
        return self.is_active and (self.is_staff or self.is_support_agent or has_enabled_account)

    @property
    def can_sign_in(self) -> bool:
        return self.may_sign_in(has_enabled_account=self.memberships.filter(enabled=True).exists())


class MembershipQuerySet(TenantScopedQuerySet):
    def enabled(self) -> MembershipQuerySet:
        return self.filter(enabled=True)

    def members(self) -> MembershipQuerySet:
        """Enabled, non-guest accounts: the people a license can go to."""
        return self.filter(enabled=True, kind=Membership.Kind.MEMBER)

    def admins(self) -> MembershipQuerySet:
        return self.filter(enabled=True).filter(Q(is_global_admin=True) | Q(is_billing_admin=True))


class Membership(models.Model):
    """A user's account in one tenant: member or guest, cloud-created or synced, and its roles."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        GUEST = "guest", _("Guest")

    class Source(models.TextChoices):
        CLOUD = "cloud", _("Cloud")
        SYNCED = "synced", _("Synced from on-premises")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.CLOUD)
    enabled = models.BooleanField(_("enabled"), default=True)
    is_global_admin = models.BooleanField(_("global admin"), default=False)
    is_billing_admin = models.BooleanField(_("billing admin"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["tenant__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_one_per_user_and_tenant"),
            models.CheckConstraint(
                condition=Q(kind="member") | Q(is_global_admin=False, is_billing_admin=False),
                name="membership_guest_has_no_admin_role",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "kind", "enabled"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant}"

    @property
    def is_guest(self) -> bool:
        return self.kind == self.Kind.GUEST

    @property
    def is_admin(self) -> bool:
        return self.enabled and (self.is_global_admin or self.is_billing_admin)

    @property
    def role_labels(self) -> list[str]:
        labels = []
        if self.is_global_admin:
            labels.append(str(_("Global admin")))
        if self.is_billing_admin:
            labels.append(str(_("Billing admin")))
        return labels


class RelationshipQuerySet(models.QuerySet):
    def active(self, at=None) -> RelationshipQuerySet:
        at = at or timezone.now()
        return self.filter(status=DelegatedAdminRelationship.Status.ACTIVE).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at)
        )


class DelegatedAdminRelationship(models.Model):
    """A partner tenant's admins may administer a customer tenant while this is active."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TERMINATED = "terminated", _("Terminated")

    partner = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="customer_relationships")
    customer = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="partner_relationships")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "customer"], name="relationship_unique_pair"),
            models.CheckConstraint(condition=~Q(partner=models.F("customer")), name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.customer}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == self.Status.ACTIVE and (self.expires_at is None or self.expires_at > at)


class AppendOnlyQuerySet(TenantScopedQuerySet):
    """Rows are only ever added: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise TypeError("This log is append-only.")

    def delete(self):
        raise TypeError("This log is append-only.")


class AppendOnlyModel(models.Model):
    """A log row: written once by a service, never changed or deleted by the application."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("This log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("This log is append-only.")


class AuditEvent(AppendOnlyModel):
    """Append-only record of an administrative change in a tenant: who, what, how, when."""

    class Channel(models.TextChoices):
        UI = "ui", _("Web")
        COMMAND = "command", _("Command line")
        API = "api", _("API")
        SYSTEM = "system", _("System")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True, help_text=_("Who acted, kept if the user goes."))
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=254, blank=True)
    old_value = models.CharField(max_length=254, blank=True)
    new_value = models.CharField(max_length=254, blank=True)
    via = models.CharField(max_length=10, choices=Channel.choices, default=Channel.UI)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target}: {self.old_value} → {self.new_value}"


class ApiTokenQuerySet(TenantScopedQuerySet):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A tenant's key to the JSON API. Only a SHA-256 digest is stored; the secret is shown once."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class NoticeQuerySet(TenantScopedQuerySet):
    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """An in-app message to one account, e.g. an admin told of a new self-service purchase."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notices")
    key = models.CharField(max_length=120, help_text=_("What the notice is about; one notice per key and recipient."))
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class EmailDelivery(models.Model):
    """One email sent for one reason to one address: the key makes a task that runs twice send once."""

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
