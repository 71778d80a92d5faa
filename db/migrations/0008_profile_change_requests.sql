CREATE TYPE "public"."profile_change_status" AS ENUM('pending', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "profile_change_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"old_values" jsonb NOT NULL,
	"new_values" jsonb NOT NULL,
	"status" "profile_change_status" DEFAULT 'pending' NOT NULL,
	"reviewer_id" text,
	"reviewed_at" timestamp with time zone,
	"rejection_reason" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_change_requests_not_own_review" CHECK ("profile_change_requests"."reviewer_id" is distinct from "profile_change_requests"."user_id")
);
--> statement-breakpoint
ALTER TABLE "profile_change_requests" ADD CONSTRAINT "profile_change_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_change_requests" ADD CONSTRAINT "profile_change_requests_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profile_change_requests_user_id_requested_at_index" ON "profile_change_requests" USING btree ("user_id","requested_at");--> statement-breakpoint
CREATE INDEX "profile_change_requests_status_requested_at_index" ON "profile_change_requests" USING btree ("status","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "profile_change_requests_one_pending_per_user" ON "profile_change_requests" USING btree ("user_id") WHERE "profile_change_requests"."status" = 'pending';