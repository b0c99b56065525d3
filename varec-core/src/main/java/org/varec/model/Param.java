package org.varec.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one declaration of a hyper-parameter, on a component of an algorithm's config record:
 * parsing ({@code --set}), validation, defaults, {@code varec algos}, the provenance and JSON map
 * all follow from it ({@link ParamSpec}), in the manner of Spark ML's {@code Param} and Tribuo's
 * {@code @Config}. The parameter's name is the component's name in snake_case
 * ({@code initStdev} -> {@code init_stdev}) unless {@link #name} says otherwise; its type is the
 * component's type ({@code int}, {@code long}, {@code double}, {@code boolean}, {@code String} or
 * an enum, whose constants are written in lower case).
 *
 * <p>Names are canonical across algorithms: {@code rank}, {@code learning_rate},
 * {@code init_stdev}, {@code keep_samples}, {@code side}, {@code task}... The same concept is never
 * spelled two ways.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {
    /** The default, as it would be written after {@code --set name=}. */
    String value();

    /** One line for {@code varec algos}. */
    String doc();

    /** Inclusive lower bound of a number (empty: none). */
    String min() default "";

    /** Inclusive upper bound of a number (empty: none). */
    String max() default "";

    /** Whether {@link #min} itself is excluded (e.g. a precision that must be {@code > 0}). */
    boolean minExclusive() default false;

    /** The allowed values of a {@code String} parameter (empty: any), or a subset of an enum's constants (empty: all). */
    String[] choices() default {};

    /** Other names accepted everywhere and documented (libFM's {@code dim}, {@code learn_rate}...). */
    String[] aliases() default {};

    /** Old names accepted when reading model files written before a rename; not documented. */
    String[] legacy() default {};

    /**
     * The value in effect before this parameter existed, used for model files written then (where
     * it is absent) instead of {@link #value()}; empty: the default. Needed whenever a new
     * parameter's default changes what a stored model computes (e.g. autorec-u's {@code center}).
     */
    String absent() default "";

    /** The name, when not the component's name in snake_case. */
    String name() default "";
}
