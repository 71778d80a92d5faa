ALTER TYPE "public"."payment_exception_kind" ADD VALUE 'underpaid_transfer';--> statement-breakpoint
ALTER TYPE "public"."payment_exception_kind" ADD VALUE 'unapplied_transfer';--> statement-breakpoint
ALTER TYPE "public"."payment_exception_status" ADD VALUE 'topup_requested' BEFORE 'refund_queued';--> statement-breakpoint
CREATE TABLE "payment_customers" (
	"user_id" text NOT NULL,
	"provider" text DEFAULT 'stripe' NOT NULL,
	"customer_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_customers_user_id_provider_pk" PRIMARY KEY("user_id","provider"),
	CONSTRAINT "payment_customers_customerId_unique" UNIQUE("customer_id")
);
--> statement-breakpoint
ALTER TABLE "identity_documents" ADD COLUMN "address_matches" boolean;--> statement-breakpoint
ALTER TABLE "investor_profiles" ADD COLUMN "address_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "investor_profiles" ADD COLUMN "address_verified_by" text;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "konbini_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "bank_transfer_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "cooling_off_days" integer DEFAULT 8 NOT NULL;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "resident_units" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "resident_taken_units" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "residents_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "resident_prefecture" text;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "resident_city" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_instructions" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "received_yen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_reminder_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cooling_off_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "resident_units" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_exceptions" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
ALTER TABLE "payment_exceptions" ADD COLUMN "open_case_key" text;--> statement-breakpoint
ALTER TABLE "payment_customers" ADD CONSTRAINT "payment_customers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investor_profiles" ADD CONSTRAINT "investor_profiles_address_verified_by_users_id_fk" FOREIGN KEY ("address_verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_exceptions" ADD CONSTRAINT "payment_exceptions_openCaseKey_unique" UNIQUE("open_case_key");--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_cooling_off_days" CHECK ("offerings"."cooling_off_days" >= 0 AND "offerings"."cooling_off_days" <= 30);--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_resident_tranche" CHECK ("offerings"."resident_taken_units" >= 0 AND "offerings"."resident_taken_units" <= "offerings"."resident_units" AND "offerings"."resident_units" <= "offerings"."cap_units");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_resident_units_within" CHECK ("orders"."resident_units" >= 0 and "orders"."resident_units" <= "orders"."units");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_received_yen_nonnegative" CHECK ("orders"."received_yen" >= 0);