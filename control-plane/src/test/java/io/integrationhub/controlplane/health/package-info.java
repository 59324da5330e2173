/** The health and metrics endpoint over real HTTP. */
package io.integrationhub.controlplane.health;
