/** Own wallets: TODO area description (filled by its owner). */

import type { Shape } from "../shape";

export const ja = {
  withdrawals: {
    title: "TODO",
  },
};

export const en: Shape<typeof ja> = {
  withdrawals: {
    title: "TODO",
  },
};
