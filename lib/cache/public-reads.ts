import "server-only";
import { cookies } from "next/headers";
import { getTransparency } from "@/lib/chain/queries";
import { getPublicIssuer, listIssuers, listIssuersWithOpenOffering } from "@/lib/issuers/public";
import { getOfferingBySlug, listOpenOfferings } from "@/lib/offerings/queries";
import { getPublishedProject, listPublishedProjects } from "@/lib/projects/queries";
import { isSessionCookie } from "./page-cache";
import { type TtlCache, ttlCache } from "./ttl";
import { isSlug } from "@/lib/slug";

/**
 * The public pages' reads, kept a few seconds across requests (lib/cache/ttl.ts) for anonymous
 * visitors. Keyed by slug at most: these reads take no visitor, and return what every visitor sees
 * alike. A signed-in visitor (a buyer who just reserved units, staff checking an edit) reads the
 * database: what they did shows at once.
 */

async function signedIn(): Promise<boolean> {
  try {
    return (await cookies()).getAll().some((cookie) => isSessionCookie(cookie.name));
  } catch {
    return true; // outside a request (a job, a test): nobody to share a cached read with
  }
}

function cached<T>(cache: TtlCache<T>, key: string, load: () => Promise<T>): Promise<T> {
  return signedIn().then((yes) => (yes ? load() : cache.get(key, load)));
}

const lists = ttlCache<unknown>();
const offerings = ttlCache<Awaited<ReturnType<typeof getOfferingBySlug>>>();
const projects = ttlCache<Awaited<ReturnType<typeof getPublishedProject>>>();
const issuerPages = ttlCache<Awaited<ReturnType<typeof getPublicIssuer>>>();

const list =
  <T>(key: string, load: () => Promise<T>) =>
  () =>
    cached(lists, key, load) as Promise<T>;

export const openOfferings = list("open-offerings", () => listOpenOfferings());
export const issuersWithOpenOffering = list("issuers-with-open-offering", () => listIssuersWithOpenOffering());
export const issuers = list("issuers", () => listIssuers());
export const publishedProjects = list("published-projects", () => listPublishedProjects());
export const transparency = list("transparency", () => getTransparency());

/** A read by slug: what no slug could be names nothing and never reaches the database. */
const bySlug =
  <T>(cache: TtlCache<T | null>, load: (slug: string) => Promise<T | null>) =>
  (slug: string): Promise<T | null> =>
    isSlug(slug) ? cached(cache, slug, () => load(slug)) : Promise.resolve(null);

export const offeringBySlug = bySlug(offerings, getOfferingBySlug);
export const publishedProject = bySlug(projects, getPublishedProject);
export const publicIssuer = bySlug(issuerPages, getPublicIssuer);
