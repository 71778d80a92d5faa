CREATE TABLE "reconciliations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid,
	"status" text NOT NULL,
	"supply_chain" bigint,
	"supply_db" bigint,
	"holders_checked" integer DEFAULT 0 NOT NULL,
	"mismatches" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "legal_documents" ADD COLUMN "offering_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "checkout_url" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "stripe_charge_id" text;--> statement-breakpoint
ALTER TABLE "chain_transactions" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "chain_transactions" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "chain_transactions" ADD COLUMN "max_fee_per_gas" text;--> statement-breakpoint
ALTER TABLE "chain_transactions" ADD COLUMN "max_priority_fee_per_gas" text;--> statement-breakpoint
ALTER TABLE "chain_transactions" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chain_transactions" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reconciliations" ADD CONSTRAINT "reconciliations_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliations_at_index" ON "reconciliations" USING btree ("at");