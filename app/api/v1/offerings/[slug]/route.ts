import { apiRoute, preflight } from "@/lib/api/http";
import { getOffering } from "@/lib/api/offerings";
import { API } from "@/lib/api/openapi";

export const GET = apiRoute(API.offering, (_query, { slug }: { slug: string }) => getOffering(slug));
export const OPTIONS = preflight;
