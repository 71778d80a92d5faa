ALTER TYPE "public"."image_purpose" ADD VALUE 'logo';--> statement-breakpoint
CREATE TABLE "issuer_staff" (
	"issuer_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"granted_by" text,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "issuer_staff_issuer_id_user_id_pk" PRIMARY KEY("issuer_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "settlement_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"figures" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_reports_version_positive" CHECK ("settlement_reports"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "forced_transfer_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"holder_id" text,
	"from_address" text NOT NULL,
	"to_address" text NOT NULL,
	"units" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"chain_transaction_id" uuid,
	CONSTRAINT "forced_transfer_units_positive" CHECK ("forced_transfer_requests"."units" > 0),
	CONSTRAINT "forced_transfer_four_eyes" CHECK ("forced_transfer_requests"."decided_by" IS NULL OR "forced_transfer_requests"."decided_by" <> "forced_transfer_requests"."requested_by")
);
--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "update_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "terms_author_id" text;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "terms_revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "approved_revision" integer;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "approved_by" text;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "kind" text DEFAULT 'village' NOT NULL;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "logo_image_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "kind" text DEFAULT 'update' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "order_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "detail" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "issuer_staff" ADD CONSTRAINT "issuer_staff_issuer_id_villages_id_fk" FOREIGN KEY ("issuer_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issuer_staff" ADD CONSTRAINT "issuer_staff_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issuer_staff" ADD CONSTRAINT "issuer_staff_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_reports" ADD CONSTRAINT "settlement_reports_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_reports" ADD CONSTRAINT "settlement_reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forced_transfer_requests" ADD CONSTRAINT "forced_transfer_requests_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forced_transfer_requests" ADD CONSTRAINT "forced_transfer_requests_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forced_transfer_requests" ADD CONSTRAINT "forced_transfer_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forced_transfer_requests" ADD CONSTRAINT "forced_transfer_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forced_transfer_requests" ADD CONSTRAINT "forced_transfer_requests_chain_transaction_id_chain_transactions_id_fk" FOREIGN KEY ("chain_transaction_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issuer_staff_user_id_index" ON "issuer_staff" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_reports_offering_id_version_index" ON "settlement_reports" USING btree ("offering_id","version");--> statement-breakpoint
CREATE INDEX "forced_transfer_requests_offering_id_status_index" ON "forced_transfer_requests" USING btree ("offering_id","status");--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_terms_author_id_users_id_fk" FOREIGN KEY ("terms_author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villages" ADD CONSTRAINT "villages_logo_image_id_images_id_fk" FOREIGN KEY ("logo_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offerings_status_closes_at_index" ON "offerings" USING btree ("status","closes_at");--> statement-breakpoint
CREATE INDEX "orders_offering_id_created_at_index" ON "orders" USING btree ("offering_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_order_notice" ON "notifications" USING btree ("user_id","kind","order_id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_update_kind" CHECK (("notifications"."kind" = 'update') = ("notifications"."update_id" IS NOT NULL));--> statement-breakpoint
-- Offerings that were already past draft were launched before approvals existed: their terms count as approved.
UPDATE "offerings" SET "approved_revision" = "terms_revision", "approved_at" = "created_at" WHERE "status" <> 'draft';--> statement-breakpoint
-- Staff acted for every issuer before memberships existed: they keep that until an admin revokes it.
INSERT INTO "issuer_staff" ("issuer_id", "user_id") SELECT "villages"."id", "users"."id" FROM "villages" CROSS JOIN "users" WHERE "users"."role" = 'staff' ON CONFLICT DO NOTHING;
