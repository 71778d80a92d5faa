/** Cooling-off: until when an investor may cancel, the cancel step and its outcome. */

import type { Shape } from "../shape";

export const ja = {
  coolingOff: {
    title: "TODO",
  },
};

export const en: Shape<typeof ja> = {
  coolingOff: {
    title: "TODO",
  },
};
