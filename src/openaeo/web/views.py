"""Home, the signed-in overview, the roles page and the error pages."""

from django.shortcuts import render

from openaeo.accounts.roles import STAFF_ROLE_SUMMARIES, StaffRole
from openaeo.operators.selectors import operators_of


def home(request):
    return render(request, "web/home.html")


def roles(request):
    return render(
        request,
        "web/roles.html",
        {
            "staff_roles": [
                (StaffRole(role).label, text) for role, text in STAFF_ROLE_SUMMARIES.items()
            ]
        },
    )


def dashboard(request):
    user = request.user
    if user.staff_roles:
        held = [
            (StaffRole(role).label, STAFF_ROLE_SUMMARIES[role]) for role in sorted(user.staff_roles)
        ]
        from openaeo.cases.selectors import work_summary
        from openaeo.monitoring.selectors import waiting_counts as monitoring_waiting

        assignments = user.staff_assignments.filter(active=True).select_related("office")
        return render(
            request,
            "web/dashboard_staff.html",
            {
                "held_roles": held,
                "assignments": assignments,
                "work": work_summary(user),
                "monitoring": monitoring_waiting(user),
            },
        )
    return render(
        request,
        "web/dashboard_trader.html",
        {"operators": operators_of(user).order_by("legal_name")},
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        # API clients get a problem document (RFC 9457), never an HTML page.
        from openaeo.common.api_support import problem_response

        return problem_response(request, 404, "There is no such resource.")
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors that touch the database: the database may be why we are here.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))
