"""The plan's mentions: a list that pages and filters (period, channel, theme, sentiment, competitor, words), reached
from every Social listening page, and the edit page of one mention (core.editing's stale-safe pattern: a save based
on an old version is refused, showing the other person's values beside yours)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from assessments.models import Sentiment
from listening import selectors, services
from listening.forms_mentions import MentionFilterForm, MentionForm
from listening.views.pages import INDICATORS
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages

PAGE_SIZE = 50


@login_required
@require_GET
def mention_list_page(request, pk):
    plan = plan_for(request.user, pk)
    form = MentionFilterForm(request.GET or None, plan=plan)
    filters = form.filters()
    page = Paginator(selectors.mention_search(user=request.user, plan=plan, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "listening/mentions.html", {
        "plan": plan, "organisation": plan.organisation, "indicators": INDICATORS, "form": form, "page": page,
        "mentions": list(page.object_list), "query": query.urlencode(), "filtered": any(filters.values()),
        "can_edit": plan_access(request.user, plan) >= Access.EDIT, "back": request.get_full_path(),
    })


class MentionPages(PlanObjectPages):
    """/plans/<pk>/listening/mentions/<mention_pk>/edit/ and …/delete/, for the plan's editors."""

    name, pk_url_kwarg, list_url = "mention", "mention_pk", "listening_mentions"
    form_class, template_name = MentionForm, "listening/mention_form.html"
    writes = None, services.mention_edit, services.mention_delete
    texts = {
        "saved": _("Mention saved."), "deleted": _("Mention deleted."),
        "conflict": _("Someone else saved this mention while you were editing. Their values are shown beside "
                      "yours; keep what you want and save again."),
        "changed": _("Someone changed this mention meanwhile. Check it is still the one to delete, then confirm "
                     "again."),
    }
    confirm = {"kind": _("mention"), "section": _("Mentions"),
               "consequence": _("It leaves every listening indicator of the plan.")}

    def queryset(self):
        return selectors.mention_list(user=self.request.user, plan=self.plan).select_related(
            "channel", "competitor", "touchpoint", "persona")

    def form_kwargs(self) -> dict:
        return {"plan": self.plan}

    def success_url(self, mention) -> str:
        back = self.request.POST.get("back") or self.request.GET.get("back") or ""
        # Only back to the list with its filters: never to an address from elsewhere.
        if back.startswith(reverse("listening_mentions", args=[self.plan.pk]) + "?"):
            return back
        return reverse("listening_mentions", args=[self.plan.pk])

    def context(self, **extra) -> dict:
        return {"plan": self.plan, "organisation": self.plan.organisation, "sentiments": dict(Sentiment.choices),
                "back": self.success_url(None), **extra}


_create, mention_edit, mention_delete = MentionPages.views()

urlpatterns = [
    path("plans/<int:pk>/listening/mentions/", mention_list_page, name="listening_mentions"),
    path("plans/<int:pk>/listening/mentions/<int:mention_pk>/edit/", mention_edit, name="listening_mention_edit"),
    path("plans/<int:pk>/listening/mentions/<int:mention_pk>/delete/", mention_delete,
         name="listening_mention_delete"),
]
