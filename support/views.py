from django.shortcuts import render

from tenants.scoping import support_agent_required

from .selectors import search_tenants


@support_agent_required
def queue(request):
    query = request.GET.get("q", "").strip()
    tenants = search_tenants(query) if query else []
    return render(request, "support/queue.html", {"query": query, "tenants": tenants})
