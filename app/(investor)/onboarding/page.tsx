import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { getOnboardingState } from "@/lib/onboarding/state";

/** Resumes where the investor stopped. */
export default async function OnboardingIndex() {
  const user = await requireUser("/onboarding");
  const state = await getOnboardingState(user.id);
  redirect(`/onboarding/${state.nextStep ?? "identity"}`);
}
