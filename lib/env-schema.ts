import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** The environment as it arrives: each setting's type, range and default (lib/env.ts turns it into the settings). */
export const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORTAL_MODE: z.enum(["demo", "live"]).optional(),
  PORTAL_STAGING: z.enum(["true", "false", ""]).optional(),
  DATA_DIR: optionalString,
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  AUTH_SECRET: optionalString.pipe(z.string().min(32).optional()),
  AUTH_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  EMAIL_SERVER: optionalString,
  EMAIL_FROM: optionalString.pipe(z.string().min(3).optional()),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  CUSTODY_MASTER_KEYS: optionalString,
  UPLOAD_DIR: optionalString,
  STORAGE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[\w\-.~/]*)?$/, "must be s3://bucket or s3://bucket/prefix")
      .optional(),
  ),
  STORAGE_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  STORAGE_REGION: optionalString,
  STORAGE_ACCESS_KEY_ID: optionalString,
  STORAGE_SECRET_ACCESS_KEY: optionalString,
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  API_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  KYC_AUTO_APPROVE: z.enum(["true", "false", ""]).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  SIGN_IN_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  SIGN_IN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(20),
  SIGN_IN_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  CHAIN_EXPLORER_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  STRIPE_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, "must be a Stripe secret key (sk_test_… or sk_live_…)")
      .optional(),
  ),
  STRIPE_WEBHOOK_SECRET: optionalString.pipe(z.string().startsWith("whsec_", "must start with whsec_").optional()),
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1024).max(65535).default(12111),
  CHAIN_RPC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CHAIN_ID: z.coerce.number().int().positive().optional(),
  CHAIN_ISSUER_KEY_SEALED: optionalString,
  CHAIN_CONFIRMATIONS: z.coerce.number().int().min(1).max(64).default(1),
  CHAIN_DEV_PORT: z.coerce.number().int().min(1024).max(65535).default(8545),
  ALLOCATION_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(100),
  STABLECOIN_ADDRESS: optionalString.pipe(
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address")
      .optional(),
  ),
  STABLECOIN_SETTLEMENT_ADDRESS: optionalString.pipe(
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address")
      .optional(),
  ),
  STABLECOIN_DECIMALS: z.coerce.number().int().min(0).max(36).default(18),
  STABLECOIN_EIP712_NAME: optionalString,
  STABLECOIN_EIP712_VERSION: optionalString,
});
