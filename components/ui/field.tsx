import type { ReactNode } from "react";

const control =
  "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

export function Field({ name, label, error, children, hint }: { name: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      {children}
      {hint ? <p className="mt-1 text-xs text-stone-500">{hint}</p> : null}
      {error ? (
        <p id={`${name}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

type InputProps = { name: string; label: string; error?: string; defaultValue?: string; type?: string; autoComplete?: string; inputMode?: "text" | "numeric" | "tel" | "email"; placeholder?: string };

export function TextField({ name, label, error, defaultValue, type = "text", autoComplete, inputMode, placeholder }: InputProps) {
  return (
    <Field name={name} label={label} error={error}>
      <input
        id={name}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
        className={control}
      />
    </Field>
  );
}

export function SelectField({ name, label, error, defaultValue, options, placeholder }: Omit<InputProps, "type"> & { options: { value: string; label: string }[] }) {
  return (
    <Field name={name} label={label} error={error}>
      <select id={name} name={name} defaultValue={defaultValue ?? ""} aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined} className={control}>
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function RadioGroup({ name, legend, error, defaultValue, options }: { name: string; legend: string; error?: string; defaultValue?: string; options: { value: string; label: string }[] }) {
  return (
    <fieldset aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="text-sm font-medium text-stone-800">{legend}</legend>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {options.map((option) => (
          <label
            key={option.value}
            className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-stone-300 bg-white px-3 text-sm has-[:checked]:border-forest-600 has-[:checked]:bg-forest-50"
          >
            <input type="radio" name={name} value={option.value} defaultChecked={defaultValue === option.value} className="accent-forest-700" />
            {option.label}
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${name}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function FormMessage({ status, message }: { status: string; message?: string }) {
  if (!message || status === "idle") return null;
  const tone = status === "ok" ? "border-forest-100 bg-forest-50 text-forest-800" : "border-red-200 bg-red-50 text-red-800";
  return (
    <p role={status === "ok" ? "status" : "alert"} className={`rounded-lg border px-3 py-2 text-sm ${tone}`}>
      {message}
    </p>
  );
}
