/**
 * hubctl, the operators' command line for the Integration Hub (DESIGN §8): the root command, the
 * {@link io.integrationhub.cli.Session} every command is built with, and {@link io.integrationhub.cli.Main}.
 * Features live in their own packages: {@code config} (contexts), {@code providers}, {@code apply},
 * {@code call}, {@code output}, {@code http} (the hub's REST API), {@code error} (exit codes).
 */
package io.integrationhub.cli;
