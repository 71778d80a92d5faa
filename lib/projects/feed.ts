import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { projects, projectUpdateImages, projectUpdates } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { markdownToText, renderMarkdown } from "@/lib/markdown/render";
import type { EndedVoteResult } from "@/lib/votes/queries";

export async function listFeedEntries(limit = 50, now = new Date()) {
  const db = getDb();
  const rows = await db
    .select({ update: projectUpdates, slug: projects.slug, projectJa: projects.titleJa, projectEn: projects.titleEn })
    .from(projectUpdates)
    .innerJoin(projects, eq(projects.id, projectUpdates.projectId))
    .where(and(isNotNull(projectUpdates.publishedAt), lte(projectUpdates.publishedAt, now), isNotNull(projects.publishedAt), lte(projects.publishedAt, now)))
    .orderBy(desc(projectUpdates.publishedAt))
    .limit(limit);
  const photos = rows.length
    ? await db
        .select({ updateId: projectUpdateImages.updateId, imageId: projectUpdateImages.imageId })
        .from(projectUpdateImages)
        .where(
          inArray(
            projectUpdateImages.updateId,
            rows.map((row) => row.update.id),
          ),
        )
        .orderBy(asc(projectUpdateImages.position))
    : [];
  return rows.map((row) => ({ ...row, imageIds: photos.filter((photo) => photo.updateId === row.update.id).map((photo) => photo.imageId) }));
}

export type FeedEntry = Awaited<ReturnType<typeof listFeedEntries>>[number];

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** An ended vote's result as an entry: the outcome (ties as ties), each option's votes and weight, the turnout; it links the vote's page. */
function voteEntry(result: EndedVoteResult, base: string, locale: Locale, t: Translate): string {
  const label = (option: { labelJa: string; labelEn: string }) => localized(option, "label", locale);
  const leaders = result.options.filter((option) => option.leading).map(label);
  const outcome =
    result.outcome.kind === "winner"
      ? t("votes.results.winner", { option: leaders[0]! })
      : result.outcome.kind === "tie"
        ? t("votes.results.tie", { options: leaders.join(locale === "ja" ? "、" : ", ") })
        : t("votes.results.none");
  const turnout = t("votes.results.turnout", { ballots: result.ballots, eligible: result.eligibleHolders, percent: result.turnoutPercent });
  const rows = result.options.map(
    (option) =>
      `<li>${xml(label(option))}: ${t("votes.results.votes", { count: option.votes })}${result.vote.counting === "by_units" ? ` · ${t("votes.results.units", { count: option.weight })}` : ""}</li>`,
  );
  const html = `<p>${xml(outcome)}</p><ul>${rows.join("")}</ul><p>${xml(turnout)}</p>`;
  return [
    "  <entry>",
    `    <id>urn:uuid:${result.vote.id}</id>`,
    `    <title>${xml(t("votes.feed.title", { question: localized(result.vote, "question", locale) }))}</title>`,
    `    <link rel="alternate" type="text/html" href="${xml(`${base}/votes/${result.vote.id}`)}"/>`,
    `    <published>${result.vote.endsAt.toISOString()}</published>`,
    `    <updated>${result.vote.endsAt.toISOString()}</updated>`,
    `    <category term="${xml(result.offeringSlug)}" label="${xml(localized(result, "offeringName", locale))}"/>`,
    `    <summary>${xml(`${outcome} ${turnout}`)}</summary>`,
    `    <content type="html">${xml(html)}</content>`,
    "  </entry>",
  ].join("\n");
}

/** An Atom 1.0 document of published updates (and of the results of ended holder votes); content is the same safe HTML as the project page. */
export function atomFeed(entries: FeedEntry[], options: { base: string; locale: Locale; t: Translate; now?: Date; votes?: EndedVoteResult[] }): string {
  const { locale, t } = options;
  const base = options.base.replace(/\/$/, "");
  const ja = locale === "ja";
  const self = `${base}/feed.xml${ja ? "" : "?lang=en"}`;
  const votes = options.votes ?? [];
  const changedAt = [...entries.map(({ update }) => (update.editedAt ?? update.publishedAt!).getTime()), ...votes.map((result) => result.vote.endsAt.getTime())];
  const newest = new Date(changedAt.length > 0 ? Math.max(...changedAt) : (options.now ?? new Date()).getTime());
  const voteItems = votes.map((result) => ({ at: result.vote.endsAt.getTime(), text: voteEntry(result, base, locale, t) }));
  const updateItems = entries.map(({ update, slug, imageIds, ...names }) => {
    const body = localized(update, "body", locale);
    const photos = imageIds.map((id) => `<p><img src="${base}/api/images/${id}" alt=""></p>`).join("");
    const html = renderMarkdown(body).replace(/(<img src=")\/api\/images\//g, `$1${base}/api/images/`) + photos;
    return [
      "  <entry>",
      `    <id>urn:uuid:${update.id}</id>`,
      `    <title>${xml(localized(update, "title", locale))}</title>`,
      `    <link rel="alternate" type="text/html" href="${xml(`${base}/projects/${slug}#update-${update.id}`)}"/>`,
      `    <published>${update.publishedAt!.toISOString()}</published>`,
      `    <updated>${(update.editedAt ?? update.publishedAt!).toISOString()}</updated>`,
      `    <category term="${xml(slug)}" label="${xml(localized(names, "project", locale))}"/>`,
      `    <summary>${xml(markdownToText(body, 280))}</summary>`,
      `    <content type="html">${xml(html)}</content>`,
      "  </entry>",
    ].join("\n");
  });
  const items = [...entries.map(({ update }, index) => ({ at: update.publishedAt!.getTime(), text: updateItems[index]! })), ...voteItems].sort((a, b) => b.at - a.at).map((item) => item.text);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `  <id>${xml(self)}</id>`,
    `  <title>${xml(t("projectPage.feedTitle"))}</title>`,
    `  <subtitle>${xml(t("projects.lead"))}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${base}/projects`)}"/>`,
    `  <updated>${newest.toISOString()}</updated>`,
    `  <author><name>${xml(t("meta.title"))}</name></author>`,
    ...items,
    "</feed>",
    "",
  ].join("\n");
}
