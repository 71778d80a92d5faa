/** Upload storage settings read from the environment's variables (lib/env.ts passes them in). */

const VARIABLES = [
  "STORAGE_URL",
  "STORAGE_REGION",
  "STORAGE_ENDPOINT",
  "STORAGE_ACCESS_KEY_ID",
  "STORAGE_SECRET_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
] as const;
type StorageVariables = Partial<Record<(typeof VARIABLES)[number], string>>;

/** What is wrong with the storage settings, one line each (lib/env.ts reports them with the rest). */
export class StorageSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
  }
}

export type S3StorageSettings = {
  kind: "s3";
  bucket: string;
  /** Prepended to every key: "" or "some/prefix/". */
  prefix: string;
  region: string;
  /** An S3-compatible service (addressed path-style); null for AWS S3 itself. */
  endpoint: string | null;
  /** Null: the AWS SDK's default chain (an instance or task role, AWS_PROFILE). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null;
};

/**
 * Object storage from STORAGE_URL (s3://bucket/prefix) and its companions, or null for the local
 * directory. Half a configuration is refused rather than guessed at: companions without the URL,
 * a key id without its secret, and in live mode the URL without a region.
 */
export function storageSettings(raw: StorageVariables, mode: "demo" | "live"): S3StorageSettings | null {
  const problems: string[] = [];
  const explicit = pair(raw.STORAGE_ACCESS_KEY_ID, raw.STORAGE_SECRET_ACCESS_KEY, "STORAGE_ACCESS_KEY_ID", "STORAGE_SECRET_ACCESS_KEY", problems);
  // The standard AWS variables may be there for other tools; they matter only with STORAGE_URL.
  const standard = raw.STORAGE_URL ? pair(raw.AWS_ACCESS_KEY_ID, raw.AWS_SECRET_ACCESS_KEY, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", problems) : null;
  if (!raw.STORAGE_URL) {
    const stray = (["STORAGE_ENDPOINT", "STORAGE_REGION", "STORAGE_ACCESS_KEY_ID", "STORAGE_SECRET_ACCESS_KEY"] as const).filter((name) => raw[name] !== undefined);
    if (stray.length > 0) problems.push(`${stray.join(", ")} set without STORAGE_URL (s3://bucket/prefix): set it, or remove them to keep uploads in UPLOAD_DIR`);
  } else if (!raw.STORAGE_REGION && mode === "live") {
    problems.push('STORAGE_REGION is missing: the region of the STORAGE_URL bucket, e.g. ap-northeast-1 ("auto" for Cloudflare R2)');
  }
  if (problems.length > 0) throw new StorageSettingsError(problems);
  if (!raw.STORAGE_URL) return null;
  const [bucket, ...rest] = raw.STORAGE_URL.slice("s3://".length).split("/");
  const prefix = rest.filter(Boolean).join("/");
  const credentials = explicit ?? (standard ? { ...standard, ...(raw.AWS_SESSION_TOKEN ? { sessionToken: raw.AWS_SESSION_TOKEN } : {}) } : null);
  return { kind: "s3", bucket: bucket!, prefix: prefix ? `${prefix}/` : "", region: raw.STORAGE_REGION ?? "us-east-1", endpoint: raw.STORAGE_ENDPOINT ?? null, credentials };
}

function pair(id: string | undefined, secret: string | undefined, idName: string, secretName: string, problems: string[]) {
  if (id && secret) return { accessKeyId: id, secretAccessKey: secret };
  if (id || secret) problems.push(`${id ? secretName : idName} is missing: ${idName} and ${secretName} go together`);
  return null;
}
