CREATE TYPE "public"."payment_exception_kind" AS ENUM('unmatched_event', 'amount_mismatch', 'duplicate_payment', 'late_payment_sold_out', 'late_payment_over_cap');--> statement-breakpoint
CREATE TYPE "public"."payment_exception_status" AS ENUM('open', 'refund_queued', 'refunded', 'dismissed');--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'tokens_unfrozen' BEFORE 'tokens_transferred';--> statement-breakpoint
CREATE TABLE "investor_commitments" (
	"user_id" text NOT NULL,
	"village_id" uuid NOT NULL,
	"tokyo_year" integer NOT NULL,
	"committed_yen" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "investor_commitments_user_id_village_id_tokyo_year_pk" PRIMARY KEY("user_id","village_id","tokyo_year"),
	CONSTRAINT "investor_commitments_nonnegative" CHECK ("investor_commitments"."committed_yen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payment_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "payment_exception_kind" NOT NULL,
	"status" "payment_exception_status" DEFAULT 'open' NOT NULL,
	"stripe_event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"order_id" uuid,
	"offering_id" uuid,
	"payment_intent_id" text,
	"amount_yen" integer DEFAULT 0 NOT NULL,
	"currency" text,
	"detail" jsonb,
	"refund_id" text,
	"resolved_by" text,
	"resolution_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "payment_exceptions_stripeEventId_unique" UNIQUE("stripe_event_id")
);
--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "investor_commitments" ADD CONSTRAINT "investor_commitments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investor_commitments" ADD CONSTRAINT "investor_commitments_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_exceptions" ADD CONSTRAINT "payment_exceptions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_exceptions" ADD CONSTRAINT "payment_exceptions_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_exceptions" ADD CONSTRAINT "payment_exceptions_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_exceptions_status_created_at_index" ON "payment_exceptions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "payment_exceptions_payment_intent_id_index" ON "payment_exceptions" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "payment_exceptions_order_id_index" ON "payment_exceptions" USING btree ("order_id");