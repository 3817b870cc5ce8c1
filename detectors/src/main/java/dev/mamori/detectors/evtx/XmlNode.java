package dev.mamori.detectors.evtx;

import java.util.List;

/**
 * The XML tree a record's Binary XML describes. Templates hold {@link Substitution} placeholders,
 * which a template instance replaces with its values; a finished record holds elements and text
 * only.
 */
sealed interface XmlNode {

    /** An element; an attribute's value is its own list of nodes (text and substitutions). */
    record Element(String name, List<Attribute> attributes, List<XmlNode> children) implements XmlNode {}

    record Attribute(String name, List<XmlNode> value) {}

    record Text(String text) implements XmlNode {}

    /**
     * A template's placeholder for value {@code index} of the instance.
     *
     * @param optional an optional substitution is left out when its value is empty
     */
    record Substitution(int index, int type, boolean optional) implements XmlNode {}
}
