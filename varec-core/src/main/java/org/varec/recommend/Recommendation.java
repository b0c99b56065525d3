package org.varec.recommend;

/** One entry of a top-N list: dense item index and the model's score. */
public record Recommendation(int item, double score) {
}
