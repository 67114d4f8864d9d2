from django.urls import path

from planning import views
from planning.views import catalogue, journeys

urlpatterns = [
    path("organisations/<int:pk>/plans/new/", views.plan_create, name="plan_create"),
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

