-- One id scheme: every hub record is identified by a lower-case ULID (Ids.newId()). Retry requests
-- queued by a retry-all, the orphan requeue and the stuck sweep used to take gen_random_uuid()::text
-- (no column had it as a DEFAULT: the SQL wrote it); RetryRequests now takes every id from Ids.
--
-- Requests still waiting are given ULIDs: nothing references a request id (no foreign key; a queue
-- message carries it only as a label, consumers go by entry and token), so rewriting one breaks nothing. The time part is the
-- request's created_at, so they keep their place among newer requests. The tokens of entries still
-- retrying are left as they are: queue messages already sent carry them, and a rewritten token would
-- turn those messages stale. A token lives only until its replay ends, so UUID tokens disappear.
DO $$
DECLARE
    alphabet constant text := '0123456789abcdefghjkmnpqrstvwxyz';
    request record;
    millis bigint;
    ulid text;
BEGIN
    FOR request IN SELECT id, created_at FROM dlq_retry_requests WHERE id !~ '^[0-9a-hjkmnp-tv-z]{26}$' LOOP
        millis := floor(extract(epoch FROM request.created_at) * 1000)::bigint;
        ulid := '';
        -- 48 bits of milliseconds in 10 base-32 digits, most significant first...
        FOR digit IN REVERSE 9..0 LOOP
            ulid := ulid || substr(alphabet, ((millis >> (digit * 5)) & 31)::int + 1, 1);
        END LOOP;
        -- ...then 80 random bits in 16 digits.
        FOR digit IN 1..16 LOOP
            ulid := ulid || substr(alphabet, floor(random() * 32)::int + 1, 1);
        END LOOP;
        UPDATE dlq_retry_requests SET id = ulid WHERE id = request.id;
    END LOOP;
END
$$;

-- From now on the table holds no other kind of id.
ALTER TABLE dlq_retry_requests
    ADD CONSTRAINT dlq_retry_requests_id_is_ulid CHECK (id ~ '^[0-9a-hjkmnp-tv-z]{26}$');
