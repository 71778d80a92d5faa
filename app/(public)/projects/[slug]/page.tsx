import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";
import { formatDate, formatYen } from "@/lib/i18n/format";
import { getPublishedProject } from "@/lib/projects/queries";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale }, found] = await Promise.all([getTranslator(), getPublishedProject((await params).slug)]);
  if (!found) return {};
  const { project } = found;
  return { title: locale === "ja" ? project.titleJa : project.titleEn, description: locale === "ja" ? project.summaryJa : project.summaryEn };
}

export default async function ProjectPage({ params }: Props) {
  const [{ locale, t }, found] = await Promise.all([getTranslator(), getPublishedProject((await params).slug)]);
  if (!found) notFound();
  const { project, offering, updates } = found;
  const ja = locale === "ja";
  return (
    <article className="space-y-8">
      <Link href="/projects" className="text-sm text-forest-700 hover:underline">← {t("projects.back")}</Link>
      <header>
        <span className="text-xs font-semibold text-forest-700">{t(`projects.status.${project.status}`)}</span>
        <h1 className="mt-1 text-2xl font-bold sm:text-3xl">{ja ? project.titleJa : project.titleEn}</h1>
        <p className="mt-2 text-stone-600">{ja ? project.summaryJa : project.summaryEn}</p>
        <p className="mt-3 text-sm text-stone-500">
          {t("projects.budget")} <span className="font-semibold text-stone-800">{formatYen(project.budgetYen)}</span>
          {" · "}
          <Link className="text-forest-700 hover:underline" href={`/offerings/${offering.slug}`}>
            {t("projects.fundedBy", { offering: ja ? offering.nameJa : offering.nameEn })}
          </Link>
        </p>
      </header>
      <Card>
        <p className="whitespace-pre-line leading-relaxed text-stone-800">{ja ? project.bodyJa : project.bodyEn}</p>
      </Card>
      <section aria-labelledby="updates">
        <h2 id="updates" className="mb-4 text-xl font-bold">{t("projects.updates")}</h2>
        {updates.length === 0 ? <p className="text-stone-600">{t("projects.noUpdates")}</p> : null}
        <ol className="space-y-4 border-l-2 border-forest-100 pl-5">
          {updates.map((update) => (
            <li key={update.id}>
              <time className="text-xs text-stone-500" dateTime={update.publishedAt?.toISOString()}>
                {update.publishedAt ? formatDate(update.publishedAt, locale) : null}
              </time>
              <h3 className="font-semibold">{ja ? update.titleJa : update.titleEn}</h3>
              <p className="mt-1 text-sm text-stone-700">{ja ? update.bodyJa : update.bodyEn}</p>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
