import { apiRoute, preflight } from "@/lib/api/http";
import { getIssuer } from "@/lib/api/offerings";
import { API } from "@/lib/api/openapi";

export const GET = apiRoute(API.issuer, (_query, { slug }: { slug: string }) => getIssuer(slug));
export const OPTIONS = preflight;
