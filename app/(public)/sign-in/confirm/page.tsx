import { Card, PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The page the emailed link opens: signing in takes a deliberate POST from here. */
export default async function ConfirmSignInPage({ searchParams }: Props) {
  const [{ t }, params] = await Promise.all([getTranslator(), searchParams]);
  const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : "");
  const query = new URLSearchParams({ callbackUrl: one(params.callbackUrl), token: one(params.token), email: one(params.email) });
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("auth.confirmTitle")} lead={t("auth.confirmLead", { email: one(params.email) })} />
      <Card>
        <form method="post" action={`/api/auth/callback/email?${query}`}>
          <button type="submit" className="inline-flex min-h-11 w-full items-center justify-center rounded-lg bg-forest-700 px-4 text-sm font-semibold text-white hover:bg-forest-800">
            {t("auth.confirmButton")}
          </button>
        </form>
      </Card>
    </div>
  );
}
