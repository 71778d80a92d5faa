/** Issuers (villages and municipalities): their public pages and the admin page that manages them and their staff. */

import type { Shape } from "../shape";

export const ja = {
  issuers: {
    title: "発行体",
  },
};

export const en: Shape<typeof ja> = {
  issuers: {
    title: "Issuers",
  },
};
