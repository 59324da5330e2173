/**
 * Bodies on the data path, held with bounded memory: a per-instance {@link
 * io.integrationhub.dataplane.body.MemoryBudget} of bytes in memory, {@link
 * io.integrationhub.dataplane.body.BodyBuffer} that keeps a body's head in memory and the rest in a
 * {@link io.integrationhub.dataplane.body.SealedSpillFile} (sealed in chunks under a key that lives
 * only in this process), and {@link io.integrationhub.dataplane.body.Body}, what the pipeline sends.
 */
package io.integrationhub.dataplane.body;
