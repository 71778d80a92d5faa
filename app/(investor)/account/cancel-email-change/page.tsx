import { TokenConfirmForm } from "@/components/onboarding/account-forms";
import { Card, PageHeading } from "@/components/ui/card";
import { pendingEmailChangeByCancelToken } from "@/lib/auth/email-change";
import { getTranslator } from "@/lib/i18n/server";
import { cancelEmailChangeAction } from "../actions";

/** Opened from the notice sent to the old address; cancelling needs a POST from here (mail scanners only GET). */
export default async function CancelEmailChangePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const [{ t }, { token }] = await Promise.all([getTranslator(), searchParams]);
  const pending = typeof token === "string" && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await pendingEmailChangeByCancelToken(token) : null;
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("account.cancelChangeTitle")} lead={pending ? t("account.cancelChangeLead", { email: pending.newEmail }) : t("account.invalidLink")} />
      {pending && token ? (
        <Card>
          <TokenConfirmForm action={cancelEmailChangeAction} token={token} label={t("account.cancelChange")} />
        </Card>
      ) : null}
    </div>
  );
}
