-- m0019: referrals (seed 004 GET /my/referrals). Every user has a referral code; a user who
-- registered with someone's code is referred once, by that one user, never by themselves.
-- Codes are 12 characters of Crockford's base32 (new users: 60 random bits from the system
-- CSPRNG); users from before this migration get 12 hex digits (48 bits), a subset of it.
ALTER TABLE users ADD COLUMN referral_code TEXT;
UPDATE users SET referral_code = upper(hex(randomblob(6))) WHERE referral_code IS NULL;
CREATE UNIQUE INDEX users_by_referral_code ON users (referral_code);

CREATE TABLE referrals (
    referred_id TEXT    PRIMARY KEY REFERENCES users (id),
    referrer_id TEXT    NOT NULL REFERENCES users (id),
    code        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    CHECK (referrer_id <> referred_id)
) STRICT;

CREATE INDEX referrals_by_referrer ON referrals (referrer_id, created_at);
