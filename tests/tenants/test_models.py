import pytest
from django.db import IntegrityError, transaction

from tenants.models import DelegatedAdminRelationship, Domain, Membership, User


@pytest.mark.django_db
def test_emails_are_unique_whatever_their_case(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ALEX@contoso.example")


@pytest.mark.django_db
def test_one_membership_per_user_and_tenant(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=demo.user("alex"), tenant=demo.tenant("contoso"))


@pytest.mark.django_db
def test_a_guest_cannot_hold_an_admin_role_in_the_database(demo):
    guest = demo.membership("guest@fabrikam.example")
    guest.is_global_admin = True
    with pytest.raises(IntegrityError), transaction.atomic():
        guest.save()


@pytest.mark.django_db
def test_a_domain_belongs_to_one_tenant(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Domain.objects.create(tenant=demo.tenant("fabrikam"), name="contoso.example", verified=True)


@pytest.mark.django_db
def test_a_tenant_is_not_its_own_partner(demo):
    adatum = demo.tenant("adatum")
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegatedAdminRelationship.objects.create(partner=adatum, customer=adatum)
