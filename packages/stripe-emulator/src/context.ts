/** The API request an Engine change came from (null for changes made by test controls or timers). */
export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** Events caused by a customer, the clock or a test control carry no API request. */
export const NO_REQUEST: RequestContext = { requestId: null, idempotencyKey: null };
