/**
 * The numbers behind varec's reports and plots, as plain records computed deterministically from
 * models, datasets and results (no charts, no HTML, no printing), so that the command line, an
 * HTTP server or a notebook can present them alike:
 *
 * <ul>
 *   <li>{@link org.varec.analysis.DatasetOverview}: size, density, rating mean and spread, long tails;</li>
 *   <li>{@link org.varec.analysis.RatingHistogram}: ratings per value or per interval;</li>
 *   <li>{@link org.varec.analysis.TrainingHistory}: per-epoch figures of a run as curves;</li>
 *   <li>{@link org.varec.analysis.ItemMap} and {@link org.varec.analysis.ItemGenres}: item vectors in two
 *       dimensions (principal components), grouped by genre, with the outermost items;</li>
 *   <li>{@link org.varec.analysis.PolarizingItems}: items with the longest or shortest vectors and
 *       their rating histograms;</li>
 *   <li>{@link org.varec.analysis.Calibration}: nominal against empirical coverage of predictive intervals;</li>
 *   <li>{@link org.varec.analysis.BlockStructure}: a block model's groups over a network, in picture order,
 *       with the links between groups.</li>
 * </ul>
 */
package org.varec.analysis;
