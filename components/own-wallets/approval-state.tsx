import type { Translate } from "@/lib/i18n/catalog";
import type { ApprovalState } from "@/lib/wallet-links/queries";

const TONE: Record<ApprovalState, string> = {
  requested: "bg-amber-50 text-amber-900 border-amber-200",
  waiting: "bg-sky-50 text-sky-900 border-sky-200",
  allowlisted: "bg-forest-50 text-forest-800 border-forest-100",
  failed: "bg-red-50 text-red-800 border-red-200",
  rejected: "bg-stone-100 text-stone-700 border-stone-200",
  removing: "bg-stone-100 text-stone-700 border-stone-200",
  removed: "bg-stone-100 text-stone-500 border-stone-200",
};

/** Where an own wallet's approval for one token stands. */
export function ApprovalStateBadge({ state, t }: { state: ApprovalState; t: Translate }) {
  return (
    <span className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium ${TONE[state]}`} data-testid="approval-state" data-state={state}>
      {t(`ownWallets.status.${state}`)}
    </span>
  );
}
