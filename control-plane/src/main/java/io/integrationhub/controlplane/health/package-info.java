/**
 * The operator's tiny HTTP endpoint (JDK {@code com.sun.net.httpserver}): liveness, readiness and
 * Prometheus metrics, for the kubelet's probes and for scraping. No framework: the operator serves
 * nothing else.
 */
package io.integrationhub.controlplane.health;
