// The API's wire types, taken from the generated ./schema.ts (`npm run gen:api` from ../openapi.json).
import type { components, operations, paths } from "./schema";

type Schemas = components["schemas"];

/** One DIUN notification as stored (legacy shapes already normalised by the server). */
export type DiunEvent = Omit<Schemas["DiunEvent"], "metadata"> & {
  /** DIUN itself sends null for some providers; the server answers `{}` then, but stay tolerant. */
  metadata: Schemas["DiunEvent"]["metadata"] | null;
};

export type Tag = Schemas["Tag"];

/** The latest event of one image, keyed by image in `GET /api/updates`. */
export type UpdateEntry = Omit<Schemas["UpdateEntry"], "event"> & { event: DiunEvent };

export type UpdatesMap = Record<string, UpdateEntry>;

/** One item of an image's history (`GET /api/updates/{image}/events`). */
export type EventRecord = Omit<Schemas["EventRecord"], "event"> & { event: DiunEvent };

export type ErrorBody = Schemas["ErrorBody"];
export type CreateTag = Schemas["CreateTag"];
export type TagAssignment = Schemas["TagAssignment"];
export type Unassignment = Schemas["Unassignment"];

// Compile-time guards against drift: `npm run typecheck` fails when the spec drops an operation
// this dashboard calls, or when a response no longer fits the types above.
type Expect<T extends true> = T;
type Exists<P extends keyof paths, M extends keyof paths[P]> = [NonNullable<paths[P][M]>] extends [never] ? false : true;
type Json<O extends keyof operations, S extends keyof operations[O]["responses"]> = operations[O]["responses"][S] extends {
  content: infer C;
}
  ? C[keyof C]
  : never;
type Fits<A, B> = [A] extends [never] ? false : A extends B ? true : false;

export type SpecChecks = [
  Expect<Exists<"/api/updates", "get">>,
  Expect<Exists<"/api/updates/{image}", "patch">>,
  Expect<Exists<"/api/updates/{image}/events", "get">>,
  Expect<Exists<"/api/tags", "get">>,
  Expect<Exists<"/api/tags", "post">>,
  Expect<Exists<"/api/tags/{id}", "delete">>,
  Expect<Exists<"/api/tag-assignments", "put">>,
  Expect<Exists<"/api/tag-assignments", "delete">>,
  Expect<Fits<Json<"list_updates", 200>, UpdatesMap>>,
  Expect<Fits<Json<"list_image_events", 200>, EventRecord[]>>,
  Expect<Fits<Json<"list_tags", 200>, Tag[]>>,
  Expect<Fits<Json<"create_tag", 201>, Tag>>,
  Expect<Fits<Json<"create_tag", 400>, ErrorBody>>,
];
