-- A share link may be made to expire (issue 21): `expiresAt` on create, in Unix ms; NULL =
-- until revoked or rotated, as before. An expired link answers 410 SHARE_EXPIRED.
ALTER TABLE trip_shares ADD COLUMN expires_at INTEGER;
