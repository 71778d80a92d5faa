/** Staff servicing a bond: record-date snapshots, coupon runs, transfer files, redemption. */

import type { Shape } from "../shape";

export const ja = {
  coupons: {
    title: "利払い・償還",
  },
};

export const en: Shape<typeof ja> = {
  coupons: {
    title: "Coupons and redemption",
  },
};
