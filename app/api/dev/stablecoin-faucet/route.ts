import { z } from "zod";
import { getDb } from "@/db/client";
import { withRole } from "@/lib/auth/route-guard";
import { chainContext } from "@/lib/chain/context";
import { demoOnlyRoute } from "@/lib/demo-route";
import { translator } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";
import { getLocale } from "@/lib/i18n/server";
import { devFaucet, FAUCET_CAP_YEN } from "@/lib/stablecoin/faucet";

const bodySchema = z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/) });

const STATUS = { not_linked: 404, not_ready: 503, too_soon: 429, capped: 409, failed: 502 } as const;
const MESSAGE = { not_linked: "notLinked", not_ready: "notReady", too_soon: "tooSoon", capped: "capped", failed: "failed" } as const;

/**
 * Demo mode only (404 to every method in live mode), signed-in investors only: mints test JPYC on
 * the dev chain to one of the caller's linked wallets. JSON only, so a cross-site form cannot post to it.
 */
const route = demoOnlyRoute({
  POST: withRole("investor", async (request, user) => {
    const t = translator(await getLocale());
    if (!request.headers.get("content-type")?.startsWith("application/json")) return new Response("Unsupported media type", { status: 415 });
    const body = bodySchema.safeParse(await request.json().catch(() => null));
    if (!body.success) return Response.json({ status: "error", message: t("stablecoin.devFaucet.invalid") }, { status: 400 });
    const result = await devFaucet(getDb(), chainContext(), user.id, body.data.address as `0x${string}`);
    if (result.ok) {
      return Response.json({ status: "ok", message: t("stablecoin.devFaucet.sent", { address: result.address, amount: formatYen(result.yen) }), txHash: result.txHash });
    }
    const message = t(`stablecoin.devFaucet.${MESSAGE[result.reason]}`, {
      seconds: result.reason === "too_soon" ? result.retryAfterSeconds : 0,
      cap: formatYen(FAUCET_CAP_YEN),
    });
    const headers = result.reason === "too_soon" ? { "retry-after": String(result.retryAfterSeconds) } : undefined;
    return Response.json({ status: "error", message }, { status: STATUS[result.reason], headers });
  }),
});
export const GET = route.GET;
export const HEAD = route.HEAD;
export const POST = route.POST;
export const PUT = route.PUT;
export const PATCH = route.PATCH;
export const DELETE = route.DELETE;
export const OPTIONS = route.OPTIONS;
