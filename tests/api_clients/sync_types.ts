// Type-checked by test_typescript_types.py (`tsc --noEmit --strict`) against the types openapi-typescript
// generates from the schema into ./schema.ts: a small sync client's view of the API, with no `any` in sight.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];
type TouchpointPath = paths["/api/v1/touchpoints/{id}/"];
type Patch = NonNullable<TouchpointPath["patch"]["requestBody"]>["content"]["application/json"];
type Conflict = TouchpointPath["patch"]["responses"][412]["content"]["application/problem+json"];
type Feed = paths["/api/v1/changes/"]["get"]["responses"][200]["content"]["application/json"];
type Upsert = paths["/api/v1/stakeholders/by-external-id/{external_source}/{external_id}/"]["put"];

export const change: Patch = { name: "Click a search ad" };
export const precondition: NonNullable<TouchpointPath["patch"]["parameters"]["header"]> = { "If-Match": '"3"' };

export function stillThere(answer: Conflict): string {
  return answer.current === null ? "deleted" : answer.current.name;
}

export function touchpointNames(feed: Feed): string[] {
  const names: string[] = [];
  for (const entry of feed.results) {
    if (entry.type === "touchpoint" && !("deleted" in entry.object)) {
      names.push(entry.object.name); // narrowed to a Touchpoint by `type`
    }
  }
  return names;
}

export function upsertHeaders(etag: string): NonNullable<Upsert["parameters"]["header"]> {
  return { "If-Match": etag, "Idempotency-Key": "crm-S-1-v2" };
}

export const item: Schemas["StakeholderUpsertItemRequest"] = {
  plan: 1, name: "Sam Service", external_source: "crm", external_id: "S-1",
};

// @ts-expect-error: a bulk upsert's item needs its external id.
export const missingExternalId: Schemas["StakeholderUpsertItemRequest"] = { plan: 1, name: "Sam" };

// @ts-expect-error: `type` says which resource an entry's object is; a persona's has no `stage`.
export const wrongObject = (entry: Schemas["FeedChangePersona"]) => entry.object.stage;

export const exportFormat: Schemas["ExportRequestRequest"]["format"] = "pdf";
