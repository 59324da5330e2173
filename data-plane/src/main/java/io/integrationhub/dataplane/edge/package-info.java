/**
 * The HTTP/1.1 edge: what a good server does with a connection that Helidon 4.5 leaves undone.
 * An answer given before the request body was read (413, early 401/403, a 404 for an unknown
 * provider) stays readable by a client that writes its whole body before reading; a broken
 * chunked framing is answered 400 at once; what the caller sent reaches the logs only as a short,
 * escaped prefix.
 */
package io.integrationhub.dataplane.edge;
