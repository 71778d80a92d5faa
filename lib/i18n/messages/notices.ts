/** Notices to investors about their money and identity check (in the app and by email). */

import type { Shape } from "../shape";

export const ja = {
  notices: {
    title: "お知らせ",
  },
};

export const en: Shape<typeof ja> = {
  notices: {
    title: "Notices",
  },
};
