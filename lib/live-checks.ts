import { WELL_KNOWN_DEV_ACCOUNTS, wellKnownDevAccountIndex } from "@/lib/chain/dev-accounts";

/**
 * What live mode refuses even when every setting is present: a test-mode Stripe key (a test card
 * would mint real tokens) unless the site says it is a staging site, and an issuer key anyone can
 * sign with. Each problem names its setting, like the missing-setting messages.
 */
export function liveSafetyProblems(settings: { stripeSecretKey: string; staging: boolean; issuerKeySealed: string; masterKeyVersions: number[] }): string[] {
  const problems: string[] = [];
  const testKey = /^(sk|rk)_test_/.test(settings.stripeSecretKey);
  if (testKey && !settings.staging) {
    problems.push(
      "STRIPE_SECRET_KEY is a test-mode key (sk_test_…): in live mode a test card would mint real tokens. " + "Use the sk_live_… key, or set PORTAL_STAGING=true if this site is a staging site",
    );
  }
  if (!testKey && settings.staging) {
    problems.push("PORTAL_STAGING=true with a live Stripe key: a staging site takes test payments only (sk_test_…)");
  }
  problems.push(...issuerKeyProblems(settings.issuerKeySealed, settings.masterKeyVersions));
  return problems;
}

const devAccountName = (index: number) => `the public Hardhat dev account ${index} (${WELL_KNOWN_DEV_ACCOUNTS[index]![0]})`;

function issuerKeyProblems(value: string, masterKeyVersions: number[]): string[] {
  if (/^(0x)?[0-9a-f]{64}$/i.test(value.trim())) {
    const index = wellKnownDevAccountIndex(value);
    return [`CHAIN_ISSUER_KEY_SEALED holds a raw private key${index >= 0 ? `, and it is ${devAccountName(index)}` : ""}: seal the issuer's own key with npm run chain:seal-issuer-key`];
  }
  let sealed: { address?: unknown; masterKeyVersion?: unknown };
  try {
    sealed = JSON.parse(Buffer.from(value, "base64").toString("utf8"));
  } catch {
    return ["CHAIN_ISSUER_KEY_SEALED is not a sealed key (base64 JSON from npm run chain:seal-issuer-key)"];
  }
  if (typeof sealed?.address !== "string" || typeof sealed.masterKeyVersion !== "number") {
    return ["CHAIN_ISSUER_KEY_SEALED lacks its address or masterKeyVersion (make it with npm run chain:seal-issuer-key)"];
  }
  const index = wellKnownDevAccountIndex(sealed.address);
  if (index >= 0) return [`CHAIN_ISSUER_KEY_SEALED seals ${devAccountName(index)}: anyone can sign with it; seal the issuer's own key`];
  if (!masterKeyVersions.includes(sealed.masterKeyVersion)) {
    return [
      `CHAIN_ISSUER_KEY_SEALED is sealed under master key version ${sealed.masterKeyVersion}, which CUSTODY_MASTER_KEYS lacks: ` +
        "run npm run custody:rotate and set the value it prints before retiring a version",
    ];
  }
  return [];
}
