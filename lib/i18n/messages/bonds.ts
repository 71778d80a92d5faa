/** Municipal bonds: their terms, the term sheet (発行要項) and the payment schedule. */

import type { Shape } from "../shape";

export const ja = {
  bonds: {
    title: "発行要項",
  },
};

export const en: Shape<typeof ja> = {
  bonds: {
    title: "Term sheet",
  },
};
