/** The look of a button, shared by <SubmitButton> and <ButtonLink> so buttons and links match. */
const LOOKS = {
  primary: "bg-forest-700 text-white hover:bg-forest-800 disabled:bg-stone-400",
  quiet: "text-stone-700 underline-offset-4 hover:underline",
} as const;

export type ButtonVariant = keyof typeof LOOKS;

/** `className` is for placement (margins, width), not for another look. */
export function buttonClass(variant: ButtonVariant = "primary", className = ""): string {
  return `inline-flex min-h-11 items-center justify-center rounded-lg px-4 text-sm font-semibold transition ${LOOKS[variant]} ${className}`;
}
