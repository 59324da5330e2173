/**
 * The hub's REST API as hubctl uses it: {@link io.integrationhub.cli.http.HubClient} on the JDK's
 * {@code java.net.http.HttpClient} (small, quick to start), the answer, and the hub's problem+json
 * documents turned into {@link io.integrationhub.cli.http.ProblemException}s with their exit codes.
 */
package io.integrationhub.cli.http;
