/**
 * Configuration: the YAML file (or the embedded default) read with Jackson's tree model into
 * immutable records, with every error collected and named by its key path. {@link
 * dev.mamori.sensor.config.ConfigLoader} is the entry point; {@link
 * dev.mamori.sensor.config.MamoriConfig} the result.
 */
package dev.mamori.sensor.config;
