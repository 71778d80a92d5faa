import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, PageHeading } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { requestSignInLink } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("auth.signInTitle") };
}

type Params = { callbackUrl?: string; changed?: string; cancelled?: string; again?: string };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const [{ t }, user, { callbackUrl, changed, cancelled, again }] = await Promise.all([getTranslator(), getCurrentUser(), searchParams]);
  // `again`: a signed-in person asked to sign in anew (a recent sign-in is needed, e.g. to change the address).
  if (user && !again) redirect("/dashboard");
  const notice = changed ? t("auth.emailChanged") : cancelled ? t("auth.emailChangeCancelled") : null;
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("auth.signInTitle")} lead={user ? t("auth.signInAgainLead") : t("auth.signInLead")} />
      {notice ? (
        <p role="status" className="mb-4 rounded-lg border border-forest-100 bg-forest-50 px-3 py-2 text-sm text-forest-800">
          {notice}
        </p>
      ) : null}
      <Card>
        <SignInForm
          action={requestSignInLink}
          callbackUrl={typeof callbackUrl === "string" ? callbackUrl : undefined}
          labels={{ email: t("auth.email"), placeholder: t("auth.emailPlaceholder"), send: t("auth.send"), sending: t("auth.sending") }}
        />
      </Card>
    </div>
  );
}
