"use client";

import { useActionForm } from "@/components/ui/use-action-form";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

const COUNTRIES = ["JP", "US", "GB", "CN", "KR", "TW", "other"] as const;

export function ProfileForm({ action, initial, prefectures, m }: { action: FormAction; initial: Record<string, string>; prefectures: { value: string; label: string }[]; m: Messages["onboarding"] }) {
  const { state, pending, formProps } = useActionForm(action);
  const value = (name: string) => state.values?.[name] ?? initial[name] ?? "";
  const error = (name: string) => state.fieldErrors?.[name];
  const p = m.profile;
  return (
    <form {...formProps} className="space-y-4" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="familyNameKanji" label={p.familyNameKanji} defaultValue={value("familyNameKanji")} error={error("familyNameKanji")} autoComplete="family-name" />
        <TextField name="givenNameKanji" label={p.givenNameKanji} defaultValue={value("givenNameKanji")} error={error("givenNameKanji")} autoComplete="given-name" />
        <TextField name="familyNameKana" label={p.familyNameKana} defaultValue={value("familyNameKana")} error={error("familyNameKana")} />
        <TextField name="givenNameKana" label={p.givenNameKana} defaultValue={value("givenNameKana")} error={error("givenNameKana")} />
      </div>
      <TextField name="birthDate" type="date" label={p.birthDate} defaultValue={value("birthDate")} error={error("birthDate")} autoComplete="bday" />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="postalCode" label={p.postalCode} defaultValue={value("postalCode")} error={error("postalCode")} autoComplete="postal-code" inputMode="numeric" placeholder="123-4567" />
        <SelectField name="prefecture" label={p.prefecture} defaultValue={value("prefecture")} error={error("prefecture")} options={prefectures} placeholder={p.choosePrefecture} />
      </div>
      <TextField name="city" label={p.city} defaultValue={value("city")} error={error("city")} autoComplete="address-level2" />
      <TextField name="street" label={p.street} defaultValue={value("street")} error={error("street")} autoComplete="address-line1" />
      <TextField name="phone" type="tel" label={p.phone} defaultValue={value("phone")} error={error("phone")} autoComplete="tel" inputMode="tel" />
      <SelectField
        name="countryOfResidence"
        label={p.countryOfResidence}
        defaultValue={value("countryOfResidence") || "JP"}
        error={error("countryOfResidence")}
        options={COUNTRIES.map((code) => ({ value: code, label: p.countries[code] }))}
      />
      <SubmitButton pending={pending} label={m.save} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}
