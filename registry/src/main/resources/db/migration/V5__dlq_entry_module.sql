-- The module that made a parked call (the caller's token claim `module`, else `sub`), kept with its
-- dead letter so that a replay counts for that module, not for whoever asked for the replay.
-- Entries parked before this column existed have none: they count as module `unknown`.
ALTER TABLE dlq_entries ADD COLUMN module text;
