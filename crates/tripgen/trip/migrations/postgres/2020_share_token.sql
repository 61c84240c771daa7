-- A share link lives until its owner revokes or rotates it (issue 22): the owner's Share panel
-- shows the current link again, so the token itself is kept next to its hash. It grants
-- read-only access to what the owner chose to share, readable only by the owner's API calls.
ALTER TABLE trip_shares ADD COLUMN token TEXT;
