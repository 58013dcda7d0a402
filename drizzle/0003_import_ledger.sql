CREATE TABLE `import_files` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`size` integer NOT NULL,
	`etag` text NOT NULL,
	`sha256` text,
	`status` text NOT NULL,
	`record_count` integer,
	`problem_count` integer DEFAULT 0 NOT NULL,
	`problems` text,
	`job_id` text,
	`publication_ids` text,
	`settled_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_files_object_uq` ON `import_files` (`key`,`etag`);--> statement-breakpoint
CREATE INDEX `import_files_status_idx` ON `import_files` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `import_files_sha_idx` ON `import_files` (`sha256`);--> statement-breakpoint
CREATE INDEX `import_files_run_idx` ON `import_files` (`run_id`);--> statement-breakpoint
CREATE TABLE `import_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`trigger` text NOT NULL,
	`prefix` text NOT NULL,
	`requested_by` text,
	`files_seen` integer DEFAULT 0 NOT NULL,
	`queued` integer DEFAULT 0 NOT NULL,
	`imported` integer DEFAULT 0 NOT NULL,
	`duplicate` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `import_runs_started_idx` ON `import_runs` (`started_at`);