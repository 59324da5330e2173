/**
 * Where the hub may connect: the SSRF guard that checks the address a host name resolved to at
 * connect time (so DNS rebinding cannot slip past a check made earlier), and the outbound clients.
 */
package io.integrationhub.dataplane.egress;
