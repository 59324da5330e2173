/**
 * The contract between everything that reads or writes admission state in Valkey: the data plane's
 * Java and Lua, the operator's circuit column and the tests. Key layout ({@link ValkeyKeys}),
 * breaker hash fields ({@link BreakerField}), breaker states ({@link BreakerState}) and transitions
 * ({@link BreakerTransition}), and the invalidation events published on every change
 * ({@link AdmissionEvent}). The Lua scripts spell none of these names: they receive them as
 * arguments ({@link ScriptNames}), so renaming one here renames it everywhere at once.
 *
 * <p>No dependencies beyond the JDK: it can move to a model-only module without change.
 */
package io.integrationhub.registry.valkey;
