import { Field } from "@/components/ui/field";

const control =
  "mt-1 block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

export function TextArea({ name, label, error, defaultValue, rows = 4, hint }: { name: string; label: string; error?: string; defaultValue?: string; rows?: number; hint?: string }) {
  return (
    <Field name={name} label={label} error={error} hint={hint}>
      <textarea id={name} name={name} rows={rows} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined} className={control} />
    </Field>
  );
}

export function FileField({ name, label, error, hint, multiple = false }: { name: string; label: string; error?: string; hint?: string; multiple?: boolean }) {
  return (
    <Field name={name} label={label} error={error} hint={hint}>
      <input
        id={name}
        name={name}
        type="file"
        multiple={multiple}
        accept="image/jpeg,image/png,image/webp"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
        className="mt-1 block w-full rounded-lg border border-stone-300 bg-white p-2 text-sm file:mr-3 file:rounded-md file:border-0 file:bg-forest-50 file:px-3 file:py-2 file:text-forest-800"
      />
    </Field>
  );
}
