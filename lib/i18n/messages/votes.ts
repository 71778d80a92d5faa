/** Holders' village: votes (staff and holders). */

import type { Shape } from "../shape";

export const ja = {
  votes: {
    title: "保有者投票",
  },
};

export const en: Shape<typeof ja> = {
  votes: {
    title: "Holder votes",
  },
};
