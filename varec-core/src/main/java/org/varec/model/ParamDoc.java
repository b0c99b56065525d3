package org.varec.model;

/** Documentation of one hyper-parameter: name, default (as text) and what it means. */
public record ParamDoc(String name, String defaultValue, String description) {
}
