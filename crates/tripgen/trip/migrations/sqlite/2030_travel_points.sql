-- Where the trip begins and ends (issue 18): the arrival and departure points the traveller
-- named, resolved (JSON of `TravelPoint`: time, place, name, kind, position, timeZone);
-- NULL when not given.
ALTER TABLE trips ADD COLUMN arrival TEXT;
ALTER TABLE trips ADD COLUMN departure TEXT;
