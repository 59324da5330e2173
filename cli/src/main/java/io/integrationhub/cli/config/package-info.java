/**
 * Contexts, kubectl style: the config file ({@code ~/.config/hubctl/config.yaml}, mode 0600) with
 * named contexts (endpoint, tenant, where the token comes from), the {@code HUBCTL_*} environment
 * overrides and {@code --context}, resolved into the {@link io.integrationhub.cli.config.Target} a
 * command talks to; and the {@code hubctl config} commands.
 */
package io.integrationhub.cli.config;
