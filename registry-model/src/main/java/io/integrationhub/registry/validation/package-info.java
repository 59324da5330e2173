/** Field-level validation errors, collected so that one answer names every offending field. */
package io.integrationhub.registry.validation;
