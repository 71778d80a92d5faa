import { apiRoute, preflight } from "@/lib/api/http";
import { API } from "@/lib/api/openapi";
import { listProjects } from "@/lib/api/projects";

export const GET = apiRoute(API.projects, (query) => listProjects(query));
export const OPTIONS = preflight;
