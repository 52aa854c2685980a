-- m0005: the deadline beside the spec, so the expiry sweeper finds overdue published tasks by index.
ALTER TABLE tasks ADD COLUMN deadline INTEGER;
UPDATE tasks SET deadline = json_extract(spec, '$.deadline');
CREATE INDEX tasks_published_by_deadline ON tasks (deadline) WHERE status = 'published' AND deadline IS NOT NULL;
