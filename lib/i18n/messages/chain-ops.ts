/** The chain-operations page of an offering: stuck transactions, pause, freeze and forced transfers. */

import type { Shape } from "../shape";

export const ja = {
  chainOps: {
    title: "チェーン運用",
  },
};

export const en: Shape<typeof ja> = {
  chainOps: {
    title: "Chain operations",
  },
};
