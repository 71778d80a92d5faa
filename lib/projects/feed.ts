import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { projects, projectUpdateImages, projectUpdates } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { markdownToText, renderMarkdown } from "@/lib/markdown/render";

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

/** An Atom 1.0 document of published updates; content is the same safe HTML as the project page. */
export function atomFeed(entries: FeedEntry[], options: { base: string; locale: Locale; t: Translate; now?: Date }): string {
  const { locale, t } = options;
  const base = options.base.replace(/\/$/, "");
  const ja = locale === "ja";
  const self = `${base}/feed.xml${ja ? "" : "?lang=en"}`;
  const changedAt = entries.map(({ update }) => (update.editedAt ?? update.publishedAt!).getTime());
  const newest = new Date(changedAt.length > 0 ? Math.max(...changedAt) : (options.now ?? new Date()).getTime());
  const items = entries.map(({ update, slug, imageIds, ...names }) => {
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
