/** Tests of the Helm chart with real Helm (helm-java embeds Helm 3 as a native library). */
package io.integrationhub.controlplane.chart;
