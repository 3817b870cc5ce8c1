/**
 * Windows event log files (EVTX) read natively: file and chunk headers with their CRCs, records,
 * Binary XML with templates and substitutions, every value type; each record becomes the same
 * {@link dev.mamori.detectors.windows.WindowsEvent} the XML parser makes, so the rules run on
 * {@code .evtx} files exported from domain controllers as on live events.
 */
package dev.mamori.detectors.evtx;
