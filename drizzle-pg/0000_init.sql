CREATE TABLE "ingestion_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"pipeline" text NOT NULL,
	"params" text NOT NULL,
	"scope_key" text NOT NULL,
	"mode" text DEFAULT 'fetch' NOT NULL,
	"force" boolean DEFAULT false NOT NULL,
	"state" text NOT NULL,
	"idempotency_key" text,
	"request_id" text,
	"parent_job_id" text,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"next_retry_at" bigint NOT NULL,
	"claimed_by" text,
	"claim_token" text,
	"claimed_at" bigint,
	"lease_until" bigint,
	"last_heartbeat_at" bigint,
	"last_enqueued_at" bigint,
	"last_error_category" text,
	"last_error_code" text,
	"last_error_message" text,
	"last_error_retryable" boolean,
	"parser_version" text,
	"normalizer_version" text,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer DEFAULT 0 NOT NULL,
	"resources_fetched" integer DEFAULT 0 NOT NULL,
	"snapshots_stored" integer DEFAULT 0 NOT NULL,
	"retry_count" integer DEFAULT 0 NOT NULL,
	"result" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "job_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"worker_id" text NOT NULL,
	"state" text NOT NULL,
	"error_category" text,
	"error_code" text,
	"error_message" text,
	"retryable" boolean,
	"started_at" bigint NOT NULL,
	"finished_at" bigint,
	"duration_ms" bigint
);
--> statement-breakpoint
CREATE TABLE "job_state_transitions" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "job_state_transitions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job_id" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"attempt_number" integer,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "normalized_results" (
	"job_id" text PRIMARY KEY NOT NULL,
	"pipeline" text NOT NULL,
	"scope_key" text NOT NULL,
	"source_snapshot_hash" text NOT NULL,
	"normalized_hash" text NOT NULL,
	"parser_version" text NOT NULL,
	"normalizer_version" text NOT NULL,
	"entity_count" integer NOT NULL,
	"payload_key" text NOT NULL,
	"publication_decision" text,
	"publication_reason" text,
	"change_classification" text,
	"publication_id" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "published_results" (
	"id" text PRIMARY KEY NOT NULL,
	"pipeline" text NOT NULL,
	"scope_key" text NOT NULL,
	"job_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"supersedes_id" text,
	"source_snapshot_hash" text NOT NULL,
	"normalized_hash" text NOT NULL,
	"envelope_hash" text NOT NULL,
	"publication_decision" text NOT NULL,
	"change_classification" text NOT NULL,
	"publication_reason" text NOT NULL,
	"parser_version" text NOT NULL,
	"normalizer_version" text NOT NULL,
	"entity_count" integer NOT NULL,
	"added_count" integer NOT NULL,
	"removed_count" integer NOT NULL,
	"changed_count" integer NOT NULL,
	"payload_key" text NOT NULL,
	"envelope_key" text NOT NULL,
	"published_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "raw_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"pipeline" text NOT NULL,
	"scope_key" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_key" text NOT NULL,
	"url" text NOT NULL,
	"status" integer NOT NULL,
	"content_type" text,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"fetched_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_configs" (
	"id" text PRIMARY KEY NOT NULL,
	"pipeline" text NOT NULL,
	"params" text NOT NULL,
	"cron" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_due_at" bigint NOT NULL,
	"last_enqueued_slot" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ingestion_jobs_idempotency_key_uq" ON "ingestion_jobs" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "ingestion_jobs_active_scope_uq" ON "ingestion_jobs" USING btree ("pipeline","scope_key") WHERE state IN ('pending', 'running');--> statement-breakpoint
CREATE INDEX "ingestion_jobs_state_due_idx" ON "ingestion_jobs" USING btree ("state","next_retry_at");--> statement-breakpoint
CREATE INDEX "ingestion_jobs_created_idx" ON "ingestion_jobs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "ingestion_jobs_scope_idx" ON "ingestion_jobs" USING btree ("pipeline","scope_key","created_at");--> statement-breakpoint
CREATE INDEX "ingestion_jobs_parent_idx" ON "ingestion_jobs" USING btree ("parent_job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "job_attempts_job_attempt_uq" ON "job_attempts" USING btree ("job_id","attempt_number");--> statement-breakpoint
CREATE INDEX "job_state_transitions_job_idx" ON "job_state_transitions" USING btree ("job_id","seq");--> statement-breakpoint
CREATE INDEX "normalized_results_scope_idx" ON "normalized_results" USING btree ("pipeline","scope_key","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "published_results_job_uq" ON "published_results" USING btree ("job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "published_results_scope_seq_uq" ON "published_results" USING btree ("pipeline","scope_key","sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "raw_snapshots_identity_uq" ON "raw_snapshots" USING btree ("job_id","attempt_number","resource_type","resource_key","sha256");--> statement-breakpoint
CREATE INDEX "raw_snapshots_sha_idx" ON "raw_snapshots" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "schedule_configs_due_idx" ON "schedule_configs" USING btree ("enabled","next_due_at");