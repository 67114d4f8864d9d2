"""Suggested themes for a plan (listening/suggestions.py): shown on the themes page (loaded after it, since finding
topics takes a moment the first time) or on their own page without script; a person accepts one, which creates the
theme and its keyword rule, and may run the rules over the plan at once. Nothing is applied otherwise."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments import services_themes
from assessments.models import Theme
from listening import services
from listening.suggestions import plan_suggestions
from tenancy.access import Access, membership_for, plan_access, plan_for
from tenancy.models import READ_ONLY_ROLES


class AcceptForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Theme name"), max_length=120)
    keyword = forms.CharField(label=gettext_lazy("Keyword rule"), max_length=200)
    parent = forms.ModelChoiceField(label=gettext_lazy("Under the macro theme"), required=False,
                                    queryset=Theme.objects.none(), empty_label=gettext_lazy("None: a macro theme"))
    run = forms.BooleanField(label=gettext_lazy("Run the rules over the plan now"), required=False)

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Theme.objects.filter(organisation_id=organisation_id, parent=None)


def _may_accept(user, plan) -> bool:
    membership = membership_for(user, plan.organisation_id)
    return plan_access(user, plan) >= Access.EDIT and membership is not None and \
        membership.role not in READ_ONLY_ROLES


@login_required
@require_GET
def theme_suggestions(request, pk):
    plan = plan_for(request.user, pk)
    fragment = request.headers.get("HX-Request") == "true"
    macros = list(Theme.objects.filter(organisation_id=plan.organisation_id, parent=None))
    return render(request, "listening/_suggestions.html" if fragment else "listening/suggestions.html", {
        "plan": plan, "organisation": plan.organisation, "suggestions": plan_suggestions(plan), "macros": macros,
        "can_accept": _may_accept(request.user, plan)})


@login_required
@require_POST
def theme_suggestion_accept(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    form = AcceptForm(request.POST, organisation_id=plan.organisation_id)
    back = reverse("listening_themes", args=[plan.pk]) + "#suggestions"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        theme = services_themes.theme_create(organisation=plan.organisation, actor=request.user, name=data["name"],
                                             parent=data["parent"])
        services_themes.rule_create(theme=theme, actor=request.user, phrase=data["keyword"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if data["run"]:
        services.rule_run_request(plan=plan, actor=request.user)
        messages.success(request, _("Theme “%(theme)s” added with the rule “%(rule)s”; the rules are running over "
                                    "the plan.") % {"theme": theme, "rule": data["keyword"]})
    else:
        messages.success(request, _("Theme “%(theme)s” added with the rule “%(rule)s”. New mentions and verbatims get "
                                    "it; re-run the rules to put it on those already here.")
                         % {"theme": theme, "rule": data["keyword"]})
    return redirect(back)


urlpatterns = [
    path("plans/<int:pk>/listening/themes/suggestions/", theme_suggestions, name="listening_theme_suggestions"),
    path("plans/<int:pk>/listening/themes/suggestions/accept/", theme_suggestion_accept,
         name="listening_theme_suggestion_accept"),
]
