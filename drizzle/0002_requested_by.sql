ALTER TABLE `ingestion_jobs` ADD `requested_by` text;--> statement-breakpoint
ALTER TABLE `job_state_transitions` ADD `requested_by` text;