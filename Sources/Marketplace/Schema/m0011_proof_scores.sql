-- m0011: each submission's proof score (0-100) and the verifier's reasons.
ALTER TABLE submissions ADD COLUMN score INTEGER;
ALTER TABLE submissions ADD COLUMN score_notes TEXT;
