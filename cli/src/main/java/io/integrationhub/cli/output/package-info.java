/**
 * What commands print on stdout: {@code -o table|json|yaml} and {@code --no-headers}
 * ({@link io.integrationhub.cli.output.OutputOptions}), borderless aligned tables with upper-case
 * headers ({@link io.integrationhub.cli.output.Table}), and JSON/YAML written the same way on every
 * run so that scripts can rely on them ({@link io.integrationhub.cli.output.Printer}).
 */
package io.integrationhub.cli.output;
