/** Unit tests of the translation from a Provider resource and its Secret to the registry's spec. */
package io.integrationhub.controlplane.reconcile;
