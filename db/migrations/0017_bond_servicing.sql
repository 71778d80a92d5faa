ALTER TYPE "public"."ledger_kind" ADD VALUE 'tokens_redeemed';--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'coupon_paid';--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'principal_paid';--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'tax_withheld';--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'payout_carried_over';--> statement-breakpoint
CREATE TABLE "coupon_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"units" integer NOT NULL,
	"gross_yen" integer NOT NULL,
	"national_tax_yen" integer NOT NULL,
	"local_tax_yen" integer NOT NULL,
	"net_yen" integer NOT NULL,
	"principal_yen" bigint DEFAULT 0 NOT NULL,
	"carried_from_id" uuid,
	"status" text NOT NULL,
	"bank_account_id" uuid,
	"marked_by" text,
	"marked_at" timestamp with time zone,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_payments_totals" CHECK ("coupon_payments"."gross_yen" = "coupon_payments"."net_yen" + "coupon_payments"."national_tax_yen" + "coupon_payments"."local_tax_yen"),
	CONSTRAINT "coupon_payments_non_negative" CHECK ("coupon_payments"."gross_yen" >= 0 AND "coupon_payments"."national_tax_yen" >= 0 AND "coupon_payments"."local_tax_yen" >= 0 AND "coupon_payments"."net_yen" >= 0 AND "coupon_payments"."principal_yen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "coupon_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"snapshot_id" uuid NOT NULL,
	"payment_number" integer NOT NULL,
	"payment_date" date NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'prepared' NOT NULL,
	"holders" integer DEFAULT 0 NOT NULL,
	"gross_yen" bigint DEFAULT 0 NOT NULL,
	"national_tax_yen" bigint DEFAULT 0 NOT NULL,
	"local_tax_yen" bigint DEFAULT 0 NOT NULL,
	"net_yen" bigint DEFAULT 0 NOT NULL,
	"principal_yen" bigint DEFAULT 0 NOT NULL,
	"carried_in_yen" bigint DEFAULT 0 NOT NULL,
	"prepared_by" text NOT NULL,
	"prepared_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"file_created_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_by" text,
	"cancel_reason" text,
	CONSTRAINT "coupon_runs_four_eyes" CHECK ("coupon_runs"."approved_by" IS NULL OR "coupon_runs"."approved_by" <> "coupon_runs"."prepared_by"),
	CONSTRAINT "coupon_runs_totals" CHECK ("coupon_runs"."gross_yen" = "coupon_runs"."net_yen" + "coupon_runs"."national_tax_yen" + "coupon_runs"."local_tax_yen")
);
--> statement-breakpoint
CREATE TABLE "issuer_payout_settings" (
	"village_id" uuid PRIMARY KEY NOT NULL,
	"requester_code" text NOT NULL,
	"requester_name_kana" text NOT NULL,
	"bank_code" text NOT NULL,
	"branch_code" text NOT NULL,
	"account_type" text NOT NULL,
	"account_number" text NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "issuer_payout_settings_codes" CHECK ("issuer_payout_settings"."requester_code" ~ '^[0-9]{10}$' AND "issuer_payout_settings"."bank_code" ~ '^[0-9]{4}$' AND "issuer_payout_settings"."branch_code" ~ '^[0-9]{3}$' AND "issuer_payout_settings"."account_number" ~ '^[0-9]{7}$')
);
--> statement-breakpoint
CREATE TABLE "record_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"payment_date" date NOT NULL,
	"record_date" date NOT NULL,
	"cutoff_at" timestamp with time zone NOT NULL,
	"block_number" bigint,
	"status" text NOT NULL,
	"supply_chain" bigint,
	"supply_ledger" bigint,
	"holders" integer DEFAULT 0 NOT NULL,
	"mismatches" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"taken_by" text,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redemption_burns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"run_id" uuid NOT NULL,
	"offering_id" uuid NOT NULL,
	"user_id" text,
	"address" text NOT NULL,
	"units" integer NOT NULL,
	"chain_transaction_id" uuid,
	"burned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "redemption_burns_seq_unique" UNIQUE("seq"),
	CONSTRAINT "redemption_burns_units_positive" CHECK ("redemption_burns"."units" > 0)
);
--> statement-breakpoint
CREATE TABLE "snapshot_holdings" (
	"snapshot_id" uuid NOT NULL,
	"address" text NOT NULL,
	"user_id" text,
	"units" integer NOT NULL,
	CONSTRAINT "snapshot_holdings_snapshot_id_address_pk" PRIMARY KEY("snapshot_id","address"),
	CONSTRAINT "snapshot_holdings_units_positive" CHECK ("snapshot_holdings"."units" > 0)
);
--> statement-breakpoint
ALTER TABLE "chain_transactions" ADD COLUMN "block_time" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "coupon_payments" ADD CONSTRAINT "coupon_payments_run_id_coupon_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."coupon_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_payments" ADD CONSTRAINT "coupon_payments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_payments" ADD CONSTRAINT "coupon_payments_carried_from_id_coupon_payments_id_fk" FOREIGN KEY ("carried_from_id") REFERENCES "public"."coupon_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_payments" ADD CONSTRAINT "coupon_payments_bank_account_id_payout_bank_accounts_id_fk" FOREIGN KEY ("bank_account_id") REFERENCES "public"."payout_bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_payments" ADD CONSTRAINT "coupon_payments_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_runs" ADD CONSTRAINT "coupon_runs_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_runs" ADD CONSTRAINT "coupon_runs_snapshot_id_record_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."record_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_runs" ADD CONSTRAINT "coupon_runs_prepared_by_users_id_fk" FOREIGN KEY ("prepared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_runs" ADD CONSTRAINT "coupon_runs_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_runs" ADD CONSTRAINT "coupon_runs_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issuer_payout_settings" ADD CONSTRAINT "issuer_payout_settings_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issuer_payout_settings" ADD CONSTRAINT "issuer_payout_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_snapshots" ADD CONSTRAINT "record_snapshots_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_snapshots" ADD CONSTRAINT "record_snapshots_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_burns" ADD CONSTRAINT "redemption_burns_run_id_coupon_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."coupon_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_burns" ADD CONSTRAINT "redemption_burns_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_burns" ADD CONSTRAINT "redemption_burns_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_burns" ADD CONSTRAINT "redemption_burns_chain_transaction_id_chain_transactions_id_fk" FOREIGN KEY ("chain_transaction_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_holdings" ADD CONSTRAINT "snapshot_holdings_snapshot_id_record_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."record_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_holdings" ADD CONSTRAINT "snapshot_holdings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coupon_payments_run_id_status_index" ON "coupon_payments" USING btree ("run_id","status");--> statement-breakpoint
CREATE INDEX "coupon_payments_user_id_created_at_index" ON "coupon_payments" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_payments_carried_once" ON "coupon_payments" USING btree ("carried_from_id");--> statement-breakpoint
CREATE INDEX "coupon_runs_offering_id_payment_date_index" ON "coupon_runs" USING btree ("offering_id","payment_date");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_runs_one_per_payment" ON "coupon_runs" USING btree ("offering_id","payment_number") WHERE "coupon_runs"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "record_snapshots_offering_id_payment_date_index" ON "record_snapshots" USING btree ("offering_id","payment_date");--> statement-breakpoint
CREATE UNIQUE INDEX "record_snapshots_frozen_once" ON "record_snapshots" USING btree ("offering_id","payment_date") WHERE "record_snapshots"."status" = 'frozen';--> statement-breakpoint
CREATE UNIQUE INDEX "redemption_burns_run_id_address_index" ON "redemption_burns" USING btree ("run_id","address");--> statement-breakpoint
CREATE INDEX "redemption_burns_chain_transaction_id_index" ON "redemption_burns" USING btree ("chain_transaction_id");--> statement-breakpoint
CREATE INDEX "snapshot_holdings_user_id_index" ON "snapshot_holdings" USING btree ("user_id");