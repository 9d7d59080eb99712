"""Sites and contacts of a business: who may change them, what is checked, what people see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openaeo.common.models import AuditEvent
from openaeo.operators import services
from openaeo.operators.models import OperatorContact, OperatorSite

pytestmark = pytest.mark.django_db

SITE = {
    "name": "Main warehouse",
    "kind": "warehouse",
    "address": "Plot 7, Industrial Area, Nairobi",
    "activities": "Storage and loading of export coffee",
}
CONTACT = {
    "name": "Amina Otieno",
    "function": "security",
    "email": "amina@example.test",
    "phone": "+254 20 123 4567",
}


def sites_url(operator):
    return reverse("operators:sites", kwargs={"operator_id": operator.pk})


def _post_site(client, operator, **changes):
    data = {f"site-{key}": value for key, value in {**SITE, **changes}.items()}
    return client.post(reverse("operators:site_add", kwargs={"operator_id": operator.pk}), data)


def _post_contact(client, operator, **changes):
    data = {f"contact-{key}": value for key, value in {**CONTACT, **changes}.items()}
    return client.post(reverse("operators:contact_add", kwargs={"operator_id": operator.pk}), data)


@pytest.mark.parametrize("role", ["owner", "editor", "representative"])
def test_those_who_prepare_add_and_remove_sites_and_contacts(role, people, operator):
    actor = people[role]
    site = services.site_add(actor=actor, operator=operator, **SITE)
    contact = services.contact_add(actor=actor, operator=operator, **CONTACT)
    assert (site.kind, site.activities) == ("warehouse", SITE["activities"])
    assert (contact.function, contact.phone) == ("security", "+254 20 123 4567")
    added = AuditEvent.objects.get(action="operator.site_add")
    assert added.acting_for == operator and added.actor == actor
    assert added.after["address"] == SITE["address"]
    assert AuditEvent.objects.get(action="operator.contact_add").after["email"] == CONTACT["email"]

    services.site_remove(actor=actor, site=site)
    services.contact_remove(actor=actor, contact=contact)
    assert not OperatorSite.objects.exists() and not OperatorContact.objects.exists()
    removed = AuditEvent.objects.get(action="operator.site_remove")
    assert removed.before["name"] == "Main warehouse" and removed.object_id == str(site.pk)
    assert AuditEvent.objects.filter(action="operator.contact_remove").count() == 1


@pytest.mark.parametrize("role", ["viewer", "other_owner", "newcomer"])
def test_others_cannot_change_them(role, people, operator):
    site = services.site_add(actor=people["owner"], operator=operator, **SITE)
    with pytest.raises(PermissionDenied):
        services.site_add(actor=people[role], operator=operator, **SITE)
    with pytest.raises(PermissionDenied):
        services.contact_add(actor=people[role], operator=operator, **CONTACT)
    with pytest.raises(PermissionDenied):
        services.site_remove(actor=people[role], site=site)
    assert OperatorSite.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter the name of the site"),
        ({"address": ""}, "address", "Enter the address of the site"),
        ({"kind": "castle"}, "kind", "Choose what kind of site"),
    ],
)
def test_a_site_needs_a_name_an_address_and_a_kind(people, operator, changes, field, message):
    with pytest.raises(ValidationError) as error:
        services.site_add(actor=people["owner"], operator=operator, **{**SITE, **changes})
    assert message in str(error.value.error_dict[field])
    assert not OperatorSite.objects.exists()
    assert not AuditEvent.objects.filter(action="operator.site_add").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the name of the contact person"),
        ({"email": ""}, "email", "Enter the contact person's e-mail address"),
        ({"email": "amina.example.test"}, "email", "correct format"),
        ({"function": "boss"}, "function", "Choose what this person is the contact for"),
        ({"phone": "call me"}, "phone", "digits only"),
        ({"phone": "12-3"}, "phone", "digits only"),
    ],
)
def test_a_contact_is_checked(people, operator, changes, field, message):
    with pytest.raises(ValidationError) as error:
        services.contact_add(actor=people["owner"], operator=operator, **{**CONTACT, **changes})
    assert message in str(error.value.error_dict[field])
    assert not OperatorContact.objects.exists()


def test_the_phone_number_is_optional(people, operator):
    contact = services.contact_add(
        actor=people["owner"], operator=operator, **CONTACT | {"phone": ""}
    )
    assert contact.phone == ""


def test_the_page_adds_and_removes_them(people, operator, client_for):
    client = client_for(people["editor"])
    page = client.get(sites_url(operator))
    html = page.content.decode()
    assert page.status_code == 200
    assert "No site listed yet." in html and "No contact listed yet." in html
    assert 'for="id_site-name"' in html and 'for="id_contact-name"' in html

    response = _post_site(client, operator)
    assert response.status_code == 302 and response["Location"] == sites_url(operator)
    response = _post_contact(client, operator)
    assert response.status_code == 302
    html = client.get(sites_url(operator)).content.decode()
    assert "Main warehouse" in html and "Warehouse" in html and "Amina Otieno" in html
    assert "Security contact" in html

    site, contact = OperatorSite.objects.get(), OperatorContact.objects.get()
    client.post(reverse("operators:site_remove", args=[operator.pk, site.pk]))
    client.post(reverse("operators:contact_remove", args=[operator.pk, contact.pk]))
    assert not OperatorSite.objects.exists() and not OperatorContact.objects.exists()


def test_the_page_explains_what_is_wrong(people, operator, client_for):
    client = client_for(people["owner"])
    response = _post_site(client, operator, name="", address="", kind="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Error:" in html
    assert "Enter the name of the site." in html and "Enter the address of the site." in html
    assert "Choose what kind of site it is." in html
    assert 'href="#id_site-name"' in html

    response = _post_contact(client, operator, email="not-an-address")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter the e-mail address in the correct format, like name@example.com." in html
    assert 'value="Amina Otieno"' in html  # what was typed is kept
    assert not OperatorSite.objects.exists() and not OperatorContact.objects.exists()


def test_the_business_page_prompts_then_lists_read_only(people, operator, client_for):
    detail = reverse("operators:detail", kwargs={"operator_id": operator.pk})
    html = client_for(people["owner"]).get(detail).content.decode()
    assert "Add your sites and contacts" in html and sites_url(operator) in html

    services.site_add(actor=people["owner"], operator=operator, **SITE)
    services.contact_add(actor=people["owner"], operator=operator, **CONTACT)
    html = client_for(people["owner"]).get(detail).content.decode()
    assert "Add your sites and contacts" not in html
    assert "Main warehouse" in html and "amina@example.test" in html

    viewer_page = client_for(people["viewer"]).get(detail).content.decode()
    assert "Main warehouse" in viewer_page and "Amina Otieno" in viewer_page
    assert sites_url(operator) not in viewer_page
    assert "/remove/" not in viewer_page.split('id="sites-heading"')[1].split("</section>")[0]
    assert "Add your sites and contacts" not in viewer_page
    staff_page = client_for(people["auditor"]).get(detail).content.decode()
    assert "Main warehouse" in staff_page


def test_viewers_and_strangers_get_not_found(people, operator, client_for):
    site = services.site_add(actor=people["owner"], operator=operator, **SITE)
    for role in ("viewer", "other_owner"):
        client = client_for(people[role])
        assert client.get(sites_url(operator)).status_code == 404
        response = client.post(reverse("operators:site_remove", args=[operator.pk, site.pk]))
        assert response.status_code == 404
        assert _post_contact(client, operator).status_code == 404
    assert OperatorSite.objects.count() == 1 and not OperatorContact.objects.exists()


def test_a_site_of_another_business_is_not_found(people, operator, other_operator, client_for):
    site = services.site_add(actor=people["other_owner"], operator=other_operator, **SITE)
    response = client_for(people["owner"]).post(
        reverse("operators:site_remove", args=[operator.pk, site.pk])
    )
    assert response.status_code == 404 and OperatorSite.objects.filter(pk=site.pk).exists()


def test_the_profile_page_links_to_them(people, operator, client_for):
    html = (
        client_for(people["owner"])
        .get(reverse("operators:profile", kwargs={"operator_id": operator.pk}))
        .content.decode()
    )
    assert sites_url(operator) in html
