from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.editing import apply_errors
from tenancy import selectors, services
from tenancy.access import organisation_for
from tenancy.forms import OrganisationForm
from tenancy.models import READ_ONLY_ROLES


@login_required
def dashboard(request):
    """Home: the current organisation's plans, or the list of organisations to choose from."""
    organisations = list(selectors.organisation_list(user=request.user))
    current_id = request.session.get("current_organisation_id")
    if any(o.pk == current_id for o in organisations):
        return redirect("organisation_detail", current_id)
    if len(organisations) == 1:
        return redirect("organisation_detail", organisations[0].pk)
    return render(request, "tenancy/dashboard.html", {"organisations": organisations})


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Organisation “%s” created. You are its owner.") % organisation.name)
            return redirect("organisation_detail", organisation.pk)
    return render(request, "tenancy/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    request.session["current_organisation_id"] = organisation.pk
    plans = selectors.plan_list(user=request.user, organisation=organisation)
    return render(request, "tenancy/organisation_detail.html", {
        "organisation": organisation, "membership": membership, "plans": plans,
        "can_create_plan": membership.role not in READ_ONLY_ROLES,
    })


@login_required
def organisation_settings(request, pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    form = OrganisationForm(request.POST or None, initial={"name": organisation.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("organisation_detail", organisation.pk)
    return render(request, "tenancy/organisation_settings.html", {
        "organisation": organisation, "membership": membership, "form": form,
    })
