/** Progress figures an update can report, each with its unit (labels in the catalog). */
export const FIGURE_KINDS = ["hectares_thinned", "path_metres", "timber_cubic_metres", "trees_planted"] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

export function isFigureKind(value: string): value is FigureKind {
  return (FIGURE_KINDS as readonly string[]).includes(value);
}
