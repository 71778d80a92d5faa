import { z } from "zod";
import { withRole } from "@/lib/auth/route-guard";
import { issuerIdsOf } from "@/lib/issuers/access";
import { demoOnlyRoute } from "@/lib/demo-route";
import { grantDemoHolding } from "@/lib/register/demo";

const bodySchema = z.object({
  email: z.email(),
  units: z.number().int().min(1).max(10_000),
  offeringSlug: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/)
    .optional(),
});

/**
 * Demo mode only, staff only: makes a signed-up user a holder without a payment (ledger entries
 * marked demo), for trying holder features and for the end-to-end tests. Every method is 404 in
 * live mode. JSON only, so a cross-site form cannot post to it.
 */
const route = demoOnlyRoute({
  POST: withRole("staff", async (request, user) => {
    if (!request.headers.get("content-type")?.startsWith("application/json")) return new Response("Unsupported media type", { status: 415 });
    const body = bodySchema.safeParse(await request.json().catch(() => null));
    if (!body.success) return new Response("Bad request", { status: 400 });
    const result = await grantDemoHolding({ ...body.data, actorId: user.id, issuerIds: await issuerIdsOf(user) });
    if (!result.ok) return Response.json({ error: result.error }, { status: 404 });
    return Response.json(result);
  }),
});
export const GET = route.GET;
export const HEAD = route.HEAD;
export const POST = route.POST;
export const PUT = route.PUT;
export const PATCH = route.PATCH;
export const DELETE = route.DELETE;
export const OPTIONS = route.OPTIONS;
