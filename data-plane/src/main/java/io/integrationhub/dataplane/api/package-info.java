/**
 * What every HTTP route shares: the problem+json error shape and its stable types, the mapping of
 * every exception to one status in one place, and reading request bodies within the size limit.
 */
package io.integrationhub.dataplane.api;
