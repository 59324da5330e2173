-- DLQ replay through the retry queue, the daily purge, and the outbox relay (DESIGN §4, §5).

-- A retry marks the entry 'retrying' under a fresh token; only a queue message carrying that token
-- may replay it, and only while it holds the replay lease, so duplicates and two consumers never
-- replay one entry twice at once.
ALTER TABLE dlq_entries
    ADD COLUMN retry_token        text,
    ADD COLUMN retry_batch_id     text,
    ADD COLUMN replay_lease_until timestamptz,
    -- How often a replay was put off (limit, open circuit, key in flight) since the last retry request.
    ADD COLUMN deferrals          integer NOT NULL DEFAULT 0;
CREATE INDEX dlq_entries_tenant_provider_page ON dlq_entries (tenant_id, provider_id, id);
CREATE INDEX dlq_entries_batch ON dlq_entries (retry_batch_id) WHERE retry_batch_id IS NOT NULL;

-- One retry-all request: what it queued, so its progress can be followed.
CREATE TABLE dlq_retry_batches (
    id          text        PRIMARY KEY,
    tenant_id   text        NOT NULL,
    queued      integer     NOT NULL,
    filter      jsonb       NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX dlq_retry_batches_created ON dlq_retry_batches (created_at);

-- Retry requests waiting to be published to the retry queue: written in the same transaction that
-- marks the entry 'retrying', deleted once the broker confirmed the message. While the queue is
-- unreachable they simply wait here. not_before delays a replay that was put off.
CREATE TABLE dlq_retry_requests (
    id          text        PRIMARY KEY,
    entry_id    text        NOT NULL REFERENCES dlq_entries (id) ON DELETE CASCADE,
    tenant_id   text        NOT NULL,
    token       text        NOT NULL,
    not_before  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX dlq_retry_requests_due ON dlq_retry_requests (not_before, id);
CREATE INDEX dlq_retry_requests_entry ON dlq_retry_requests (entry_id);

-- Dead-lettered idempotency records point at their entry; purging or deleting the entry unlinks them.
CREATE INDEX idempotency_records_dlq_entry ON idempotency_records (dlq_entry_id) WHERE dlq_entry_id IS NOT NULL;

-- Sent outbox rows are cleaned after a retention period.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- When a periodic job last ran, so that "daily" holds across every instance.
CREATE TABLE maintenance_runs (
    job          text        PRIMARY KEY,
    last_run_at  timestamptz NOT NULL
);
