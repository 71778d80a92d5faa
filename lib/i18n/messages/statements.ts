/** Investors' bond income: coupon history, payment notices and the year's statement. */

import type { Shape } from "../shape";

export const ja = {
  statements: {
    title: "利子の受取履歴",
  },
};

export const en: Shape<typeof ja> = {
  statements: {
    title: "Coupon history",
  },
};
