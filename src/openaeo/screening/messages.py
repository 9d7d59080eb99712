"""Plain words for the codes screening stores (flags, import problems), in the reader's language."""

from django.utils.translation import gettext as _


def flag_text(flag: dict) -> str:
    code = flag.get("code")
    if code == "irregularity_rate":
        return _(
            "Irregularities: even the lowest likely rate (%(lower)s) is above the maximum of "
            "%(limit)s."
        ) % {"lower": _percent(flag["lower"]), "limit": _percent(flag["limit"])}
    if code == "serious_irregularities":
        return _("%(count)s serious irregularities; the programme allows %(limit)s.") % flag
    if code == "late_payment_rate":
        return _(
            "Late payments: even the lowest likely rate (%(lower)s) is above the maximum of "
            "%(limit)s."
        ) % {"lower": _percent(flag["lower"]), "limit": _percent(flag["limit"])}
    if code == "too_few_documents":
        return (
            _(
                "%(per_year)s customs declarations a year; the programme asks for at least %(limit)s."
            )
            % flag
        )
    return str(code)


def _percent(value) -> str:
    return f"{float(value) * 100:.1f} %"


def import_problem_text(code: str) -> str:
    """'lodgement_date:invalid' -> 'lodgement_date: not a date (YYYY-MM-DD)'."""
    parts = code.split(":", 2)
    if parts[0] == "column":
        name, problem = parts[1], parts[2]
        if problem == "missing":
            return _("The required column %(name)s is missing.") % {"name": name}
        return _("The column %(name)s is not part of the declaration schema.") % {"name": name}
    if parts[0] == "line":
        return _("Line %(line)s cannot be read: %(problem)s.") % {
            "line": parts[1],
            "problem": parts[2].replace("_", " ").lower(),
        }
    if parts[0] == "file":
        return _("The file cannot be read as CSV or Parquet: %(detail)s") % {"detail": parts[-1]}
    column, problem = parts[0], parts[1] if len(parts) > 1 else ""
    problems = {
        "missing": _("missing"),
        "invalid": _("not a valid value"),
        "too_long": _("too long"),
        "duplicate": _("the same identifier appears more than once in the file"),
        "negative": _("must not be negative"),
    }
    return f"{column}: {problems.get(problem, problem)}"
