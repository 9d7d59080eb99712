"""One way to paginate every list page."""

from django.core.paginator import Paginator

DEFAULT_PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = DEFAULT_PAGE_SIZE):
    """A page of `queryset` for ?page=N, falling back to the nearest valid page."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.query_without_page = query.urlencode()
    return page
