-- Languages: the values a notice's title and message are made of (JSON object, e.g. the
-- trip's name), so that they render in the reader's language. NULL for notices stored
-- before, which keep their stored (English) texts.
ALTER TABLE trip_notices ADD COLUMN params TEXT;
