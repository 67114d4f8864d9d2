"""examples/sync_plan.py against a live server, run as a user would (a separate Python with no site packages):
mirror a plan, follow server changes, push a local edit, and report a conflicting one."""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from planning import services
from planning.models import Channel, Touchpoint
from tenancy import services as tenancy_services
from tests.factories import PASSWORD

SCRIPT = Path(settings.BASE_DIR) / "examples" / "sync_plan.py"


@pytest.fixture
def server_plan(org, people, plan, other_plan):
    owner = people["owner"]
    tenancy_services.plan_update(plan=plan, actor=owner, description="Omnichannel journeys for 2027.")
    channel = Channel.objects.create(organisation=org, name="Website", kind="online")
    journey = services.journey_create(plan=plan, actor=owner, name="First purchase", template="purchase")
    touchpoint = services.touchpoint_create(stage=journey.stages.order_by("position").first(), channel=channel,
                                            actor=owner, name="Click an online ad")
    stakeholder = services.stakeholder_create(plan=plan, actor=owner, name="Sam Service")
    services.stakeholder_create(plan=other_plan, actor=people["outsider"], name="Not ours")
    return journey, touchpoint, stakeholder


@pytest.fixture
def run(live_server, people, plan, tmp_path, settings):
    settings.SITE_URL = live_server.url  # the feed's next links are absolute, on SITE_URL (core.site.absolute_url)
    request = urllib.request.Request(f"{live_server.url}/api/v1/auth/token/", method="POST",
                                     data=json.dumps({"username": people["editor"].username,
                                                      "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        token = json.loads(response.read())["token"]
    mirror = tmp_path / "plan.json"

    def run(command, *, expect=0):
        # -I -S: no site packages, no environment: the script needs nothing but the standard library.
        result = subprocess.run(
            [sys.executable, "-I", "-S", str(SCRIPT), command, "--file", str(mirror), "--token", token,
             "--server", live_server.url, "--plan", str(plan.pk)],
            capture_output=True, text=True, timeout=60)
        assert result.returncode == expect, result.stdout + result.stderr
        return result.stdout, json.loads(mirror.read_text())

    return run, mirror


def names(state, kind):
    return sorted(obj["name"] for key, obj in state["objects"].items() if key.startswith(f"{kind}:"))


def test_the_sync_example_mirrors_follows_pushes_and_reports_conflicts(run, server_plan, plan, people):
    run_script, mirror = run
    journey, touchpoint, stakeholder = server_plan

    output, state = run_script("pull")
    assert "in the mirror" in output and state["cursor"]
    assert names(state, "journey") == ["First purchase"]
    assert names(state, "stage") == ["After-sales", "Conversion", "Discovery", "Research"]
    assert names(state, "touchpoint") == ["Click an online ad"]
    assert names(state, "stakeholder") == ["Sam Service"]  # not the other organisation's
    assert state["objects"][f"plan:{plan.pk}"]["description"] == "Omnichannel journeys for 2027."
    assert not [key for key in state["objects"] if key.startswith("channel:")]  # organisation-level

    # Changes on the server arrive on the next pull, deletions included.
    services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Tap an online ad")
    services.stakeholder_delete(stakeholder=stakeholder, actor=people["owner"])
    services.persona_create(plan=plan, actor=people["owner"], name="Active Alex")
    cursor = state["cursor"]
    output, state = run_script("pull")
    assert output.startswith("pulled: 3 object(s) changed") and state["cursor"] != cursor
    assert names(state, "touchpoint") == ["Tap an online ad"] and names(state, "stakeholder") == []
    assert names(state, "persona") == ["Active Alex"]
    assert state["objects"][f"touchpoint:{touchpoint.pk}"]["version"] == 2

    # A local edit is pushed with If-Match and lands on the server.
    state["objects"][f"touchpoint:{touchpoint.pk}"]["customer_action"] = "Taps the ad on a phone"
    mirror.write_text(json.dumps(state))
    output, state = run_script("push")
    assert "pushed: 1 object(s)" in output
    server = Touchpoint.objects.get(pk=touchpoint.pk)
    assert (server.customer_action, server.version) == ("Taps the ad on a phone", 3)
    assert state["base"][f"touchpoint:{touchpoint.pk}"]["version"] == 3
    output, state = run_script("pull")  # its own change comes back through the feed: nothing to apply
    assert output.startswith("pulled: 0 object(s) changed")

    # Someone changes it on the server; a local edit based on the old version is refused and reported.
    services.touchpoint_update(touchpoint=server, actor=people["owner"], name="Scan a QR code")
    state["objects"][f"touchpoint:{touchpoint.pk}"]["name"] = "My local name"
    mirror.write_text(json.dumps(state))
    output, state = run_script("sync", expect=1)
    assert f"conflict: touchpoint:{touchpoint.pk} was changed on the server (now version 4, your edit was based " \
           "on version 3)" in output
    assert Touchpoint.objects.get(pk=touchpoint.pk).name == "Scan a QR code"
    assert state["objects"][f"touchpoint:{touchpoint.pk}"]["name"] == "My local name"  # the edit is kept


def test_deleting_the_plan_empties_the_mirror(run, server_plan, plan, people):
    run_script, _mirror = run
    _output, state = run_script("pull")
    assert len(state["objects"]) > 5
    tenancy_services.plan_delete(plan=plan, actor=people["owner"])
    _output, state = run_script("pull")
    assert state["objects"] == {}
