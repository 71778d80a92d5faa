"use client";

import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

export function EmailPreferenceForm({ action, enabled, m }: { action: FormAction; enabled: boolean; m: Messages["notifications"] }) {
  const { state, pending, formProps } = useActionForm(action);
  return (
    <form {...formProps} className="space-y-3">
      <FormMessage status={state.status} message={state.message} />
      <label className="flex min-h-11 items-center gap-3 text-sm">
        <input type="checkbox" name="emailUpdates" defaultChecked={enabled} className="size-5 accent-forest-700" />
        {m.emailUpdates}
      </label>
      <SubmitButton pending={pending} label={m.saveSettings} variant="quiet" />
    </form>
  );
}
