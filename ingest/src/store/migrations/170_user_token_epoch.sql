-- 170: each account's token epoch (docs/api.md, "Tokens"). A token carries the epoch its account
-- had when it was issued (claim `ver`); changing the account's role or disabled flag moves the
-- epoch on, so every token issued before the change is refused for good, also after the account
-- is re-enabled or given its old role back. A new account starts at a random epoch, so a token of
-- a removed account never fits another account created later under the same name. Tokens issued
-- before this migration carry no epoch and are refused: their users log in again.
ALTER TABLE users ADD COLUMN IF NOT EXISTS token_epoch integer NOT NULL DEFAULT (floor(random() * 2147483647))::integer;
