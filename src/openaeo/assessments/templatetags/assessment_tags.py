from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, None when missing."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def slug(urn: str) -> str:
    """The last part of a URN, usable as an HTML id."""
    return urn.rsplit(":", 1)[-1]


@register.filter
def shown_value(draft, answer):
    """What a question's input shows: the unsaved draft if any, else the saved answer."""
    if draft:
        return draft.get("value", "")
    return answer.value if answer else ""


@register.filter
def shown_explanation(draft, answer):
    if draft:
        return draft.get("explanation", "")
    return answer.explanation if answer else ""
