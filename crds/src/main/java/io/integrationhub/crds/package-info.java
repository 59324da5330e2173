/** The Provider custom resource model (filled by the control-plane issue). */
package io.integrationhub.crds;
