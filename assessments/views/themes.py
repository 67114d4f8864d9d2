"""The organisation's theme taxonomy page (themes, rules, tags, "apply rules to all verbatims") and the verbatim
tagging form of the feedback pages. Plain forms that post and come back; every write is a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import services as feedback_services
from assessments import services_themes as services
from assessments.models import FeedbackResponse, Tag, Theme, ThemeRule
from tenancy.access import Access, membership_for, plan_for
from tenancy.models import READ_ONLY_ROLES


@login_required
@require_GET
def organisation_themes(request, pk):
    organisation = services.taxonomy_access(request.user, pk)
    request.session["current_organisation_id"] = organisation.pk
    macros = (Theme.objects.filter(organisation=organisation, parent=None)
              .prefetch_related(Prefetch("children", Theme.objects.prefetch_related("rules")), "rules"))
    membership = membership_for(request.user, organisation.pk)
    return render(request, "assessments/themes/organisation.html", {
        "organisation": organisation, "macros": macros, "tags": Tag.objects.filter(organisation=organisation),
        "membership": membership, "can_edit": membership.role not in READ_ONLY_ROLES,
    })


def _error_message(error: ValidationError) -> str:
    return " ".join(message for messages_ in error.message_dict.values() for message in messages_) \
        if hasattr(error, "error_dict") else " ".join(error.messages)


@login_required
@require_POST
def organisation_themes_change(request, pk):
    """One form per action (add or delete a theme, a rule or a tag; apply the rules): back to the page."""
    organisation = services.taxonomy_access(request.user, pk, edit=True)
    action, post, user = request.POST.get("action", ""), request.POST, request.user
    themes = Theme.objects.filter(organisation=organisation)
    try:
        if action == "theme_add":
            parent = themes.filter(pk=_id(post, "parent")).first() if post.get("parent") else None
            theme = services.theme_create(organisation=organisation, actor=user, name=post.get("name", ""),
                                          parent=parent)
            messages.success(request, _("Theme “%s” added.") % theme)
        elif action == "theme_delete":
            services.theme_delete(theme=_get(themes, _id(post, "theme")), actor=user)
            messages.success(request, _("Theme deleted."))
        elif action == "rule_add":
            rule = services.rule_create(theme=_get(themes, _id(post, "theme")), actor=user,
                                        phrase=post.get("phrase", ""))
            messages.success(request, _("Rule “%s” added: apply the rules to see its effect.") % rule)
        elif action == "rule_delete":
            rules = ThemeRule.objects.filter(theme__organisation=organisation).select_related("theme")
            services.rule_delete(rule=_get(rules, _id(post, "rule")), actor=user)
            messages.success(request, _("Rule deleted."))
        elif action == "tag_add":
            tag = services.tag_create(organisation=organisation, actor=user, name=post.get("name", ""))
            messages.success(request, _("Tag “%s” added.") % tag)
        elif action == "tag_delete":
            tags = Tag.objects.filter(organisation=organisation)
            services.tag_delete(tag=_get(tags, _id(post, "tag")), actor=user)
            messages.success(request, _("Tag deleted."))
        elif action == "apply":
            done = services.rule_themes_apply_all(organisation=organisation, actor=user)
            messages.success(request, _("Rules applied to %(responses)s responses: %(assignments)s themes set by "
                                        "rules.") % done)
        else:
            raise Http404(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, _error_message(error))
    return redirect(reverse("organisation_themes", args=[organisation.pk]))


def _id(post, name) -> int:
    value = post.get(name, "")
    if not value.isdigit():
        raise Http404(_("Unknown item."))
    return int(value)


def _get(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Unknown item."))
    return found


@login_required
@require_POST
def verbatim_change(request, pk):
    """Add or remove a theme or a tag on one verbatim, or correct its sentiment; then back to where it was done."""
    response = FeedbackResponse.objects.filter(pk=pk).first()
    if response is None:
        raise Http404(_("No such response."))
    response.plan = plan_for(request.user, response.plan_id, Access.EDIT)
    action, post, user = request.POST.get("action", ""), request.POST, request.user
    try:
        if action == "theme_add":
            theme = _get(Theme.objects.filter(organisation_id=response.plan.organisation_id), _id(post, "theme"))
            services.verbatim_theme_add(response=response, actor=user, theme=theme)
        elif action == "theme_remove":
            services.verbatim_theme_remove(response=response, actor=user, theme_id=_id(post, "theme"))
        elif action == "tag_add":
            services.verbatim_tag_add(response=response, actor=user, name=post.get("tag", ""))
        elif action == "tag_remove":
            services.verbatim_tag_remove(response=response, actor=user, tag_id=_id(post, "tag"))
        elif action == "sentiment":
            feedback_services.feedback_sentiment_correct(response=response, actor=user,
                                                         sentiment=post.get("sentiment", ""))
        else:
            raise Http404(_("Unknown action."))
        messages.success(request, _("Verbatim updated."))
    except ValidationError as error:
        messages.error(request, _error_message(error))
    back = post.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("plan_feedback", args=[response.plan_id]) + "#verbatims"
    return redirect(back)


urlpatterns = [
    path("organisations/<int:pk>/themes/", organisation_themes, name="organisation_themes"),
    path("organisations/<int:pk>/themes/change/", organisation_themes_change, name="organisation_themes_change"),
    path("feedback/<int:pk>/verbatim/", verbatim_change, name="verbatim_change"),
]
