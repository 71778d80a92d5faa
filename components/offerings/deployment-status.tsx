import { ActionButton } from "@/components/ui/action-button";
import type { FormAction } from "@/lib/actions/core";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime } from "@/lib/i18n/format";
import type { Deployment } from "@/lib/offerings/deployment";

function ExternalLink({ href, label }: { href: string; label: string }) {
  return (
    <a href={href} target="_blank" rel="noreferrer" className="whitespace-nowrap font-semibold text-forest-700 hover:underline">
      {label}
    </a>
  );
}

function Hash({ label, value, href, linkLabel }: { label: string; value: string; href: string | null; linkLabel: string }) {
  return (
    <p className="text-sm">
      <span className="text-stone-500">{label}: </span>
      <span className="break-all font-mono text-xs">{value}</span> {href ? <ExternalLink href={href} label={linkLabel} /> : null}
    </p>
  );
}

/** The token deployment as staff follow it: queued, sent (with its transaction), confirmed, or failed in plain words. */
export function DeploymentStatus({ deployment, offeringId, requeue, locale, t }: { deployment: Deployment; offeringId: string; requeue: FormAction; locale: Locale; t: Translate }) {
  const explorer = t("launch.deploy.explorer");
  const canRequeue = deployment.state === "failed" || deployment.state === "notQueued" || (deployment.state === "recording" && deployment.gaveUp);
  return (
    <div className="space-y-2" data-testid="deployment" data-state={deployment.state}>
      {deployment.state === "awaitingApproval" ? <p className="text-sm text-stone-700">{t("launch.deploy.awaitingApproval")}</p> : null}
      {deployment.state === "notQueued" ? <p className="text-sm text-stone-700">{t("launch.deploy.notQueued")}</p> : null}
      {deployment.state === "queued" ? (
        <>
          <p role="status" className="text-sm text-stone-700">
            {t("launch.deploy.queued", { since: formatDateTime(deployment.since, locale) })}
          </p>
          {deployment.lastError ? <p className="text-xs text-amber-800">{t("launch.deploy.lastError", { error: deployment.lastError })}</p> : null}
        </>
      ) : null}
      {deployment.state === "sent" ? (
        <>
          <p role="status" className="text-sm text-stone-700">
            {t("launch.deploy.sent")}
          </p>
          <Hash label={t("launch.deploy.transaction")} value={deployment.txHash} href={deployment.txUrl} linkLabel={explorer} />
        </>
      ) : null}
      {deployment.state === "recording" ? (
        <>
          <p role="status" className="text-sm text-stone-700">
            {t(deployment.gaveUp ? "launch.deploy.recordingStalled" : "launch.deploy.recording")}
          </p>
          {deployment.txHash ? <Hash label={t("launch.deploy.transaction")} value={deployment.txHash} href={deployment.txUrl} linkLabel={explorer} /> : null}
        </>
      ) : null}
      {deployment.state === "deployed" ? (
        <>
          <p className="text-sm font-semibold text-forest-800">{t("launch.deploy.deployed")}</p>
          <Hash label={t("launch.deploy.contract")} value={deployment.tokenAddress} href={deployment.addressUrl} linkLabel={explorer} />
          {deployment.txHash ? <Hash label={t("launch.deploy.transaction")} value={deployment.txHash} href={deployment.txUrl} linkLabel={explorer} /> : null}
        </>
      ) : null}
      {deployment.state === "failed" ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-semibold">{t("launch.deploy.failed", { date: formatDateTime(deployment.at, locale) })}</p>
          <p className="mt-1">{t(`launch.deploy.reasons.${deployment.reason}`)}</p>
          {deployment.error ? (
            <details className="mt-2">
              <summary className="cursor-pointer text-xs">{t("launch.deploy.details")}</summary>
              <p className="mt-1 break-all font-mono text-xs">{deployment.error}</p>
            </details>
          ) : null}
        </div>
      ) : null}
      {canRequeue ? (
        <ActionButton
          action={requeue}
          fields={{ offeringId }}
          label={t("launch.deploy.requeue")}
          variant="primary"
          confirm={{ question: t("launch.confirm.requeue"), cancel: t("launch.confirm.cancel") }}
        />
      ) : null}
    </div>
  );
}
