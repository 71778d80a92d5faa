import { documentRoute, portalUrl, preflight } from "@/lib/api/http";
import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI 3.1 description of every route under /api/v1. */
export const GET = documentRoute(() => openApiDocument(portalUrl("/api/v1")));
export const OPTIONS = preflight;
