/**
 * How hubctl fails: the exit code table ({@link io.integrationhub.cli.error.ExitCode}), the one
 * exception type commands throw ({@link io.integrationhub.cli.error.HubctlException}) and the handler
 * that turns any failure into one readable line and an exit code ({@link io.integrationhub.cli.error.ErrorHandler}).
 */
package io.integrationhub.cli.error;
