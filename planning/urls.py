from django.urls import path

from . import views
from .views import catalogue, comments, journeys, workshops

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/settings/", views.organisation_settings, name="organisation_settings"),
    path("organisations/<int:pk>/members/", views.members, name="members"),
    path("organisations/<int:pk>/members/<int:member_pk>/role/", views.member_role, name="member_role"),
    path("organisations/<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("organisations/<int:pk>/invitations/new/", views.invitation_create, name="invitation_create"),
    path("organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
    path("organisations/<int:pk>/teams/", views.teams, name="teams"),
    path("organisations/<int:pk>/teams/new/", views.team_create, name="team_create"),
    path("organisations/<int:pk>/teams/<int:team_pk>/", views.team_edit, name="team_edit"),
    path("organisations/<int:pk>/teams/<int:team_pk>/delete/", views.team_delete, name="team_delete"),
    path("organisations/<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/access/", views.plan_access_page, name="plan_access"),
    path("plans/<int:pk>/access/<str:kind>/<int:principal_pk>/revoke/", views.plan_revoke_access,
         name="plan_revoke_access"),
]

# Journeys, stages, touchpoints and the journey map page (planning/views/journeys.py).
urlpatterns += journeys.urlpatterns

# Personas, stakeholders, channels and the activity history (planning/views/catalogue.py).
urlpatterns += catalogue.urlpatterns

# Live workshops: comments, notifications, the workshop page and dot voting (planning/views/comments.py,
# planning/views/workshops.py); the websocket is in planning/live/.
urlpatterns += comments.urlpatterns + workshops.urlpatterns
