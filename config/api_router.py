"""The one API router: /api/v1/<plural-kebab-case>/.

Each app lists its resources (plain viewsets); the sync layer's idempotent writes and upserts are added here
(sync.api.compose.with_sync), so no app below has to import it.
"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from assessments.api.routes import ROUTES as ASSESSMENT_ROUTES
from assessments.api.routes import URLS as ASSESSMENT_URLS
from experience.api.routes import ROUTES as EXPERIENCE_ROUTES
from kpis.api.routes import ROUTES as KPI_ROUTES
from library.api import LibraryItemViewSet, PlanTemplateViewSet, TemplateUseViewSet
from listening.api.routes import ROUTES as LISTENING_ROUTES
from planning.api.journeys import (
    ChannelViewSet,
    JourneyViewSet,
    PersonaViewSet,
    StageViewSet,
    StakeholderViewSet,
    TouchpointViewSet,
)
from roadmaps.api.routes import ROUTES as ROADMAP_ROUTES
from roadmaps.api.routes import URLS as ROADMAP_URLS
from roadmaps.api.routes import VIEW_URLS as ROADMAP_VIEW_URLS
from sharing.api import ShareLinkViewSet
from sso.api import SsoConfigurationViewSet
from sync.api.auth_token import ObtainTokenView
from sync.api.changes import ChangesView
from sync.api.compose import with_sync
from sync.api.tokens import ApiTokenViewSet
from sync.webhooks.api import WebhookSubscriptionViewSet
from tenancy.api.views import MembershipViewSet, OrganisationViewSet, PlanViewSet, TeamViewSet
from versions.api import DuplicationViewSet, PlanVersionViewSet
from workshops.api.comments import CommentViewSet
from workshops.api.moderation import PendingCommentViewSet

RESOURCES = [
    ("organisations", OrganisationViewSet, "organisation"),
    ("memberships", MembershipViewSet, "membership"),
    ("teams", TeamViewSet, "team"),
    ("plans", PlanViewSet, "plan"),
    ("channels", ChannelViewSet, "channel"),
    ("personas", PersonaViewSet, "persona"),
    ("stakeholders", StakeholderViewSet, "stakeholder"),
    ("journeys", JourneyViewSet, "journey"),
    ("stages", StageViewSet, "stage"),
    ("touchpoints", TouchpointViewSet, "touchpoint"),
    ("comments", CommentViewSet, "comment"),
    *ASSESSMENT_ROUTES,
    *EXPERIENCE_ROUTES,
    *LISTENING_ROUTES,
    *ROADMAP_ROUTES,
    *KPI_ROUTES,
]

router = DefaultRouter()
for prefix, viewset, basename in RESOURCES:
    router.register(prefix, with_sync(viewset), basename=basename)
# The sync layer's own resources (token creation is deliberately not idempotent: a replay would need the raw token).
router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhook-subscription")
router.register("api-tokens", ApiTokenViewSet, basename="api-token")
router.register("share-links", ShareLinkViewSet, basename="share-link")  # creation not idempotent either
# Moderation answers and changes nothing when replayed; an approval enters the feed as the comment's update.
router.register("pending-comments", PendingCommentViewSet, basename="pending-comment")
router.register("plan-versions", PlanVersionViewSet, basename="plan-version")
router.register("duplications", DuplicationViewSet, basename="duplication")
router.register("plan-templates", PlanTemplateViewSet, basename="plan-template")
router.register("template-uses", TemplateUseViewSet, basename="template-use")
router.register("library-items", LibraryItemViewSet, basename="library-item")
router.register("sso-configurations", SsoConfigurationViewSet, basename="sso-configuration")  # secret write-only

urlpatterns = [path("auth/token/", ObtainTokenView.as_view(), name="api-token"), *ASSESSMENT_URLS, *ROADMAP_URLS]
urlpatterns += [
    path(route, with_sync(viewset).as_view(actions), name=name) for route, viewset, actions, name in ROADMAP_VIEW_URLS
]
urlpatterns += router.urls
urlpatterns += [path("changes/", ChangesView.as_view(), name="changes")]
