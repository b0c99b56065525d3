package org.varec.model;

import java.util.List;

/**
 * Documentation of one hyper-parameter as {@code varec algos} shows it, made from its
 * {@link Param} declaration: name, default (as text), what it means, its range or choices
 * (empty when unconstrained) and the other names it is accepted under.
 */
public record ParamDoc(String name, String defaultValue, String description, String constraint, List<String> aliases) {
    public ParamDoc {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        constraint = constraint == null ? "" : constraint;
    }
}
