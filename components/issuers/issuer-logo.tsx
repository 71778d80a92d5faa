import type { Translate } from "@/lib/i18n/catalog";

/** An issuer's logo from the image route, or the first letter of its name when it has none. */
export function IssuerLogo({ logo, name, size, t }: { logo: { id: string; width: number; height: number } | null; name: string; size: number; t: Translate }) {
  if (!logo) {
    return (
      <span aria-hidden className="grid shrink-0 place-items-center rounded-xl bg-forest-700 font-bold text-white" style={{ width: size, height: size, fontSize: size / 2.5 }}>
        {name.slice(0, 1)}
      </span>
    );
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- served by our own image route
    <img
      src={`/api/images/${logo.id}`}
      alt={t("issuers.logoAlt", { name })}
      width={size}
      height={size}
      className="shrink-0 rounded-xl border border-stone-200 bg-white object-contain"
      style={{ width: size, height: size }}
    />
  );
}
