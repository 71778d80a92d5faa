"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/core";

export function LocaleSwitch({ action, target, label, title }: { action: FormAction; target: string; label: string; title: string }) {
  const [, formAction] = useActionState(action, { status: "idle" });
  const pathname = usePathname();
  const query = useSearchParams().toString();
  return (
    <form action={formAction}>
      <input type="hidden" name="locale" value={target} />
      <input type="hidden" name="returnTo" value={query ? `${pathname}?${query}` : pathname} />
      <button type="submit" title={title} aria-label={title} lang={target} className="min-h-11 rounded-lg border border-stone-300 px-3 text-sm font-medium text-stone-700 hover:bg-stone-100">
        {label}
      </button>
    </form>
  );
}
