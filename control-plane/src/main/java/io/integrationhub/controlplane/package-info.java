/** The operator that reconciles Provider resources into the registry (filled by the control-plane issue). */
package io.integrationhub.controlplane;
