import { ActionButton } from "@/components/ui/action-button";
import type { FormAction } from "@/lib/actions/core";
import type { Translate } from "@/lib/i18n/catalog";
import { allowedTransitions, openBlocker, type LaunchFacts } from "@/lib/offerings/readiness";

/** The status changes staff may make now, and why the sale cannot open when that is the next step. */
export function StatusActions({ offering, action, t }: { offering: LaunchFacts & { id: string }; action: FormAction; t: Translate }) {
  const blocker = offering.status === "draft" || offering.status === "paused" ? openBlocker(offering) : null;
  return (
    <>
      {allowedTransitions(offering).map((status) => {
        const withdraw = offering.status === "draft" && status === "closed";
        return (
          <ActionButton
            key={status}
            action={action}
            fields={{ offeringId: offering.id, status }}
            label={withdraw ? t("launch.sale.withdraw") : t(`offeringAdmin.${status}`)}
            confirm={{ question: t(withdraw ? "launch.confirm.withdraw" : `launch.confirm.${status}`), cancel: t("launch.confirm.cancel") }}
          />
        );
      })}
      {blocker ? (
        <span className="text-xs text-stone-600" data-testid="open-blocker">
          {t(`launch.sale.blockers.${blocker}`)}
        </span>
      ) : null}
    </>
  );
}
