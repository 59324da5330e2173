/**
 * What users hand to hubctl: files, directories and standard input ({@code -f -}, {@code -d @-}),
 * and JSON/YAML documents read from them, several per YAML file. Parse errors name the file, line
 * and column but never quote the content, which may hold credentials.
 */
package io.integrationhub.cli.input;
