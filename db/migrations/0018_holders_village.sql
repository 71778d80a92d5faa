ALTER TYPE "public"."image_purpose" ADD VALUE 'perk';--> statement-breakpoint
CREATE TABLE "ballots" (
	"vote_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"option_id" uuid NOT NULL,
	"units" integer NOT NULL,
	"changes" integer DEFAULT 0 NOT NULL,
	"cast_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballots_vote_id_user_id_pk" PRIMARY KEY("vote_id","user_id"),
	CONSTRAINT "ballots_units_positive" CHECK ("ballots"."units" > 0)
);
--> statement-breakpoint
CREATE TABLE "perk_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"perk_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"status" text DEFAULT 'claimed' NOT NULL,
	"units" integer NOT NULL,
	"recipient_name" text,
	"recipient_kana" text,
	"postal_code" text,
	"address" text,
	"phone" text,
	"burn_seq" bigint,
	"from_address" text,
	"burn_chain_transaction_id" uuid,
	"burned_at" timestamp with time zone,
	"restore_seq" bigint,
	"restore_chain_transaction_id" uuid,
	"restored_at" timestamp with time zone,
	"tracking_number" text,
	"shipped_at" timestamp with time zone,
	"shipped_by" text,
	"cancel_reason" text,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "perk_claims_burnSeq_unique" UNIQUE("burn_seq"),
	CONSTRAINT "perk_claims_restoreSeq_unique" UNIQUE("restore_seq"),
	CONSTRAINT "perk_claims_units_positive" CHECK ("perk_claims"."units" > 0),
	CONSTRAINT "perk_claims_burn_key" CHECK (("perk_claims"."burn_seq" IS NULL) = ("perk_claims"."from_address" IS NULL)),
	CONSTRAINT "perk_claims_restore_after_burn" CHECK ("perk_claims"."restore_seq" IS NULL OR "perk_claims"."burn_seq" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "perks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title_ja" text NOT NULL,
	"title_en" text NOT NULL,
	"description_ja" text NOT NULL,
	"description_en" text NOT NULL,
	"photo_image_id" uuid,
	"min_units" integer,
	"record_date" date,
	"cost_units" integer,
	"stock" integer NOT NULL,
	"claimed" integer DEFAULT 0 NOT NULL,
	"claim_opens_at" timestamp with time zone NOT NULL,
	"claim_closes_at" timestamp with time zone NOT NULL,
	"needs_address" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "perks_stock_bounds" CHECK ("perks"."stock" >= 0 AND "perks"."claimed" >= 0 AND "perks"."claimed" <= "perks"."stock"),
	CONSTRAINT "perks_window" CHECK ("perks"."claim_closes_at" > "perks"."claim_opens_at"),
	CONSTRAINT "perks_kind_terms" CHECK (("perks"."kind" = 'holding' AND "perks"."min_units" > 0 AND "perks"."record_date" IS NOT NULL AND "perks"."cost_units" IS NULL)
       OR ("perks"."kind" = 'redeeming' AND "perks"."cost_units" > 0 AND "perks"."min_units" IS NULL AND "perks"."record_date" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "vote_options" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"vote_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"label_ja" text NOT NULL,
	"label_en" text NOT NULL,
	"project_id" uuid
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"question_ja" text NOT NULL,
	"question_en" text NOT NULL,
	"description_ja" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"record_date" date NOT NULL,
	"snapshot_id" uuid,
	"ends_at" timestamp with time zone NOT NULL,
	"counting" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "record_snapshots" ALTER COLUMN "payment_date" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_option_id_vote_options_id_fk" FOREIGN KEY ("option_id") REFERENCES "public"."vote_options"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perk_claims" ADD CONSTRAINT "perk_claims_perk_id_perks_id_fk" FOREIGN KEY ("perk_id") REFERENCES "public"."perks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perk_claims" ADD CONSTRAINT "perk_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perk_claims" ADD CONSTRAINT "perk_claims_burn_chain_transaction_id_chain_transactions_id_fk" FOREIGN KEY ("burn_chain_transaction_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perk_claims" ADD CONSTRAINT "perk_claims_restore_chain_transaction_id_chain_transactions_id_fk" FOREIGN KEY ("restore_chain_transaction_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perk_claims" ADD CONSTRAINT "perk_claims_shipped_by_users_id_fk" FOREIGN KEY ("shipped_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perk_claims" ADD CONSTRAINT "perk_claims_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perks" ADD CONSTRAINT "perks_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perks" ADD CONSTRAINT "perks_photo_image_id_images_id_fk" FOREIGN KEY ("photo_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perks" ADD CONSTRAINT "perks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_options" ADD CONSTRAINT "vote_options_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_options" ADD CONSTRAINT "vote_options_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_snapshot_id_record_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."record_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ballots_option_id_index" ON "ballots" USING btree ("option_id");--> statement-breakpoint
CREATE UNIQUE INDEX "perk_claims_one_live" ON "perk_claims" USING btree ("perk_id","user_id") WHERE "perk_claims"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "perk_claims_user_id_index" ON "perk_claims" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "perk_claims_perk_id_status_index" ON "perk_claims" USING btree ("perk_id","status");--> statement-breakpoint
CREATE INDEX "perks_offering_id_index" ON "perks" USING btree ("offering_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vote_options_vote_id_position_index" ON "vote_options" USING btree ("vote_id","position");--> statement-breakpoint
CREATE INDEX "vote_options_project_id_index" ON "vote_options" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "votes_offering_id_index" ON "votes" USING btree ("offering_id");--> statement-breakpoint
CREATE INDEX "votes_ends_at_index" ON "votes" USING btree ("ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "record_snapshots_frozen_record_date_once" ON "record_snapshots" USING btree ("offering_id","record_date") WHERE "record_snapshots"."status" = 'frozen' AND "record_snapshots"."payment_date" IS NULL;