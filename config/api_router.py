"""The one API router: /api/v1/<plural-kebab-case>/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from core.api.views import ObtainTokenView
from planning.api.views import MembershipViewSet, OrganisationViewSet, PlanViewSet, TeamViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("teams", TeamViewSet, basename="team")
router.register("plans", PlanViewSet, basename="plan")

urlpatterns = [path("auth/token/", ObtainTokenView.as_view(), name="api-token")] + router.urls
