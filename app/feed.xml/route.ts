import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/catalog";
import { atomFeed, listFeedEntries } from "@/lib/projects/feed";

export const dynamic = "force-dynamic";

/** Atom feed of published updates; `?lang=en` for English. */
export async function GET(request: Request) {
  const locale = new URL(request.url).searchParams.get("lang") === "en" ? "en" : "ja";
  const body = atomFeed(await listFeedEntries(), { base: env().authUrl, locale, t: translator(locale) });
  return new Response(body, {
    headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300", "x-content-type-options": "nosniff" },
  });
}
