/** Launching an offering: approval of its terms by a second staff member, deployment of its token, opening and closing. */

import type { Shape } from "../shape";

export const ja = {
  launch: {
    title: "発行までの手続き",
  },
};

export const en: Shape<typeof ja> = {
  launch: {
    title: "Launch",
  },
};
