/** Own wallets: TODO area description (filled by its owner). */

import type { Shape } from "../shape";

export const ja = {
  stablecoin: {
    title: "TODO",
  },
};

export const en: Shape<typeof ja> = {
  stablecoin: {
    title: "TODO",
  },
};
