/**
 * Standalone mode for a laptop: a real embedded PostgreSQL and generated development secrets, both
 * kept in the state directory so a restart finds its providers and its tokens still valid.
 */
package io.integrationhub.dataplane.standalone;
