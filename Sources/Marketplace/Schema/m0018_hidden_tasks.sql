-- A task its owner hid: out of every listing but the owner's own, still read and managed by id.
ALTER TABLE tasks ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
