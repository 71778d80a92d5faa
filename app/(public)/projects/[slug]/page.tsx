import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FundingChart } from "@/components/projects/funding-chart";
import { Markdown } from "@/components/projects/markdown";
import { MoneySummary } from "@/components/projects/money-summary";
import { SpendingList } from "@/components/projects/spending-list";
import { UpdateArticle } from "@/components/projects/update-article";
import { Card } from "@/components/ui/card";
import { ProjectVotes } from "@/components/votes/project-votes";
import { publishedProject } from "@/lib/cache/public-reads";
import { env } from "@/lib/env";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale }, found] = await Promise.all([getTranslator(), publishedProject((await params).slug)]);
  if (!found) return {};
  const { project, cover } = found;
  const base = env().authUrl.replace(/\/$/, "");
  const title = localized(project, "title", locale);
  const description = localized(project, "summary", locale);
  return {
    title,
    description,
    alternates: { canonical: `${base}/projects/${project.slug}`, types: { "application/atom+xml": `${base}/feed.xml${locale === "en" ? "?lang=en" : ""}` } },
    openGraph: {
      type: "article",
      title,
      description,
      url: `${base}/projects/${project.slug}`,
      locale: locale === "ja" ? "ja_JP" : "en_GB",
      images: cover ? [{ url: `${base}/api/images/${cover.id}`, width: cover.width, height: cover.height, alt: title }] : undefined,
    },
    twitter: { card: cover ? "summary_large_image" : "summary", title, description },
  };
}

export default async function ProjectPage({ params }: Props) {
  const [{ locale, t }, found] = await Promise.all([getTranslator(), publishedProject((await params).slug)]);
  if (!found) notFound();
  const { project, offering, cover, updates, spending, figures, timeline } = found;
  const ja = locale === "ja";
  const title = localized(project, "title", locale);
  return (
    <article className="space-y-8">
      <Link href="/projects" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("projects.back")}
      </Link>
      <header className="space-y-4">
        {cover ? (
          // eslint-disable-next-line @next/next/no-img-element -- served by our own route with its real size
          <img
            src={`/api/images/${cover.id}`}
            width={cover.width}
            height={cover.height}
            alt={t("projectPage.coverAlt", { title })}
            className="aspect-[16/9] h-auto w-full rounded-2xl bg-stone-100 object-cover"
          />
        ) : null}
        <div>
          <span className="text-xs font-semibold text-forest-700">{t(`projects.status.${project.status}`)}</span>
          <h1 className="mt-1 text-2xl font-bold sm:text-3xl">{title}</h1>
          <p className="mt-2 text-stone-600">{localized(project, "summary", locale)}</p>
          <p className="mt-3 text-sm">
            <Link className="text-forest-700 hover:underline" href={`/offerings/${offering.slug}`}>
              {t("projects.fundedBy", { offering: localized(offering, "name", locale) })}
            </Link>
          </p>
        </div>
      </header>

      <Card className="space-y-6">
        <MoneySummary figures={figures} t={t} />
        <p className="text-xs text-stone-500">{t("projectPage.fundingNote")}</p>
        <FundingChart points={timeline} budgetYen={figures.budgetYen} locale={locale} t={t} />
      </Card>

      <section aria-labelledby="story">
        <h2 id="story" className="mb-3 text-xl font-bold">
          {t("projectPage.story")}
        </h2>
        <Card>
          <Markdown source={localized(project, "body", locale)} />
        </Card>
      </section>

      <section aria-labelledby="updates">
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="updates" className="text-xl font-bold">
            {t("projects.updates")}
          </h2>
          <a href={`/feed.xml${ja ? "" : "?lang=en"}`} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
            {t("projectPage.feed")}
          </a>
        </div>
        {updates.length === 0 ? <p className="text-stone-600">{t("projects.noUpdates")}</p> : null}
        <ol className="space-y-8 border-l-2 border-forest-100 pl-4 sm:pl-6">
          {updates.map((update) => (
            <li key={update.id}>
              <UpdateArticle update={update} locale={locale} t={t} />
            </li>
          ))}
        </ol>
      </section>

      <ProjectVotes projectId={project.id} locale={locale} t={t} />

      <section aria-labelledby="spending">
        <h2 id="spending" className="mb-3 text-xl font-bold">
          {t("projectPage.spending")}
        </h2>
        <Card>
          <SpendingList entries={spending} totalYen={figures.spentYen} locale={locale} t={t} />
        </Card>
      </section>
    </article>
  );
}
