/**
 * Test kit shared by every module's tests through the registry test-jar: fresh Postgres databases on
 * the real local server, and the canary journal that proves no secret leaks.
 */
package io.integrationhub.testkit;
