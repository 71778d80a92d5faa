import { headers } from "next/headers";
import { switchLocale } from "@/app/actions";

/**
 * The page a form was sent from, as a path: the root layout does not know the page (and after a
 * client-side navigation it is not the one the layout rendered for), but the browser names it in
 * the Referer of the form's request. The action keeps only same-site paths; without one, home.
 */
function returnPathFrom(referer: string | null): string {
  if (!referer) return "/";
  try {
    const url = new URL(referer);
    return url.pathname + url.search;
  } catch {
    return "/";
  }
}

async function switchLocaleFromHeader(formData: unknown): Promise<void> {
  "use server";
  // The form posts FormData; a hand-made request may send anything, which the action then refuses.
  const form = formData instanceof FormData ? formData : new FormData();
  form.set("returnTo", returnPathFrom((await headers()).get("referer")));
  await switchLocale({ status: "idle" }, form);
}

/** The language switch: a plain form (no client script), so it works before or without JavaScript. */
export function LocaleSwitch({ target, label, title }: { target: string; label: string; title: string }) {
  return (
    <form action={switchLocaleFromHeader}>
      <input type="hidden" name="locale" value={target} />
      {/* The accessible name contains the visible label (WCAG 2.5.3), and says what the button does. */}
      <button type="submit" title={title} className="min-h-11 rounded-lg border border-stone-300 px-3 text-sm font-medium text-stone-700 hover:bg-stone-100">
        <span className="sr-only">{title}: </span>
        <span lang={target}>{label}</span>
      </button>
    </form>
  );
}
