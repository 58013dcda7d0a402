DROP INDEX "import_files_status_idx";--> statement-breakpoint
ALTER TABLE "import_files" ADD COLUMN "problems_preview" text;--> statement-breakpoint
CREATE INDEX "ingestion_jobs_state_created_idx" ON "ingestion_jobs" USING btree ("state","created_at","id","pipeline","retry_count");--> statement-breakpoint
CREATE INDEX "ingestion_jobs_pipeline_created_idx" ON "ingestion_jobs" USING btree ("pipeline","created_at","id");--> statement-breakpoint
CREATE INDEX "ingestion_jobs_pressure_idx" ON "ingestion_jobs" USING btree ("updated_at") WHERE last_error_code IN ('PROVIDER_RATE_LIMITED', 'PROVIDER_BLOCKED', 'PROVIDER_SESSION_EXPIRED');--> statement-breakpoint
CREATE INDEX "published_results_published_idx" ON "published_results" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "import_files_status_idx" ON "import_files" USING btree ("status","created_at","id");--> statement-breakpoint
-- Backfill: the first 5 (IMPORT_PROBLEMS_PREVIEW) problems of every file settled before; the ledger writes them from now on.
UPDATE "import_files" SET "problems_preview" = coalesce((SELECT json_agg(p.e ORDER BY p.i)::text FROM json_array_elements("problems"::json) WITH ORDINALITY AS p(e, i) WHERE p.i <= 5), '[]') WHERE "problems" IS NOT NULL;
