/** Build-time steps on the generated CRD; run by the build (exec-maven-plugin), never at run time. */
package io.integrationhub.crds.build;
