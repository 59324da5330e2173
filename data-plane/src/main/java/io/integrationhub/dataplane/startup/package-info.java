/**
 * Start-up checks that keep the hub from announcing itself ready when it is not: every listener
 * (API, gRPC, any later one) must have bound its port.
 */
package io.integrationhub.dataplane.startup;
