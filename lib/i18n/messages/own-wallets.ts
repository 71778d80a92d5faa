/** Own wallets: TODO area description (filled by its owner). */

import type { Shape } from "../shape";

export const ja = {
  ownWallets: {
    title: "TODO",
  },
};

export const en: Shape<typeof ja> = {
  ownWallets: {
    title: "TODO",
  },
};
