-- Who submitted each job: the name of the bearer token (null in open mode and for jobs from before).
ALTER TABLE jobs ADD COLUMN submitted_by text;
