"""Showing catalogue and programme texts in the reader's language."""

from django import template
from django.utils.translation import get_language

register = template.Library()


def pick(text, language: str | None = None) -> str:
    """The text in `language` (the active one by default), else English."""
    if not isinstance(text, dict):
        return "" if text is None else str(text)
    language = (language or get_language() or "en").split("-")[0]
    return text.get(language) or text.get("en", "")


@register.filter(name="localized")
def localized(text):
    return pick(text)


@register.filter(name="is_fallback")
def is_fallback(text) -> bool:
    """True when the reader's language is missing and English is shown instead."""
    language = (get_language() or "en").split("-")[0]
    return isinstance(text, dict) and language != "en" and not text.get(language)
