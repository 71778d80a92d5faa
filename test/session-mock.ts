import { vi } from "vitest";
import type { SessionUser } from "@/lib/auth/roles";
import type { Locale } from "@/lib/i18n/catalog";

/** Who the server actions believe is signed in, and in which language; set per test. */
export const as: { user: SessionUser | null; locale: Locale } = { user: null, locale: "ja" };

vi.mock("@/lib/auth/session", () => ({
  getCurrentUser: async () => as.user,
  requireUser: async () => {
    if (!as.user) throw new Error("redirect to sign-in");
    return as.user;
  },
}));
vi.mock("@/lib/i18n/server", () => ({ getLocale: async () => as.locale }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

export function form(entries: Record<string, string | Blob | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) {
    for (const item of Array.isArray(value) ? value : [value]) data.append(key, item);
  }
  return data;
}

/** Runs an action; a redirect (Next's control flow) comes back as its target instead of a throw. */
export async function run<S>(action: (state: S, data: FormData) => Promise<S>, data: FormData): Promise<S | { redirect: string }> {
  try {
    return await action({ status: "idle" } as S, data);
  } catch (error) {
    const digest = (error as { digest?: string }).digest;
    if (digest?.startsWith("NEXT_REDIRECT")) return { redirect: digest.split(";")[2]! };
    throw error;
  }
}
