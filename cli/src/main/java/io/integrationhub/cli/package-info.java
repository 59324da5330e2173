/** hubctl, the operators command line (filled by the hubctl issue). */
package io.integrationhub.cli;
