/**
 * How a call's end is recorded: the provider's answer kept for its idempotency key, or the call
 * parked in the dead letter queue. Both are registry writes that must not be lost when PostgreSQL
 * is unreachable at that moment (DESIGN §4): they then wait, sealed, in a local spool directory
 * ({@code CallRecordSpool}) and are written when the registry is back ({@code CallRecords}).
 */
package io.integrationhub.dataplane.callrecord;
