import { apiRoute, preflight } from "@/lib/api/http";
import { API } from "@/lib/api/openapi";
import { listSpending } from "@/lib/api/projects";

export const GET = apiRoute(API.spending, (query, { slug }: { slug: string }) => listSpending(slug, query));
export const OPTIONS = preflight;
