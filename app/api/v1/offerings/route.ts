import { apiRoute, preflight } from "@/lib/api/http";
import { listOfferings } from "@/lib/api/offerings";
import { API } from "@/lib/api/openapi";

export const GET = apiRoute(API.offerings, (query) => listOfferings(query));
export const OPTIONS = preflight;
