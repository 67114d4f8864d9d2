"""The pages a share link opens, for visitors without an account: read-only, within the link's scope.

They render the templates of the viewer's pages (the journey map's grid and lanes, persona cards) with a
read-only context built from the link (sharing.selectors), not through the access rule with a user: whatever the
visitor asks for is looked up from the link's plan, so nothing else can be reached. Unknown, expired, revoked or
not-yet-opened links answer 404 like a page that does not exist.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from planning.views._map import grid_context
from sharing import selectors, services, session
from sharing.forms import SharePasswordForm
from sharing.models import ShareLink, ShareScope
from sharing.views.present import link_scope, present

NAV = [("overview", gettext_lazy("Overview"), "shared_home"),
       ("personas", gettext_lazy("Personas"), "shared_personas"),
       ("journeys", gettext_lazy("Journeys"), "shared_journeys"),
       ("roadmap", gettext_lazy("Roadmap"), "shared_roadmap")]


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _home(link: ShareLink) -> str:
    if link.scope == ShareScope.JOURNEY:
        return reverse("shared_journey", args=[link.prefix, link.journey_id])
    if link.scope == ShareScope.ROADMAP:
        return reverse("shared_roadmap", args=[link.prefix])
    return reverse("shared_home", args=[link.prefix])


def _enter(request, link: ShareLink):
    response = redirect(_home(link))
    session.grant(request, response, link)
    services.share_link_opened(link)
    return response


@never_cache
def share_open(request, token):
    """/s/<token>/: the link itself. Asks for the password if it has one, then opens the share session."""
    link = services.share_link_by_token(token)
    if link is None:
        raise Http404(_("No such link."))
    if not link.has_password:
        return _enter(request, link)
    form = SharePasswordForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.password_tries_left(link, _address(request)) == 0:
            form.add_error(None, _("Too many wrong passwords. Wait a minute, then try again."))
            status = 429
        elif services.share_link_check_password(link, form.cleaned_data["password"], _address(request)):
            return _enter(request, link)
        else:
            form.add_error("password", _("This is not the password of this link."))
    return render(request, "sharing/password.html", {"form": form, "share": link}, status=status)


def _link(request, prefix) -> ShareLink:
    """The link this share session opened, if it still may be used; else 404."""
    link = services.share_link_by_prefix(prefix)
    if link is None or link.pk not in session.granted_links(request):
        raise Http404(_("No such link."))
    return link


def _context(link: ShareLink, section: str, **extra) -> dict:
    nav = [{"label": label, "url": reverse(name, args=[link.prefix]), "current": key == section}
           for key, label, name in NAV if key in selectors.SECTIONS[link.scope]]
    return {"share": link, "plan": link.plan, "organisation": link.plan.organisation, "share_nav": nav,
            "hide_names": link.hide_member_names, "can_edit": False, "may_edit": False, **extra}


@never_cache
def shared_home(request, prefix):
    link = _link(request, prefix)
    if link.scope != ShareScope.PLAN:
        return redirect(_home(link))
    return render(request, "sharing/overview.html", _context(
        link, "overview", journey_count=link.plan.journeys.count(), persona_count=link.plan.personas.count()))


@never_cache
def shared_personas(request, prefix):
    link = _link(request, prefix)
    return render(request, "sharing/personas.html",
                  _context(link, "personas", personas=selectors.shared_personas(link)))


@never_cache
def shared_journeys(request, prefix):
    link = _link(request, prefix)
    return render(request, "sharing/journeys.html",
                  _context(link, "journeys", journeys=selectors.shared_journeys(link)))


@never_cache
def shared_journey(request, prefix, pk):
    link = _link(request, prefix)
    journey = selectors.shared_journey(link, pk)
    context = _context(link, "journeys", persona=journey.persona) | grid_context(journey, can_edit=False)
    return render(request, "sharing/journey_map.html", context)


@never_cache
def shared_roadmap(request, prefix):
    link = _link(request, prefix)
    scored = selectors.shared_roadmap(link)
    rows = [{"rank": rank, "item": item, "score": score} for rank, (item, score) in enumerate(scored["ranked"], 1)]
    return render(request, "sharing/roadmap.html", _context(link, "roadmap", rows=rows))


@never_cache
def shared_present(request, prefix):
    """The presentation of what the link shows (sharing/views/present.py)."""
    link = _link(request, prefix)
    return present(request, link.plan, link_scope(link), leave_url=_home(link), share=link)


@require_POST
def share_leave(request):
    """End the share session in this browser."""
    response = render(request, "sharing/left.html")
    session.end(response)
    return response


urlpatterns = [
    path("s/<str:token>/", share_open, name="share_open"),
    path("shared/leave/", share_leave, name="share_leave"),
    path("shared/<str:prefix>/", shared_home, name="shared_home"),
    path("shared/<str:prefix>/personas/", shared_personas, name="shared_personas"),
    path("shared/<str:prefix>/journeys/", shared_journeys, name="shared_journeys"),
    path("shared/<str:prefix>/journeys/<int:pk>/", shared_journey, name="shared_journey"),
    path("shared/<str:prefix>/roadmap/", shared_roadmap, name="shared_roadmap"),
    path("shared/<str:prefix>/present/", shared_present, name="shared_present"),
]
