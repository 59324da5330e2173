-- The hub's whole schema. Migrations are the only place DDL lives (DESIGN §1).

CREATE TABLE providers (
    id                 text        PRIMARY KEY,
    tenant_id          text        NOT NULL,
    name               text        NOT NULL,
    type               text        NOT NULL CHECK (type IN ('payment', 'sms', 'email', 'analytics', 'advertising', 'custom')),
    base_url           text        NOT NULL,
    -- Non-secret auth settings (type, header/query name, token URL, scopes). Secrets live sealed below.
    auth               jsonb       NOT NULL,
    credentials_kid    text,
    credentials_sealed bytea,
    config             jsonb       NOT NULL,
    status             text        NOT NULL CHECK (status IN ('active', 'disabled')),
    managed_by         text        NOT NULL CHECK (managed_by IN ('api', 'operator')),
    version            bigint      NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz,
    CHECK ((credentials_kid IS NULL) = (credentials_sealed IS NULL))
);
-- A name is unique per tenant among live providers; a soft-deleted name may be reused.
CREATE UNIQUE INDEX providers_tenant_name_live ON providers (tenant_id, name) WHERE deleted_at IS NULL;
CREATE INDEX providers_tenant_page ON providers (tenant_id, id) WHERE deleted_at IS NULL;

CREATE TABLE dlq_entries (
    id                  text        PRIMARY KEY,
    tenant_id           text        NOT NULL,
    provider_id         text        NOT NULL REFERENCES providers (id),
    idempotency_key     text        NOT NULL,
    method              text        NOT NULL,
    path                text        NOT NULL,
    -- method, path, query, headers (never credentials) and body, sealed like credentials.
    request_kid         text        NOT NULL,
    request_sealed      bytea       NOT NULL,
    last_error_kind     text        NOT NULL,
    last_error_status   integer,
    last_error_message  text,
    attempts            integer     NOT NULL,
    status              text        NOT NULL CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed')),
    version             bigint      NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL
);
CREATE INDEX dlq_entries_tenant_page ON dlq_entries (tenant_id, id);
CREATE INDEX dlq_entries_expiry ON dlq_entries (expires_at);

CREATE TABLE idempotency_records (
    tenant_id          text        NOT NULL,
    provider_id        text        NOT NULL,
    idempotency_key    text        NOT NULL,
    -- SHA-256 of method, path, query and body: the same key with another request is a mismatch.
    fingerprint        text        NOT NULL,
    state              text        NOT NULL CHECK (state IN ('in_flight', 'completed', 'dead_lettered')),
    -- An in-flight record whose owner died stops blocking the key after this instant.
    lease_until        timestamptz,
    response_status    integer,
    response_kid       text,
    response_sealed    bytea,
    dlq_entry_id       text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, provider_id, idempotency_key)
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

-- Transactional outbox: rows are written in the same transaction as the change they describe and
-- relayed to Kafka in seq order per aggregate (provider id).
CREATE TABLE outbox (
    seq            bigserial   PRIMARY KEY,
    event_id       text        NOT NULL UNIQUE,
    aggregate_key  text        NOT NULL,
    type           text        NOT NULL,
    payload        jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    sent_at        timestamptz
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
