import { TokenConfirmForm } from "@/components/onboarding/account-forms";
import { Card, PageHeading } from "@/components/ui/card";
import { pendingEmailChange } from "@/lib/auth/email-change";
import { getTranslator } from "@/lib/i18n/server";
import { confirmEmailChangeAction } from "../actions";

/** Opened from the mail sent to the new address; the change needs a POST from here. */
export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const [{ t }, { token }] = await Promise.all([getTranslator(), searchParams]);
  const pending = typeof token === "string" && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await pendingEmailChange(token) : null;
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("account.confirmChangeTitle")} lead={pending ? t("account.confirmChangeLead", { email: pending.newEmail }) : t("account.invalidLink")} />
      {pending && token ? (
        <Card>
          <TokenConfirmForm action={confirmEmailChangeAction} token={token} label={t("account.confirmChange")} />
        </Card>
      ) : null}
    </div>
  );
}
