"""The officers' work queue: the open cases of their offices, most urgent first."""

from django.shortcuts import render

from openaeo.cases import queue
from openaeo.common import clock
from openaeo.common.pagination import paginate


def work_queue(request):
    cases = queue.cases_for(request.user)
    page = paginate(request, cases)
    return render(request, "cases/queue.html", {"page": page, "today": clock.today()})
