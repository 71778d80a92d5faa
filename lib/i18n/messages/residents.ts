/** Residents first: the residents' tranche and window, residence checks and their refusals. */

import type { Shape } from "../shape";

export const ja = {
  residents: {
    title: "TODO",
  },
};

export const en: Shape<typeof ja> = {
  residents: {
    title: "TODO",
  },
};
