ALTER TABLE "offerings" ADD COLUMN "approved_terms" jsonb;--> statement-breakpoint
-- Offerings approved before this column existed: their current terms are the approved ones.
UPDATE "offerings" o SET "approved_terms" = jsonb_build_object(
  'revision', o."terms_revision",
  'kind', o."kind",
  'nameJa', o."name_ja",
  'nameEn', o."name_en",
  'descriptionJa', o."description_ja",
  'descriptionEn', o."description_en",
  'tokenSymbol', o."token_symbol",
  'priceYen', o."price_yen",
  'capUnits', o."cap_units",
  'minUnitsPerOrder', o."min_units_per_order",
  'maxUnitsPerOrder', o."max_units_per_order",
  'yearlyCapYenPerInvestor', o."yearly_cap_yen_per_investor",
  'opensAt', to_char(o."opens_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'closesAt', to_char(o."closes_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'bond', (SELECT jsonb_build_object(
    'faceValueYen', b."face_value_yen",
    'issuePriceYen', b."issue_price_yen",
    'couponRateBp', b."coupon_rate_bp",
    'couponsPerYear', b."coupons_per_year",
    'interestFrom', b."interest_from"::text,
    'firstCouponDate', b."first_coupon_date"::text,
    'maturityDate', b."maturity_date"::text,
    'recordDateBusinessDays', b."record_date_business_days"
  ) FROM "bond_terms" b WHERE b."offering_id" = o."id")
)
WHERE o."approved_revision" IS NOT NULL AND o."approved_revision" = o."terms_revision";
