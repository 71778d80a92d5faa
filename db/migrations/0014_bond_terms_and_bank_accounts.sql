CREATE TABLE "bond_terms" (
	"offering_id" uuid PRIMARY KEY NOT NULL,
	"face_value_yen" integer DEFAULT 10000 NOT NULL,
	"issue_price_yen" integer NOT NULL,
	"coupon_rate_bp" integer NOT NULL,
	"coupons_per_year" integer DEFAULT 2 NOT NULL,
	"interest_from" date NOT NULL,
	"first_coupon_date" date NOT NULL,
	"maturity_date" date NOT NULL,
	"record_date_business_days" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bond_terms_face_positive" CHECK ("bond_terms"."face_value_yen" > 0),
	CONSTRAINT "bond_terms_issue_at_or_below_par" CHECK ("bond_terms"."issue_price_yen" > 0 AND "bond_terms"."issue_price_yen" <= "bond_terms"."face_value_yen"),
	CONSTRAINT "bond_terms_rate" CHECK ("bond_terms"."coupon_rate_bp" >= 0 AND "bond_terms"."coupon_rate_bp" <= 2000),
	CONSTRAINT "bond_terms_frequency" CHECK ("bond_terms"."coupons_per_year" IN (1, 2, 4, 12)),
	CONSTRAINT "bond_terms_dates" CHECK ("bond_terms"."interest_from" < "bond_terms"."first_coupon_date" AND "bond_terms"."first_coupon_date" <= "bond_terms"."maturity_date"),
	CONSTRAINT "bond_terms_record_days" CHECK ("bond_terms"."record_date_business_days" BETWEEN 0 AND 10)
);
--> statement-breakpoint
CREATE TABLE "payout_bank_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"bank_code" text NOT NULL,
	"branch_code" text NOT NULL,
	"account_type" text NOT NULL,
	"account_number" text NOT NULL,
	"holder_name_kana" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "payout_bank_accounts_codes" CHECK ("payout_bank_accounts"."bank_code" ~ '^[0-9]{4}$' AND "payout_bank_accounts"."branch_code" ~ '^[0-9]{3}$' AND "payout_bank_accounts"."account_number" ~ '^[0-9]{7}$')
);
--> statement-breakpoint
ALTER TABLE "bond_terms" ADD CONSTRAINT "bond_terms_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_bank_accounts" ADD CONSTRAINT "payout_bank_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_bank_accounts_current" ON "payout_bank_accounts" USING btree ("user_id") WHERE "payout_bank_accounts"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX "payout_bank_accounts_user_id_created_at_index" ON "payout_bank_accounts" USING btree ("user_id","created_at");