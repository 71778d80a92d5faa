import { z } from "zod";
import { CACHE } from "./http";
import {
  ApiError,
  components,
  IssuerPage,
  IssuerResponse,
  OfferingPage,
  OfferingQuery,
  OfferingResponse,
  PageQuery,
  ProjectPage,
  ProjectQuery,
  ProjectResponse,
  SpendingPage,
  UpdatePage,
} from "./schemas";

/**
 * Every operation of the open data API. The route handlers take their query schema, response
 * schema and caching from here, and the OpenAPI document is made from the same entries, so the
 * two cannot drift apart.
 */
type Operation = {
  path: string;
  operationId: string;
  tag: "Issuers" | "Offerings" | "Projects";
  summary: string;
  query: z.ZodObject;
  response: z.ZodType;
  cache: string;
  /** What a 404 is about, for the operations with a `{slug}`. */
  what: string;
};

const EmptyQuery = z.object({});

export const API = {
  issuers: {
    path: "/issuers",
    operationId: "listIssuers",
    tag: "Issuers",
    summary: "Issuers (villages and municipalities), by slug",
    query: PageQuery,
    response: IssuerPage,
    cache: CACHE.stable,
    what: "issuer",
  },
  issuer: { path: "/issuers/{slug}", operationId: "getIssuer", tag: "Issuers", summary: "One issuer", query: EmptyQuery, response: IssuerResponse, cache: CACHE.stable, what: "issuer" },
  offerings: {
    path: "/offerings",
    operationId: "listOfferings",
    tag: "Offerings",
    summary: "Offerings (never drafts), newest opening first, with terms, progress and the latest reconciliation",
    query: OfferingQuery,
    response: OfferingPage,
    cache: CACHE.live,
    what: "offering",
  },
  offering: { path: "/offerings/{slug}", operationId: "getOffering", tag: "Offerings", summary: "One offering", query: EmptyQuery, response: OfferingResponse, cache: CACHE.live, what: "offering" },
  projects: {
    path: "/projects",
    operationId: "listProjects",
    tag: "Projects",
    summary: "Published projects, newest first, with budget, funding and spending",
    query: ProjectQuery,
    response: ProjectPage,
    cache: CACHE.stable,
    what: "project",
  },
  project: {
    path: "/projects/{slug}",
    operationId: "getProject",
    tag: "Projects",
    summary: "One published project",
    query: EmptyQuery,
    response: ProjectResponse,
    cache: CACHE.stable,
    what: "project",
  },
  spending: {
    path: "/projects/{slug}/spending",
    operationId: "listProjectSpending",
    tag: "Projects",
    summary: "What a published project has spent, latest day first",
    query: PageQuery,
    response: SpendingPage,
    cache: CACHE.stable,
    what: "project",
  },
  updates: {
    path: "/projects/{slug}/updates",
    operationId: "listProjectUpdates",
    tag: "Projects",
    summary: "A published project's published updates, newest first",
    query: PageQuery,
    response: UpdatePage,
    cache: CACHE.stable,
    what: "project",
  },
} satisfies Record<string, Operation>;

const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${components.get(schema)!.id}` });

/** A JSON Schema as OpenAPI 3.1 embeds it: without the dialect and id zod adds to a standalone one. */
function embedded(schema: Record<string, unknown>) {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function parameters(operation: Operation) {
  const inPath = operation.path.includes("{slug}") ? [{ name: "slug", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9]+(?:-[a-z0-9]+)*$" } }] : [];
  const inQuery = Object.entries(operation.query.shape).map(([name, schema]) => {
    const { description, ...json } = embedded(z.toJSONSchema(schema as z.ZodType, { io: "input", target: "draft-2020-12" }));
    return { name, in: "query", required: !(schema as z.ZodType).safeParse(undefined).success, ...(description ? { description } : {}), schema: json };
  });
  return [...inPath, ...inQuery];
}

const error = (description: string, headers?: Record<string, unknown>) => ({ description, ...(headers ? { headers } : {}), content: { "application/json": { schema: ref(ApiError) } } });

function operationObject(operation: Operation) {
  const hasSlug = operation.path.includes("{slug}");
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    parameters: parameters(operation),
    responses: {
      "200": {
        description: "OK",
        headers: { "Cache-Control": { schema: { type: "string", const: operation.cache } }, ETag: { schema: { type: "string" } } },
        content: { "application/json": { schema: ref(operation.response) } },
      },
      "304": { description: "Not modified (the request's If-None-Match has the current ETag)" },
      "400": { $ref: "#/components/responses/BadRequest" },
      ...(hasSlug ? { "404": { $ref: "#/components/responses/NotFound" } } : {}),
      "429": { $ref: "#/components/responses/RateLimited" },
    },
  };
}

let built: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 description of /api/v1, made from the operations and schemas above. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  if (built && (built.servers as { url: string }[])[0]!.url === serverUrl) return built;
  const { schemas } = z.toJSONSchema(components, { target: "draft-2020-12", io: "output", uri: (id) => `#/components/schemas/${id}` });
  built = {
    openapi: "3.1.0",
    info: {
      title: "Village offering portal: open data",
      version: "1.0.0",
      description:
        "Read-only public data: issuers, their offerings (terms, progress, token, the latest reconciliation of chain and ledger), the projects the proceeds fund, their spending and updates. Nothing personal is ever in it. Money is integer yen; times are ISO 8601 (UTC); lists page with `limit` and `cursor`. Each client may make a limited number of requests a minute (429 with Retry-After beyond it). Any origin may read it (CORS).",
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: "Issuers", description: "Villages and municipalities" },
      { name: "Offerings", description: "Token offerings and their progress" },
      { name: "Projects", description: "What the proceeds fund" },
    ],
    paths: Object.fromEntries(Object.values(API).map((operation) => [operation.path, { get: operationObject(operation) }])),
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, embedded(schema as Record<string, unknown>)])),
      responses: {
        BadRequest: error("A query parameter is invalid"),
        NotFound: error("Nothing public has this slug"),
        RateLimited: error("Too many requests from this client; try again after Retry-After seconds", {
          "Retry-After": { description: "Seconds until the next window", schema: { type: "integer", minimum: 1 } },
        }),
      },
    },
  };
  return built;
}
