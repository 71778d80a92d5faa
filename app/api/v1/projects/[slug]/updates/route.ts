import { apiRoute, preflight } from "@/lib/api/http";
import { API } from "@/lib/api/openapi";
import { listUpdates } from "@/lib/api/projects";

export const GET = apiRoute(API.updates, (query, { slug }: { slug: string }) => listUpdates(slug, query));
export const OPTIONS = preflight;
