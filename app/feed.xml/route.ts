import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/catalog";
import { atomFeed, listFeedEntries } from "@/lib/projects/feed";
import { endedVoteResults } from "@/lib/votes/queries";

export const dynamic = "force-dynamic";

/** Atom feed of published updates and holder vote results; `?lang=en` for English. */
export async function GET(request: Request) {
  const locale = new URL(request.url).searchParams.get("lang") === "en" ? "en" : "ja";
  const [entries, votes] = await Promise.all([listFeedEntries(), endedVoteResults()]);
  const body = atomFeed(entries, { base: env().authUrl, locale, t: translator(locale), votes });
  return new Response(body, {
    headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300", "x-content-type-options": "nosniff" },
  });
}
