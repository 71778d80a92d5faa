import { apiRoute, preflight } from "@/lib/api/http";
import { listIssuers } from "@/lib/api/offerings";
import { API } from "@/lib/api/openapi";

export const GET = apiRoute(API.issuers, (query) => listIssuers(query));
export const OPTIONS = preflight;
