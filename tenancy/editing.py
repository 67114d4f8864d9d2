"""The edit pages of a plan's objects: core.editing's pattern with the access rule of plans."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.editing import EditPages
from tenancy.access import Access, plan_for


class PlanObjectPages(EditPages):
    """The create / edit / delete pages of an object of a plan (/plans/<pk>/..., the object's id in
    `pk_url_kwarg`), open to the plan's editors. Sets `self.plan`; a resource names its `queryset()`."""

    pk_url_kwarg = ""
    list_url = ""  # the name of the plan's list page the pages go back to
    delete_template_name = "planning/catalogue/confirm_delete.html"

    def load(self, pk, **kwargs):
        self.plan = plan_for(self.request.user, pk, Access.EDIT)
        if self.pk_url_kwarg not in kwargs:
            return None
        return get_object_or_404(self.queryset(), pk=kwargs[self.pk_url_kwarg])

    def queryset(self):
        raise NotImplementedError("PlanObjectPages.queryset: the plan's objects the user may see")

    def success_url(self, obj) -> str:
        return reverse(self.list_url, args=[self.plan.pk])

    def create_kwargs(self) -> dict:
        return {"plan": self.plan}

    def context(self, **extra) -> dict:
        return {"plan": self.plan, "organisation": self.plan.organisation, **extra}
