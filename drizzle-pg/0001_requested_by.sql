ALTER TABLE "ingestion_jobs" ADD COLUMN "requested_by" text;--> statement-breakpoint
ALTER TABLE "job_state_transitions" ADD COLUMN "requested_by" text;