/** Read-side API: event lists, line item lists, and `expand[]`. */
import { clone, list, type Obj } from "./objects";
import { invalid, noSuch, ParamReader, rejectUnknown, type Params } from "./params";
import { allowedParams } from "./reference";
import type { StateStore } from "./state";
import { typeMatches } from "./engine";

function limitOf(p: ParamReader): number {
  const limit = p.integer("limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalid("This value must be between 1 and 100 (inclusive).", "limit");
  return limit;
}

/** Newest first, cursor-paginated, as `GET /v1/events`. */
export function listEvents(store: StateStore, params: Params): Obj {
  rejectUnknown(params, allowedParams("GET", "/v1/events"));
  const p = new ParamReader(params);
  const limit = limitOf(p);
  const type = p.string("type");
  const types = p.stringArray("types");
  if (type && types.length) throw invalid("You may pass either `type` or `types`, but not both.", "types");
  const patterns = type ? [type] : types;
  const created = createdFilter(p);
  const deliverySuccess = p.boolean("delivery_success");
  let events = [...store.data.events]
    .reverse()
    .filter(
      (e) =>
        (patterns.length === 0 || patterns.some((t) => typeMatches(t, e.type as string))) &&
        created(e.created as number) &&
        (deliverySuccess === undefined || (e.pending_webhooks === 0) === deliverySuccess),
    );
  const after = p.string("starting_after");
  const before = p.string("ending_before");
  let hasMore: boolean;
  if (after) {
    const index = indexOrThrow(events, after, "starting_after");
    events = events.slice(index + 1);
    hasMore = events.length > limit;
    events = events.slice(0, limit);
  } else if (before) {
    const index = indexOrThrow(events, before, "ending_before");
    events = events.slice(0, index);
    hasMore = events.length > limit;
    events = events.slice(Math.max(0, events.length - limit));
  } else {
    hasMore = events.length > limit;
    events = events.slice(0, limit);
  }
  if (p.stringArray("expand").length) throw invalid("Events have no expandable properties.", "expand");
  return list(events.map(clone), "/v1/events", hasMore);
}

function indexOrThrow(events: Obj[], id: string, param: string): number {
  const index = events.findIndex((e) => e.id === id);
  if (index < 0) throw noSuch("event", id, param);
  return index;
}

function createdFilter(p: ParamReader): (created: number) => boolean {
  if (!p.has("created")) return () => true;
  if (typeof p.params.created === "string") {
    const exact = p.integer("created") as number;
    return (c) => c === exact;
  }
  const range = p.object("created") as ParamReader;
  rejectUnknown(range.params, ["gt", "gte", "lt", "lte"], "created");
  const gt = range.integer("gt");
  const gte = range.integer("gte");
  const lt = range.integer("lt");
  const lte = range.integer("lte");
  return (c) => (gt === undefined || c > gt) && (gte === undefined || c >= gte) && (lt === undefined || c < lt) && (lte === undefined || c <= lte);
}

export function listLineItems(store: StateStore, sessionId: string, params: Params): Obj {
  rejectUnknown(params, ["ending_before", "expand", "limit", "starting_after"]);
  const extra = store.data.sessionExtras[sessionId];
  if (!extra) throw noSuch("checkout.session", sessionId, "session");
  const p = new ParamReader(params);
  const limit = limitOf(p);
  let items = extra.lineItems;
  const after = p.string("starting_after");
  if (after) items = items.slice(items.findIndex((i) => i.id === after) + 1);
  return list(items.slice(0, limit).map(clone), `/v1/checkout/sessions/${sessionId}/line_items`, items.length > limit);
}

/** Applies `expand[]` paths (`payment_intent`, `payment_intent.latest_charge`, `line_items`, ...) to a copy of `obj`. */
export function expand(store: StateStore, obj: Obj, paths: string[]): Obj {
  const out = clone(obj);
  for (const path of paths) expandPath(store, out, path.split("."), path);
  return out;
}

function expandPath(store: StateStore, target: Obj, parts: string[], full: string): void {
  const [head, ...rest] = parts as [string, ...string[]];
  if (head === "line_items" && target.object === "checkout.session" && rest.length === 0) {
    target.line_items = listLineItems(store, target.id as string, {});
    return;
  }
  if (head === "refunds" && target.object === "charge" && rest.length === 0) {
    const refunds = Object.values(store.data.refunds)
      .filter((r) => r.charge === target.id)
      .reverse();
    target.refunds = list(refunds.map(clone), `/v1/charges/${String(target.id)}/refunds`);
    return;
  }
  const value = target[head];
  if (value === null) return;
  if (typeof value === "string") {
    const found = store.byId(value);
    if (!found) throw invalid(`This property cannot be expanded (${full}).`, "expand");
    target[head] = clone(found);
  } else if (typeof value !== "object" || value === undefined || Array.isArray(value)) {
    throw invalid(`This property cannot be expanded (${full}).`, "expand");
  }
  if (rest.length > 0) expandPath(store, target[head] as Obj, rest, full);
}
