/**
 * Sealing of secrets at rest (provider credentials, DLQ requests, replayed responses) with
 * AES-256-GCM under rotatable master keys. Plaintext never leaves these classes except to the caller
 * that opened it.
 */
package io.integrationhub.registry.crypto;
