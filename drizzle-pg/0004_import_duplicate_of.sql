ALTER TABLE "import_files" ADD COLUMN "duplicate_of" text;--> statement-breakpoint
CREATE INDEX "import_files_job_idx" ON "import_files" USING btree ("job_id");