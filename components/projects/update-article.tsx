import type { UpdateFigure } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { formatDate, formatNumber } from "@/lib/i18n/format";
import { isFigureKind, type FigureKind } from "@/lib/projects/figures";
import { Markdown } from "./markdown";

export type UpdateView = {
  id: string;
  titleJa: string;
  titleEn: string;
  bodyJa: string;
  bodyEn: string;
  figures: UpdateFigure[];
  publishedAt: Date | null;
  editedAt: Date | null;
  images: { id: string; width: number; height: number }[];
};

/** One progress update as readers see it: on the project page and in the staff preview. */
export function UpdateArticle({ update, locale, t }: { update: UpdateView; locale: Locale; t: Translate }) {
  const title = localized(update, "title", locale);
  const figures = update.figures.filter((figure): figure is { kind: FigureKind; value: number } => isFigureKind(figure.kind));
  return (
    <article id={`update-${update.id}`} className="scroll-mt-20" data-testid="update">
      <p className="text-xs text-stone-500">
        {update.publishedAt ? <time dateTime={update.publishedAt.toISOString()}>{formatDate(update.publishedAt, locale)}</time> : null}
        {update.editedAt ? <span className="ml-2">({t("projectPage.edited", { date: formatDate(update.editedAt, locale) })})</span> : null}
      </p>
      <h3 className="mt-0.5 text-lg font-semibold">{title}</h3>
      {figures.length > 0 ? (
        <dl className="mt-2 flex flex-wrap gap-2">
          {figures.map((figure) => (
            <div key={figure.kind} className="rounded-lg bg-forest-50 px-3 py-1.5 text-sm">
              <dt className="text-xs text-forest-800">{t(`projectsAdmin.figures.${figure.kind}`)}</dt>
              <dd className="font-semibold tabular-nums">{formatNumber(figure.value, locale)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <Markdown source={localized(update, "body", locale)} className="mt-1 text-sm" />
      {update.images.length > 0 ? (
        <div className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-3">
          {update.images.map((image, i) => (
            // eslint-disable-next-line @next/next/no-img-element -- served by our own route with its real size; no optimiser needed
            <img
              key={image.id}
              src={`/api/images/${image.id}`}
              width={image.width}
              height={image.height}
              alt={t("projectPage.photo", { title, n: i + 1 })}
              loading="lazy"
              decoding="async"
              className="aspect-[4/3] h-auto w-full rounded-lg border border-stone-200 bg-stone-100 object-cover"
            />
          ))}
        </div>
      ) : null}
    </article>
  );
}
