-- The DLQ depth gauge counts open entries per provider and status on every scrape: a partial index
-- keeps that proportional to what is open, not to the 30 days of resolved history.
CREATE INDEX dlq_entries_open ON dlq_entries (provider_id, status) WHERE status <> 'succeeded';
