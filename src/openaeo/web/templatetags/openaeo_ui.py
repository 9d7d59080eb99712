"""Small template helpers for the user interface (no database, no request state)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def current_marker(path, url, section=False):
    """The aria-current attribute for a link to `url` when the page is at `path`.

    The link to the page itself gets aria-current="page". With `section`, a link to a
    section (a URL that the page's path starts with) gets aria-current="true", so
    "My businesses" stays marked on one business's page. The home page "/" is never a
    section of every page.
    """
    if not url:
        return ""
    if path == url:
        return format_html(' aria-current="{}"', "page")
    if section and url != "/" and path.startswith(url):
        return format_html(' aria-current="{}"', "true")
    return ""


@register.filter
def fields_with_errors(form):
    """The visible fields of `form` that have errors, for an error summary that links to them."""
    return [field for field in form.visible_fields() if field.errors]
