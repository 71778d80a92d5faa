import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { env } from "@/lib/env";

const isEmailCallback = (request: NextRequest) => request.nextUrl.pathname.endsWith("/callback/email");

/** A GET of the magic link (a mail scanner, a preview) only leads to the confirmation page. */
export async function GET(request: NextRequest) {
  if (isEmailCallback(request)) {
    const confirm = new URL(`/sign-in/confirm${request.nextUrl.search}`, env().authUrl);
    return Response.redirect(confirm, 303);
  }
  return handlers.GET(request);
}

export async function POST(request: NextRequest) {
  // Sign-in mail goes out only through the rate-limited server action, never a direct POST.
  if (request.nextUrl.pathname.endsWith("/signin/email")) return new Response("Forbidden", { status: 403 });
  // The confirmation form posts from our own origin; anything else could sign a victim into another account.
  if (isEmailCallback(request) && request.headers.get("origin") !== new URL(env().authUrl).origin) {
    return new Response("Forbidden", { status: 403 });
  }
  return handlers.POST(request);
}
