/** End-to-end tests of the operator on fabric8's mock API server and the real local PostgreSQL, plus settings and wiring. */
package io.integrationhub.controlplane;
