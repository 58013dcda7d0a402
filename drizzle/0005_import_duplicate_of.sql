ALTER TABLE `import_files` ADD `duplicate_of` text;--> statement-breakpoint
CREATE INDEX `import_files_job_idx` ON `import_files` (`job_id`);