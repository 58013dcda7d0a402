DROP INDEX `import_files_status_idx`;--> statement-breakpoint
ALTER TABLE `import_files` ADD `problems_preview` text;--> statement-breakpoint
CREATE INDEX `import_files_status_idx` ON `import_files` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `ingestion_jobs_state_created_idx` ON `ingestion_jobs` (`state`,`created_at`,`id`,`pipeline`,`retry_count`);--> statement-breakpoint
CREATE INDEX `ingestion_jobs_pipeline_created_idx` ON `ingestion_jobs` (`pipeline`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `ingestion_jobs_pressure_idx` ON `ingestion_jobs` (`updated_at`) WHERE last_error_code IN ('PROVIDER_RATE_LIMITED', 'PROVIDER_BLOCKED', 'PROVIDER_SESSION_EXPIRED');--> statement-breakpoint
CREATE INDEX `published_results_published_idx` ON `published_results` (`published_at`);--> statement-breakpoint
-- Backfill: the first 5 (IMPORT_PROBLEMS_PREVIEW) problems of every file settled before; the ledger writes them from now on.
UPDATE `import_files` SET `problems_preview` = (SELECT json_group_array(json(value)) FROM (SELECT value FROM json_each(`problems`) ORDER BY key LIMIT 5)) WHERE `problems` IS NOT NULL;
