"""The navigation each person sees, built from the same rules that guard the routes.

A link appears only when the route policy would let the person through, so the
menu can never promise a page that answers 403.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openaeo.common.permissions import rule_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_TRADER_ITEMS = [
    NavItem(_("Overview"), "web:dashboard"),
    NavItem(_("My businesses"), "operators:list"),
    NavItem(_("API tokens"), "accounts:tokens"),
]
_STAFF_ITEMS = [
    NavItem(_("Overview"), "web:dashboard"),
    NavItem(_("Work queue"), "cases:queue"),
    NavItem(_("Certificates"), "certificates:list"),
    NavItem(_("Compliance screening"), "screening:runs"),
    NavItem(_("Declaration data"), "screening:imports"),
    NavItem(_("Offices and colleagues"), "accounts:offices"),
    NavItem(_("Programme configuration"), "catalogue:programme_manage"),
    NavItem(_("Mutual recognition"), "mra:partners"),
    NavItem(_("Audit trail"), "audit:list"),
    NavItem(_("API tokens"), "accounts:tokens"),
    NavItem(_("Administration"), "admin:index"),
]
_PUBLIC_ITEMS = [
    NavItem(_("What is AEO?"), "web:home"),
    NavItem(_("Is AEO for me?"), "catalogue:guide"),
    NavItem(_("The programme"), "catalogue:tiers"),
    NavItem(_("Who does what"), "web:roles"),
    NavItem(_("AEO register"), "certificates:register"),
    NavItem(_("Check an AEO"), "certificates:verify"),
]


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return _PUBLIC_ITEMS
    candidates = _STAFF_ITEMS if user.staff_roles else _TRADER_ITEMS
    return [item for item in candidates if rule_for(item.url_name).allows(user)]
