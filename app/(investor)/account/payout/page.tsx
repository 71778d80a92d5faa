import type { Metadata } from "next";
import Link from "next/link";
import { CodePicker } from "@/components/payouts/code-picker";
import { PayoutAccountForm } from "@/components/payouts/payout-form";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/i18n/format";
import { getTranslator } from "@/lib/i18n/server";
import { getOnboardingState, getProfile } from "@/lib/onboarding/state";
import { currentPayoutAccount, maskAccountNumber } from "@/lib/payouts/accounts";
import { findBank, findBranch, searchBanks, searchBranches } from "@/lib/payouts/banks";
import { holderNameFromProfile } from "@/lib/payouts/kana";
import { ACCOUNT_TYPES } from "@/lib/payouts/schemas";
import { registerPayoutAccountAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("payouts.title") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value.slice(0, 60) : "");

function href(params: Record<string, string>): string {
  return `/account/payout?${new URLSearchParams(params).toString()}`;
}

export default async function PayoutAccountPage({ searchParams }: Props) {
  const user = await requireUser("/account/payout");
  const [{ locale, t }, state, profile, current, raw] = await Promise.all([getTranslator(), getOnboardingState(user.id), getProfile(user.id), currentPayoutAccount(user.id), searchParams]);
  if (state.nextStep !== null || !profile) {
    return (
      <div className="mx-auto max-w-xl">
        <PageHeading title={t("payouts.title")} lead={t("payouts.lead")} />
        <Card>
          <p className="text-sm">{t("payouts.onboardingFirst")}</p>
          <ButtonLink href="/onboarding" className="mt-3">
            {t("payouts.continueOnboarding")} →
          </ButtonLink>
        </Card>
      </div>
    );
  }
  const [bank, currentBank, currentBranch] = await Promise.all([
    findBank(one(raw.bank)),
    current ? findBank(current.bankCode) : null,
    current ? findBranch(current.bankCode, current.branchCode) : null,
  ]);
  const branch = bank ? await findBranch(bank.code, one(raw.branch)) : null;
  const bankQuery = one(raw.bq);
  const branchQuery = one(raw.rq);
  const bankResults = !bank && bankQuery ? await searchBanks(bankQuery) : null;
  const branchResults = bank && !branch && branchQuery ? await searchBranches(bank.code, branchQuery) : null;
  const pickerLabels = { search: t("payouts.search"), choose: t("payouts.choose"), noMatches: t("payouts.noMatches"), moreMatches: t("payouts.moreMatches", { count: 20 }) };
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <PageHeading title={t("payouts.title")} lead={t("payouts.lead")} />
      <Card>
        <h2 className="font-bold">{t("payouts.current")}</h2>
        {current ? (
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="payout-current">
            <dt className="text-stone-500">{t("payouts.bank")}</dt>
            <dd>
              {currentBank?.name ?? ""} ({current.bankCode})
            </dd>
            <dt className="text-stone-500">{t("payouts.branch")}</dt>
            <dd>
              {currentBranch?.name ?? ""} ({current.branchCode})
            </dd>
            <dt className="text-stone-500">{t("payouts.accountType")}</dt>
            <dd>{t(`payouts.accountTypes.${current.accountType}`)}</dd>
            <dt className="text-stone-500">{t("payouts.accountNumber")}</dt>
            <dd className="font-mono">{maskAccountNumber(current.accountNumber)}</dd>
            <dt className="text-stone-500">{t("payouts.holderNameKana")}</dt>
            <dd>{current.holderNameKana}</dd>
            <dt className="text-stone-500">{t("payouts.registeredAt")}</dt>
            <dd>{formatDateTime(current.createdAt, locale)}</dd>
          </dl>
        ) : (
          <p className="mt-2 text-sm text-stone-600">{t("payouts.none")}</p>
        )}
      </Card>
      <Card>
        <h2 className="font-bold">{current ? t("payouts.change") : t("payouts.register")}</h2>
        {current ? <p className="mt-1 text-sm text-stone-600">{t("payouts.changeNote")}</p> : null}
        <div className="mt-4 space-y-4">
          {bank ? (
            <p className="flex flex-wrap items-center justify-between gap-2 text-sm" data-testid="payout-bank">
              <span>
                {t("payouts.bank")}: <span className="font-semibold">{bank.name}</span> ({bank.code})
              </span>
              <Link href="/account/payout" className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
                {t("payouts.chooseAgain")}
              </Link>
            </p>
          ) : (
            <CodePicker
              id="bank-search"
              label={t("payouts.bankSearch")}
              queryName="bq"
              query={bankQuery}
              hidden={{}}
              choices={bankResults?.matches.map((match) => ({ ...match, href: href({ bank: match.code }) })) ?? null}
              more={bankResults?.more ?? false}
              labels={pickerLabels}
            />
          )}
          {bank && branch ? (
            <p className="flex flex-wrap items-center justify-between gap-2 text-sm" data-testid="payout-branch">
              <span>
                {t("payouts.branch")}: <span className="font-semibold">{branch.name}</span> ({branch.code})
              </span>
              <Link href={href({ bank: bank.code })} className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
                {t("payouts.chooseAgain")}
              </Link>
            </p>
          ) : null}
          {bank && !branch ? (
            <CodePicker
              id="branch-search"
              label={t("payouts.branchSearch")}
              queryName="rq"
              query={branchQuery}
              hidden={{ bank: bank.code }}
              choices={branchResults?.matches.map((match) => ({ ...match, href: href({ bank: bank.code, branch: match.code }) })) ?? null}
              more={branchResults?.more ?? false}
              labels={pickerLabels}
            />
          ) : null}
          {bank && branch ? (
            <PayoutAccountForm
              action={registerPayoutAccountAction}
              bankCode={bank.code}
              branchCode={branch.code}
              holderName={holderNameFromProfile(profile)}
              accountTypes={ACCOUNT_TYPES.map((type) => ({ value: type, label: t(`payouts.accountTypes.${type}`) }))}
              labels={{
                accountType: t("payouts.accountType"),
                accountNumber: t("payouts.accountNumber"),
                accountNumberHint: t("payouts.accountNumberHint"),
                holderNameKana: t("payouts.holderNameKana"),
                holderNameHint: t("payouts.holderNameHint"),
                save: t("payouts.save"),
              }}
            />
          ) : null}
        </div>
      </Card>
    </div>
  );
}
