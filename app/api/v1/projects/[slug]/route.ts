import { apiRoute, preflight } from "@/lib/api/http";
import { API } from "@/lib/api/openapi";
import { getProject } from "@/lib/api/projects";

export const GET = apiRoute(API.project, (_query, { slug }: { slug: string }) => getProject(slug));
export const OPTIONS = preflight;
