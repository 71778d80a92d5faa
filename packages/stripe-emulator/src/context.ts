/** The API request an Engine change came from (null for changes made by test controls or timers). */
export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
}
