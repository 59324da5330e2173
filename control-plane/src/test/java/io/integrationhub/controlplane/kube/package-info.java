/**
 * A Kubernetes API server good enough for the operator's tests, real {@code kubectl} and local
 * development: fabric8's mock server in CRUD mode behind {@link AdmittingCrudDispatcher} (the CRD's
 * schema and CEL rules, Secret {@code stringData}, injectable faults) and {@link KubectlFront} (what
 * kubectl needs that the mock lacks: discovery, OpenAPI documents, Table answers, HTTP-streaming
 * watches, strategic merge patch taken as merge patch).
 */
package io.integrationhub.controlplane.kube;
