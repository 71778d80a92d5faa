import { preflight, unknownRoute } from "@/lib/api/http";

/** Any other path under /api/v1 answers a JSON 404. */
export const GET = unknownRoute;
export const OPTIONS = preflight;
