from django.urls import path

from tenancy import views

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
    path("organisations/<int:pk>/admin-log/", views.admin_log, name="admin_log"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
