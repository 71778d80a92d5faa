/** The settlement report of a closed offering (page, CSV and PDF). */

import type { Shape } from "../shape";

export const ja = {
  settlement: {
    title: "精算報告書",
  },
};

export const en: Shape<typeof ja> = {
  settlement: {
    title: "Settlement report",
  },
};
