CREATE TABLE "linked_wallet_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"linked_wallet_id" uuid NOT NULL,
	"offering_id" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"allowlist_tx_id" uuid,
	"allowlisted_at" timestamp with time zone,
	"delist_tx_id" uuid,
	"delisted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "linked_wallets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"address" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"siwe_message" text NOT NULL,
	"signature" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unlinked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "platform_contracts" (
	"chain_id" integer NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_contracts_chain_id_name_pk" PRIMARY KEY("chain_id","name")
);
--> statement-breakpoint
CREATE TABLE "siwe_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stablecoin_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"payer" text NOT NULL,
	"stablecoin" text NOT NULL,
	"amount" text NOT NULL,
	"authorization" jsonb NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"chain_transaction_id" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "withdrawals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"offering_id" uuid NOT NULL,
	"linked_wallet_id" uuid NOT NULL,
	"from_address" text NOT NULL,
	"to_address" text NOT NULL,
	"units" integer NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"request_key" text NOT NULL,
	"gas_topup_tx_id" uuid,
	"chain_transaction_id" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "withdrawals_requestKey_unique" UNIQUE("request_key"),
	CONSTRAINT "withdrawals_units_positive" CHECK ("withdrawals"."units" > 0)
);
--> statement-breakpoint
ALTER TABLE "offerings" ADD COLUMN "withdrawal_daily_limit_units" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "stablecoin_payee" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_method" text DEFAULT 'card' NOT NULL;--> statement-breakpoint
ALTER TABLE "linked_wallet_approvals" ADD CONSTRAINT "linked_wallet_approvals_linked_wallet_id_linked_wallets_id_fk" FOREIGN KEY ("linked_wallet_id") REFERENCES "public"."linked_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_wallet_approvals" ADD CONSTRAINT "linked_wallet_approvals_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_wallet_approvals" ADD CONSTRAINT "linked_wallet_approvals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_wallet_approvals" ADD CONSTRAINT "linked_wallet_approvals_allowlist_tx_id_chain_transactions_id_fk" FOREIGN KEY ("allowlist_tx_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_wallet_approvals" ADD CONSTRAINT "linked_wallet_approvals_delist_tx_id_chain_transactions_id_fk" FOREIGN KEY ("delist_tx_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_wallets" ADD CONSTRAINT "linked_wallets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siwe_nonces" ADD CONSTRAINT "siwe_nonces_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stablecoin_payments" ADD CONSTRAINT "stablecoin_payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stablecoin_payments" ADD CONSTRAINT "stablecoin_payments_chain_transaction_id_chain_transactions_id_fk" FOREIGN KEY ("chain_transaction_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_linked_wallet_id_linked_wallets_id_fk" FOREIGN KEY ("linked_wallet_id") REFERENCES "public"."linked_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_gas_topup_tx_id_chain_transactions_id_fk" FOREIGN KEY ("gas_topup_tx_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_chain_transaction_id_chain_transactions_id_fk" FOREIGN KEY ("chain_transaction_id") REFERENCES "public"."chain_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "linked_wallet_approvals_linked_wallet_id_offering_id_index" ON "linked_wallet_approvals" USING btree ("linked_wallet_id","offering_id");--> statement-breakpoint
CREATE INDEX "linked_wallet_approvals_offering_id_status_index" ON "linked_wallet_approvals" USING btree ("offering_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "linked_wallets_active_address" ON "linked_wallets" USING btree (lower("address")) WHERE "linked_wallets"."status" = 'active';--> statement-breakpoint
CREATE INDEX "linked_wallets_user_id_status_index" ON "linked_wallets" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "siwe_nonces_user_id_issued_at_index" ON "siwe_nonces" USING btree ("user_id","issued_at");--> statement-breakpoint
CREATE UNIQUE INDEX "stablecoin_payments_one_in_flight" ON "stablecoin_payments" USING btree ("order_id") WHERE "stablecoin_payments"."status" = 'submitted';--> statement-breakpoint
CREATE UNIQUE INDEX "stablecoin_payments_one_confirmed" ON "stablecoin_payments" USING btree ("order_id") WHERE "stablecoin_payments"."status" = 'confirmed';--> statement-breakpoint
CREATE INDEX "stablecoin_payments_status_index" ON "stablecoin_payments" USING btree ("status");--> statement-breakpoint
CREATE INDEX "withdrawals_user_id_offering_id_created_at_index" ON "withdrawals" USING btree ("user_id","offering_id","created_at");--> statement-breakpoint
CREATE INDEX "withdrawals_status_index" ON "withdrawals" USING btree ("status");