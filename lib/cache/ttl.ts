/**
 * Short-lived in-process caches for what every visitor sees alike (public pages and their data).
 * Nothing keyed by, or holding, a visitor's own data belongs here. A staff edit empties them all
 * and pauses them briefly (noteStaffWrite), so the edit shows at once. Otherwise an entry is
 * served `ttlMs`, then for up to `staleMs` more while one request refreshes it in the background
 * (no visitor waits on the refresh): offering counters may be a few seconds old. Only a production
 * server caches: under `next dev` and in tests every read goes to the database.
 */
import { env } from "@/lib/env";

type Entry<V> = { value: Promise<V>; expires: number; settled: boolean; refreshing: boolean };
type Registry = { caches: Set<{ clear(): void }>; pausedUntil: number };

export const PUBLIC_TTL_MS = 5_000;
export const PUBLIC_STALE_MS = 5_000;
/** A write may commit a little after its request arrived: reads that start meanwhile are not kept. */
export const WRITE_PAUSE_MS = 3_000;
const MAX_ENTRIES = 500;

// Shared through globalThis: proxy.ts and the pages are bundled apart but run in one process.
const REGISTRY = Symbol.for("village.public-caches");
function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= { caches: new Set(), pausedUntil: 0 };
  return holder[REGISTRY];
}

export type TtlCache<V> = { get(key: string, load: () => Promise<V>): Promise<V>; clear(): void; readonly size: number };

/** One load per key at a time; a failed load is not kept (a failed refresh keeps the old value). */
export function ttlCache<V>(ttlMs: number = PUBLIC_TTL_MS, staleMs: number = PUBLIC_STALE_MS, now: () => number = () => Date.now()): TtlCache<V> {
  const entries = new Map<string, Entry<V>>();
  let generation = 0;
  const store = (key: string, value: Promise<V>, at: number) => {
    if (entries.size >= MAX_ENTRIES && !entries.has(key)) {
      for (const [old, entry] of entries) if (entry.expires + staleMs <= at) entries.delete(old);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    }
    const entry: Entry<V> = { value, expires: at + ttlMs, settled: false, refreshing: false };
    entries.set(key, entry);
    value.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry;
  };
  const refresh = (key: string, stale: Entry<V>, load: () => Promise<V>) => {
    stale.refreshing = true;
    const started = generation;
    load().then(
      (value) => {
        // A clear since the refresh began (a staff edit) wins over what it read.
        if (started === generation && entries.get(key) === stale && now() >= registry().pausedUntil) store(key, Promise.resolve(value), now()).settled = true;
      },
      () => {
        stale.refreshing = false;
      },
    );
  };
  const cache: TtlCache<V> = {
    get(key, load) {
      const at = now();
      if (at < registry().pausedUntil || env().nodeEnv !== "production") return load();
      const hit = entries.get(key);
      if (hit && (at < hit.expires || !hit.settled)) return hit.value;
      if (hit && at < hit.expires + staleMs) {
        if (!hit.refreshing) refresh(key, hit, load);
        return hit.value;
      }
      return store(key, load(), at).value;
    },
    clear() {
      generation++;
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
  registry().caches.add(cache);
  return cache;
}

/** A staff member changed something: every public cache starts over, and stays off for a moment. */
export function noteStaffWrite(at: number = Date.now()): void {
  const shared = registry();
  shared.pausedUntil = Math.max(shared.pausedUntil, at + WRITE_PAUSE_MS);
  for (const cache of shared.caches) cache.clear();
}

/** Whether a request is a write by staff: any method but GET/HEAD on a staff page or its actions. */
export function isStaffWrite(method: string, pathname: string): boolean {
  return method !== "GET" && method !== "HEAD" && (pathname === "/staff" || pathname.startsWith("/staff/"));
}
