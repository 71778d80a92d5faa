/** Konbini and bank-transfer payments: method choice, voucher and account, staff decisions on transfers. */

import type { Shape } from "../shape";

export const ja = {
  deferredPayments: {
    title: "TODO",
  },
};

export const en: Shape<typeof ja> = {
  deferredPayments: {
    title: "TODO",
  },
};
