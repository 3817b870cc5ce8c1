/**
 * Windows and Active Directory events: one {@link dev.mamori.detectors.windows.WindowsEvent} from
 * whichever form the event travelled in (Event XML as Windows or python-evtx renders it, NXLog JSON,
 * Winlogbeat/ECS JSON, Snare), and the guide's AD detections, one class per rule.
 */
package dev.mamori.detectors.windows;
