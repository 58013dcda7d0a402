CREATE TABLE "import_files" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"key" text NOT NULL,
	"size" bigint NOT NULL,
	"etag" text NOT NULL,
	"sha256" text,
	"status" text NOT NULL,
	"record_count" integer,
	"problem_count" integer DEFAULT 0 NOT NULL,
	"problems" text,
	"job_id" text,
	"publication_ids" text,
	"settled_key" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"prefix" text NOT NULL,
	"requested_by" text,
	"files_seen" integer DEFAULT 0 NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"imported" integer DEFAULT 0 NOT NULL,
	"duplicate" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"started_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE UNIQUE INDEX "import_files_object_uq" ON "import_files" USING btree ("key","etag");--> statement-breakpoint
CREATE INDEX "import_files_status_idx" ON "import_files" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "import_files_sha_idx" ON "import_files" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "import_files_run_idx" ON "import_files" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "import_runs_started_idx" ON "import_runs" USING btree ("started_at");