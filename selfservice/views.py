from django.shortcuts import render

from tenants.scoping import member_required


def catalog(request):
    return render(request, "selfservice/catalog.html", {})


@member_required
def my_purchases(request):
    return render(request, "selfservice/catalog.html", {})
