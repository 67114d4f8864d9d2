import pytest

from sso import services
from tenancy.models import Role


@pytest.fixture
def sso_config(org, people, team):
    """Northern Trail Outfitters owns ntoutfitters.test; SSO is set up (not required), with group mappings."""
    return services.configuration_save(
        organisation=org, actor=people["owner"], issuer="https://login.ntoutfitters.test/realms/nto",
        client_id="journey-planner", client_secret="a-long-client-secret-9876", domains=["ntoutfitters.test"],
        default_role=Role.VIEWER, groups_claim="groups",
        group_mappings=[{"group": "jp-admins", "role": Role.ADMIN}, {"group": "jp-editors", "role": Role.EDITOR},
                        {"group": "customer-service", "team": team}])
