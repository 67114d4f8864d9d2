#!/usr/bin/env python3
"""Mirror one plan of Journey Planner into a local JSON file, and push local edits back. Standard library only.

    python sync_plan.py pull --server https://journeys.example.com --token KEY --plan 12 --file plan.json
    python sync_plan.py push --file plan.json --token KEY     (edit "objects" in the file first)

`pull` follows the changes feed (GET /api/v1/changes/) from the cursor kept in the file, so each run fetches
only what changed since the last one, deletions included. `push` sends each locally edited object with PATCH and
If-Match (the version it was based on); if someone changed it on the server meanwhile, the server answers 412
and the conflict is reported with the server's current version (pull, merge, and push again).

The file: {"server", "plan", "organisation", "cursor", "objects": {"<type>:<id>": object you may edit},
"base": {"<type>:<id>": the server's copy at the last sync}, "urls": {"<type>:<id>": its API address}}.
"""

import argparse
import copy
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

READ_ONLY = {"id", "version", "created_at", "updated_at"}


def api(token, method, url, body=None, headers=None):
    """(status, JSON answer) of one request; HTTP errors are answers too."""
    scheme = "Bearer" if token.startswith("jp_") else "Token"
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"{scheme} {token}", "Accept": "application/json",
                                              "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def load(path, server=None, plan=None):
    if Path(path).exists():
        return json.loads(Path(path).read_text())
    if server is None or plan is None:
        sys.exit(f"{path} does not exist yet: give --server and --plan to start a mirror")
    return {"server": server.rstrip("/"), "plan": plan, "cursor": None, "objects": {}, "base": {}, "urls": {}}


def save(path, state):
    Path(path).write_text(json.dumps(state, indent=2, ensure_ascii=False, sort_keys=True))


def apply(state, entry):
    """Apply one feed entry to the mirror; True if it changed something. Idempotent, by version."""
    key, obj = f"{entry['type']}:{entry['id']}", entry["object"]
    ours = entry["plan"] == state["plan"] or (entry["type"] == "plan" and entry["id"] == state["plan"])
    if not ours or obj is None:  # another plan's, an organisation-level object, or a type the API does not serve
        return False
    if obj.get("deleted"):
        if entry["type"] == "plan":  # the plan is gone, and everything in it
            state["objects"], state["base"], state["urls"] = {}, {}, {}
            return True
        had = key in state["base"]
        for part in ("objects", "base", "urls"):
            state[part].pop(key, None)
        return had
    base = state["base"].get(key)
    if base is not None and base["version"] >= obj["version"]:
        return False  # already there: entries carry the object's current state, so a later one may come first
    if key in state["objects"] and state["objects"][key] != base:
        return False  # edited here and changed there: keep the edit; push reports the conflict
    state["objects"][key], state["base"][key] = copy.deepcopy(obj), obj
    state["urls"][key] = entry["url"]
    return True


def pull(state, token, page_size=500):
    """Follow the feed from the stored cursor to its end; returns how many objects changed in the mirror."""
    if "organisation" not in state:  # the feed is per organisation: the plan's
        status, plan = api(token, "GET", f"{state['server']}/api/v1/plans/{state['plan']}/")
        if status != 200:
            sys.exit(f"cannot read plan {state['plan']}: {status} {plan}")
        state["organisation"] = plan["organisation"]
    changed = 0
    while True:
        query = {"organisation": state["organisation"], "page_size": page_size}
        if state["cursor"]:
            query["cursor"] = state["cursor"]
        status, page = api(token, "GET", f"{state['server']}/api/v1/changes/?{urllib.parse.urlencode(query)}")
        if status != 200:
            sys.exit(f"the changes feed answered {status}: {page}")
        changed += sum(apply(state, entry) for entry in page["results"])
        state["cursor"] = page["next"]
        if not page["has_more"]:
            return changed


def push(state, token):
    """PATCH every locally edited object with If-Match; returns (pushed keys, conflicts)."""
    pushed, conflicts = [], []
    for key, mine in list(state["objects"].items()):
        base = state["base"].get(key)
        changes = {k: v for k, v in mine.items() if k not in READ_ONLY and base is not None and base.get(k) != v}
        if not changes:
            continue
        status, answer = api(token, "PATCH", state["urls"][key], changes, {"If-Match": f'"{base["version"]}"'})
        if status == 200:
            state["objects"][key], state["base"][key] = copy.deepcopy(answer), answer
            pushed.append(key)
        elif status == 412:
            current = answer["current"]
            conflicts.append({"object": key, "yours": changes, "based_on": base["version"],
                              "server_version": current["version"], "server": current})
        else:
            sys.exit(f"PATCH {key} answered {status}: {answer}")
    return pushed, conflicts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["pull", "push", "sync"], help="sync = pull, then push")
    parser.add_argument("--file", required=True, help="the local JSON mirror")
    parser.add_argument("--token", required=True, help="an API token (jp_…) or a key from /api/v1/auth/token/")
    parser.add_argument("--server", help="the server's address (to start a mirror)")
    parser.add_argument("--plan", type=int, help="the plan's id (to start a mirror)")
    args = parser.parse_args(argv)
    state = load(args.file, args.server, args.plan)
    conflicts = []
    if args.command in ("pull", "sync"):
        print(f"pulled: {pull(state, args.token)} object(s) changed, {len(state['objects'])} in the mirror")
    if args.command in ("push", "sync"):
        pushed, conflicts = push(state, args.token)
        print(f"pushed: {len(pushed)} object(s)")
        for conflict in conflicts:
            print(f"conflict: {conflict['object']} was changed on the server (now version "
                  f"{conflict['server_version']}, your edit was based on version {conflict['based_on']}); "
                  f"your changes {json.dumps(conflict['yours'], ensure_ascii=False)} were not sent. "
                  "Pull, merge and push again.")
    save(args.file, state)
    return 1 if conflicts else 0


if __name__ == "__main__":
    sys.exit(main())
