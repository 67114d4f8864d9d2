"""The edit pages of a journey's experience objects: core.editing's pattern, loaded through the journey."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.editing import EditPages
from planning.views._map import journey_for
from tenancy.access import Access


class JourneyObjectPages(EditPages):
    """Create (/journeys/<pk>/.../new/), edit and delete (/<objects>/<pk>/...) an object drawn on a journey's map.

    The journey's plan must be editable by the user (403) and visible (404); the object is looked up among the
    journey's objects of `model`. After a save the map opens at the object's lane (`anchor(obj)`).
    """

    model = None
    template_name = "experience/form.html"
    delete_template_name = "planning/catalogue/confirm_delete.html"
    title = {"create": "", "edit": ""}

    def load(self, pk):
        if self.action == "create":
            self.journey = journey_for(self.request.user, pk, Access.EDIT)
            return None
        obj = get_object_or_404(self.model.objects.select_related("journey"), pk=pk)
        self.journey = journey_for(self.request.user, obj.journey_id, Access.EDIT)
        obj.journey = self.journey
        return obj

    @property
    def plan(self):
        return self.journey.plan

    def form_kwargs(self) -> dict:
        return {"journey": self.journey}

    def create_kwargs(self) -> dict:
        return {"journey": self.journey}

    def anchor(self, obj) -> str:
        return ""

    def success_url(self, obj) -> str:
        url = reverse("journey_map", args=[self.journey.pk])
        anchor = self.anchor(obj) if obj is not None and self.action != "delete" else ""
        return f"{url}#{anchor}" if anchor else url

    def context(self, **extra) -> dict:
        return {"plan": self.plan, "organisation": self.plan.organisation, "journey": self.journey,
                "page_title": self.title[self.action] if self.action in self.title else "",
                "section": _("Journey map"), "kind": self.model._meta.verbose_name.capitalize(), **extra}
