import type { MessageKey } from "./catalog";

/**
 * A catalog key checked by tsc, for zod schemas shared by forms and server: `{ error: msg("buy.errors.units") }`.
 * A bare string would compile with a typo and show the generic error instead.
 */
export function msg<K extends MessageKey>(key: K): K {
  return key;
}
