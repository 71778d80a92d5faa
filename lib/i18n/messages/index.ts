import type { Shape } from "../shape";
import * as account from "./account";
import * as chain from "./chain";
import * as notifications from "./notifications";
import * as offeringAdmin from "./offering-admin";
import * as onboarding from "./onboarding";
import * as orders from "./orders";
import * as profileChanges from "./profile-changes";
import * as projectPage from "./project-page";
import * as projectsAdmin from "./projects-admin";
import * as register from "./register";
import * as site from "./site";
import * as staff from "./staff";
import * as issuers from "./issuers";
import * as launch from "./launch";
import * as chainOps from "./chain-ops";
import * as settlement from "./settlement";
import * as notices from "./notices";
import * as bonds from "./bonds";
import * as payouts from "./payouts";
import * as auditActions from "./audit-actions";
import * as coupons from "./coupons";
import * as statements from "./statements";
import * as perks from "./perks";
import * as perksErrors from "./perks-errors";
import * as votes from "./votes";
import * as ownWallets from "./own-wallets";
import * as withdrawals from "./withdrawals";
import * as stablecoin from "./stablecoin";
import * as deferredPayments from "./deferred-payments";
import * as coolingOff from "./cooling-off";
import * as residents from "./residents";

/**
 * Every area file exports `ja` and `en`, each holding that area's top-level namespaces; the
 * catalogs are only their union (no area may reuse another's namespace: the i18n test checks).
 */
export const AREAS = {
  site,
  account,
  onboarding,
  staff,
  orders,
  chain,
  offeringAdmin,
  projectsAdmin,
  projectPage,
  profileChanges,
  register,
  notifications,
  issuers,
  launch,
  chainOps,
  settlement,
  notices,
  bonds,
  payouts,
  auditActions,
  coupons,
  statements,
  perks,
  perksErrors,
  votes,
  ownWallets,
  withdrawals,
  stablecoin,
  deferredPayments,
  coolingOff,
  residents,
};

/** Japanese: the default locale and the shape every other catalog follows. */
export const ja = {
  ...site.ja,
  ...account.ja,
  ...onboarding.ja,
  ...staff.ja,
  ...orders.ja,
  ...chain.ja,
  ...offeringAdmin.ja,
  ...projectsAdmin.ja,
  ...projectPage.ja,
  ...profileChanges.ja,
  ...register.ja,
  ...notifications.ja,
  ...issuers.ja,
  ...launch.ja,
  ...chainOps.ja,
  ...settlement.ja,
  ...notices.ja,
  ...bonds.ja,
  ...payouts.ja,
  ...auditActions.ja,
  ...coupons.ja,
  ...statements.ja,
  ...perks.ja,
  ...perksErrors.ja,
  ...votes.ja,
  ...ownWallets.ja,
  ...withdrawals.ja,
  ...stablecoin.ja,
  ...deferredPayments.ja,
  ...coolingOff.ja,
  ...residents.ja,
};

export const en: Shape<typeof ja> = {
  ...site.en,
  ...account.en,
  ...onboarding.en,
  ...staff.en,
  ...orders.en,
  ...chain.en,
  ...offeringAdmin.en,
  ...projectsAdmin.en,
  ...projectPage.en,
  ...profileChanges.en,
  ...register.en,
  ...notifications.en,
  ...issuers.en,
  ...launch.en,
  ...chainOps.en,
  ...settlement.en,
  ...notices.en,
  ...bonds.en,
  ...payouts.en,
  ...auditActions.en,
  ...coupons.en,
  ...statements.en,
  ...perks.en,
  ...perksErrors.en,
  ...votes.en,
  ...ownWallets.en,
  ...withdrawals.en,
  ...stablecoin.en,
  ...deferredPayments.en,
  ...coolingOff.en,
  ...residents.en,
};
