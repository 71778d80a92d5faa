/** Investors' bank accounts for payouts (coupons and redemptions). */

import type { Shape } from "../shape";

export const ja = {
  payouts: {
    title: "受取口座",
  },
};

export const en: Shape<typeof ja> = {
  payouts: {
    title: "Payout account",
  },
};
