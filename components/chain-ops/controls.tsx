import { StatusButton } from "@/components/staff/status-button";
import { Card } from "@/components/ui/card";
import type { FormAction } from "@/lib/actions/core";
import type { ForcedTransferView } from "@/lib/chain/forced-transfer";
import type { TokenState } from "@/lib/chain/operations";
import { explorerAddressUrl } from "@/lib/chain/queries";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime } from "@/lib/i18n/format";
import { ReasonForm } from "./reason-form";

const short = (address: string) => `${address.slice(0, 8)}…${address.slice(-6)}`;

export function TokenSection({ offeringId, state, t, pause }: { offeringId: string; state: TokenState; t: Translate; pause: FormAction }) {
  return (
    <Card>
      <h2 className="font-bold">{t("chainOps.token.heading")}</h2>
      {!state.token ? (
        <p className="mt-2 text-sm text-stone-600">{t("chainOps.token.noToken")}</p>
      ) : (
        <div className="mt-2 space-y-3 text-sm">
          <p>
            {t("chainOps.token.address")}:{" "}
            <a className="break-all font-mono text-forest-700 hover:underline" href={explorerAddressUrl(state.token)}>
              {state.token}
            </a>
          </p>
          <p className="font-semibold" data-testid="token-paused">
            {state.paused === null ? t("chainOps.token.unknown") : state.paused ? t("chainOps.token.paused") : t("chainOps.token.running")}
          </p>
          {state.paused === null ? null : (
            <ReasonForm
              action={pause}
              fields={{ offeringId, paused: state.paused ? "false" : "true" }}
              submitLabel={state.paused ? t("chainOps.token.unpause") : t("chainOps.token.pause")}
              reasonLabel={t("chainOps.reason")}
              testId="token-pause-form"
            />
          )}
        </div>
      )}
    </Card>
  );
}

export function WalletsSection({ offeringId, state, t, freeze }: { offeringId: string; state: TokenState; t: Translate; freeze: FormAction }) {
  if (!state.token) return null;
  return (
    <Card>
      <h2 className="font-bold">{t("chainOps.wallets.heading")}</h2>
      <p className="mb-3 mt-1 text-sm text-stone-600">{t("chainOps.wallets.lead")}</p>
      {state.frozen === null ? <p className="text-sm text-stone-600">{t("chainOps.token.unknown")}</p> : null}
      {state.frozen?.length === 0 ? <p className="text-sm text-stone-600">{t("chainOps.wallets.none")}</p> : null}
      <ul className="space-y-4">
        {state.frozen?.map((wallet) => (
          <li key={wallet.address} className="space-y-2 rounded-xl border border-stone-200 p-4 text-sm" data-testid="frozen-wallet">
            <p>
              <span className="font-mono">{short(wallet.address)}</span> · {wallet.email ?? t("chainOps.wallets.unknownHolder")} · {t("orders.units", { count: wallet.units })}
            </p>
            <ReasonForm
              action={freeze}
              fields={{ offeringId, frozen: "false", holder: wallet.address }}
              submitLabel={t("chainOps.wallets.unfreeze")}
              reasonLabel={t("chainOps.reason")}
              variant="quiet"
              testId="wallet-unfreeze-form"
            />
          </li>
        ))}
      </ul>
      <div className="mt-4 border-t border-stone-100 pt-4">
        <ReasonForm
          action={freeze}
          fields={{ offeringId, frozen: "true" }}
          submitLabel={t("chainOps.wallets.freeze")}
          reasonLabel={t("chainOps.reason")}
          holderLabel={t("chainOps.holder")}
          testId="wallet-freeze-form"
        />
      </div>
    </Card>
  );
}

export function ForcedTransfersSection({
  offeringId,
  hasToken,
  transfers,
  viewerId,
  locale,
  t,
  request,
  approve,
  reject,
}: {
  offeringId: string;
  hasToken: boolean;
  transfers: ForcedTransferView[];
  viewerId: string;
  locale: Locale;
  t: Translate;
  request: FormAction;
  approve: FormAction;
  reject: FormAction;
}) {
  if (!hasToken) return null;
  return (
    <Card>
      <h2 className="font-bold">{t("chainOps.forced.heading")}</h2>
      <p className="mb-3 mt-1 text-sm text-stone-600">{t("chainOps.forced.lead")}</p>
      <ReasonForm
        action={request}
        fields={{ offeringId }}
        submitLabel={t("chainOps.forced.request")}
        reasonLabel={t("chainOps.reason")}
        holderLabel={t("chainOps.holder")}
        testId="forced-transfer-request-form"
      />
      <div className="mt-4 border-t border-stone-100 pt-4">
        {transfers.length === 0 ? <p className="text-sm text-stone-600">{t("chainOps.forced.none")}</p> : null}
        <ul className="space-y-4">
          {transfers.map((item) => (
            <li key={item.id} className="space-y-2 rounded-xl border border-stone-200 p-4 text-sm" data-testid="forced-transfer">
              <p className="flex flex-wrap items-center gap-2">
                <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs font-semibold" data-testid="forced-transfer-status">
                  {t(`chainOps.forced.status.${item.status}`)}
                </span>
                <span>{item.holderEmail ?? t("chainOps.wallets.unknownHolder")}</span>
                <span>{t("orders.units", { count: item.units })}</span>
              </p>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                <dt className="text-stone-500">{t("chainOps.forced.from")}</dt>
                <dd className="break-all font-mono text-xs">{item.fromAddress}</dd>
                <dt className="text-stone-500">{t("chainOps.forced.to")}</dt>
                <dd className="break-all font-mono text-xs">{item.toAddress ?? t("chainOps.forced.toNewWallet")}</dd>
                <dt className="text-stone-500">{t("chainOps.reason")}</dt>
                <dd>{item.reason}</dd>
                <dt className="text-stone-500">{t("chainOps.forced.requestedBy")}</dt>
                <dd>
                  {item.requestedByEmail} · {formatDateTime(item.requestedAt, locale)}
                </dd>
                {item.decidedByEmail ? (
                  <>
                    <dt className="text-stone-500">{t("chainOps.forced.decidedBy")}</dt>
                    <dd>
                      {item.decidedByEmail}
                      {item.decidedAt ? ` · ${formatDateTime(item.decidedAt, locale)}` : ""}
                    </dd>
                  </>
                ) : null}
              </dl>
              {item.status === "pending" && item.requestedBy === viewerId ? <p className="text-stone-600">{t("chainOps.forced.ownRequest")}</p> : null}
              {item.status === "pending" && item.requestedBy !== viewerId ? (
                <div className="flex flex-wrap items-start gap-6">
                  <StatusButton
                    action={approve}
                    label={t("chainOps.forced.approve")}
                    fields={{ offeringId, requestId: item.id }}
                    testId="forced-transfer-approved"
                    confirm={{ question: t("chainOps.forced.confirmApprove"), cancel: t("chainOps.forced.cancel") }}
                  />
                  <div className="min-w-64 flex-1">
                    <ReasonForm
                      action={reject}
                      fields={{ offeringId, requestId: item.id }}
                      submitLabel={t("chainOps.forced.reject")}
                      reasonLabel={t("chainOps.reason")}
                      variant="quiet"
                      testId="forced-transfer-reject-form"
                    />
                  </div>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}
