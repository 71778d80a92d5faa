import { z } from "zod";
import { SLUG } from "@/lib/slug";

/**
 * The open data API's shapes, the one source of truth: route handlers parse every response through
 * them (unknown keys are dropped, so nothing extra can slip out) and lib/api/openapi.ts turns them
 * into the OpenAPI document. Money is integer yen, times are ISO 8601 in UTC.
 */

/** Schemas that appear in the document as named components. */
export const components = z.registry<{ id: string; description?: string }>();

const named = <T extends z.ZodType>(id: string, description: string, schema: T): T => {
  components.add(schema, { id, description });
  return schema;
};

const slug = z.string().regex(SLUG);
const yen = z.int().min(0).describe("Integer yen");
const units = z.int().min(0);
const time = z.iso.datetime();
const url = z.url();

const Localized = named("Localized", "A text in Japanese and in English", z.object({ ja: z.string(), en: z.string() }));

export const ApiError = named(
  "Error",
  "What went wrong",
  z.object({
    error: z.object({
      code: z.enum(["bad_request", "not_found", "rate_limited"]),
      message: z.string(),
      issues: z.array(z.object({ parameter: z.string(), message: z.string() })).optional(),
    }),
  }),
);

const Issuer = named(
  "Issuer",
  "A village or municipality that raises money through offerings",
  z.object({
    slug,
    kind: z.enum(["village", "municipality"]),
    name: Localized,
    prefecture: Localized,
    description: Localized,
    population: z.int().min(0).nullable(),
    logoUrl: url.nullable(),
  }),
);

const Reconciliation = named(
  "Reconciliation",
  "The latest comparison of the token on chain with the portal's records",
  z.object({
    result: z.enum(["ok", "mismatch", "error"]),
    at: time,
    supplyOnChain: units.nullable().describe("Total supply read from the chain at that time; null when it could not be read"),
    supplyRecorded: units.nullable().describe("Units the portal's ledger says were issued"),
    holdersChecked: units,
  }),
);

const Offering = named(
  "Offering",
  "An offering of tokens by an issuer; drafts are never listed",
  z.object({
    slug,
    issuer: slug,
    kind: z.enum(["village_token", "municipal_bond"]),
    status: z.enum(["open", "paused", "closed"]),
    name: Localized,
    description: Localized,
    terms: z.object({
      priceYen: yen.describe("Price of one unit (one token)"),
      capUnits: units,
      minUnitsPerOrder: units,
      maxUnitsPerOrder: units,
      yearlyCapYenPerInvestor: yen,
      opensAt: time,
      closesAt: time,
    }),
    progress: z.object({
      soldUnits: units,
      reservedUnits: units.describe("Units held by orders awaiting payment"),
      availableUnits: units,
      soldYen: yen,
      targetYen: yen,
    }),
    token: z.object({
      symbol: z.string(),
      chainId: z.int().nullable(),
      address: z.string().nullable().describe("The token contract, once deployed"),
      explorerUrl: url.nullable(),
    }),
    reconciliation: Reconciliation.nullable(),
    closedAt: time.nullable(),
  }),
);

const ProjectSummary = named(
  "ProjectSummary",
  "A published project funded by an offering",
  z.object({
    slug,
    offering: slug,
    issuer: slug,
    title: Localized,
    summary: Localized,
    status: z.enum(["planned", "in_progress", "done"]),
    budgetYen: yen,
    fundedYen: yen.describe("Its share of the yen received, in proportion to the budgets of the offering's published projects"),
    spentYen: yen,
    coverImageUrl: url.nullable(),
    publishedAt: time,
    updatedAt: time,
  }),
);

const Project = named("Project", "A published project with its description (Markdown)", ProjectSummary.extend({ body: Localized }));

const Spending = named(
  "Spending",
  "A payment made for a project",
  z.object({
    id: z.uuid(),
    spentOn: z.iso.date().describe("Calendar day in Asia/Tokyo"),
    amountYen: yen,
    description: Localized,
    hasReceipt: z.boolean().describe("Whether staff keep a receipt for it (receipts are not public)"),
  }),
);

const Update = named(
  "ProjectUpdate",
  "A published update on a project",
  z.object({
    id: z.uuid(),
    title: Localized,
    body: Localized.describe("Markdown"),
    figures: z.array(z.object({ kind: z.string(), value: z.number() })),
    revision: z.int().min(1),
    publishedAt: time,
    editedAt: time.nullable(),
    images: z.array(z.object({ url, width: z.int().min(1), height: z.int().min(1) })),
  }),
);

const one = <T extends z.ZodType>(id: string, item: T) => named(id, `One ${id.replace(/Response$/, "").toLowerCase()}`, z.object({ data: item }));
const page = <T extends z.ZodType>(id: string, item: T) =>
  named(id, "One page of a list", z.object({ data: z.array(item), nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page") }));

export const IssuerResponse = one("IssuerResponse", Issuer);
export const IssuerPage = page("IssuerPage", Issuer);
export const OfferingResponse = one("OfferingResponse", Offering);
export const OfferingPage = page("OfferingPage", Offering);
export const ProjectResponse = one("ProjectResponse", Project);
export const ProjectPage = page("ProjectPage", ProjectSummary);
export const SpendingPage = page("SpendingPage", Spending);
export const UpdatePage = page("ProjectUpdatePage", Update);

export type ApiIssuer = z.infer<typeof Issuer>;
export type ApiOffering = z.infer<typeof Offering>;
export type ApiProjectSummary = z.infer<typeof ProjectSummary>;
export type ApiSpending = z.infer<typeof Spending>;
export type ApiUpdate = z.infer<typeof Update>;

/** Query parameters: every list pages with `limit` and an opaque `cursor`. */
const paging = {
  limit: z.coerce.number().int().min(1).max(100).default(20).describe("Items per page (1–100)"),
  cursor: z.string().max(200).optional().describe("`nextCursor` of the previous page"),
};

export const PageQuery = z.object(paging);
export const OfferingQuery = z.object({
  ...paging,
  issuer: slug.optional().describe("Only this issuer's offerings"),
  status: z.enum(["open", "paused", "closed"]).optional(),
});
export const ProjectQuery = z.object({
  ...paging,
  issuer: slug.optional().describe("Only projects of this issuer"),
  offering: slug.optional().describe("Only projects funded by this offering"),
});

export type Paging = z.infer<typeof PageQuery>;
