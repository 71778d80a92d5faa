/** Holders' village: perks (staff and holders). */

import type { Shape } from "../shape";

export const ja = {
  perks: {
    title: "特典",
  },
};

export const en: Shape<typeof ja> = {
  perks: {
    title: "Perks",
  },
};
