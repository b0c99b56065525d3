package org.varec.analysis;

import java.util.Arrays;
import org.varec.data.Dataset;
import org.varec.data.Interactions;

/**
 * The numbers that describe a rating dataset at a glance: its size, how much of the user x item
 * matrix is rated, the rating mean and spread, and the long tails of ratings per item (popularity)
 * and per user (activity).
 *
 * @param users            users in the index (some may have no ratings)
 * @param items            items in the index (some may have no ratings)
 * @param usersWithRatings users with at least one rating
 * @param itemsWithRatings items with at least one rating
 * @param ratings          number of ratings
 * @param density          ratings / (users x items): the share of the matrix that is rated
 * @param mean             mean rating (0 without ratings)
 * @param sd               sample standard deviation of the ratings (n - 1 in the denominator; 0 for one rating)
 * @param medianPerUser    median number of ratings per user, over all users of the index
 * @param maxPerUser       most ratings of one user
 * @param medianPerItem    median number of ratings per item, over all items of the index
 * @param maxPerItem       most ratings of one item
 * @param itemTail         ratings per item, items without ratings left out, largest first: entry {@code k}
 *                         is the count of the item of popularity rank {@code k + 1}
 * @param userTail         ratings per user, users without ratings left out, largest first
 */
public record DatasetOverview(int users, int items, int usersWithRatings, int itemsWithRatings, int ratings,
                              double density, double mean, double sd, double medianPerUser, int maxPerUser,
                              double medianPerItem, int maxPerItem, int[] itemTail, int[] userTail) {

    public static DatasetOverview of(Dataset d) {
        Interactions r = d.ratings();
        int[] perUser = new int[r.numUsers()];
        int[] perItem = new int[r.numItems()];
        for (int k = 0; k < r.size(); k++) {
            perUser[r.users()[k]]++;
            perItem[r.items()[k]]++;
        }
        double mean = r.mean();
        double squares = 0;
        for (float v : r.values()) {
            squares += (v - mean) * (v - mean);
        }
        double density = r.size() / ((double) d.numUsers() * d.numItems());
        int[] userTail = tail(perUser);
        int[] itemTail = tail(perItem);
        return new DatasetOverview(d.numUsers(), d.numItems(), userTail.length, itemTail.length, r.size(), density,
                mean, Math.sqrt(squares / Math.max(1, r.size() - 1)), median(perUser), max(perUser), median(perItem),
                max(perItem), itemTail, userTail);
    }

    /** The positive counts, largest first. */
    private static int[] tail(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += c > 0 ? 1 : 0;
        }
        int[] ascending = new int[n];
        n = 0;
        for (int c : counts) {
            if (c > 0) {
                ascending[n++] = c;
            }
        }
        Arrays.sort(ascending);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = ascending[n - 1 - k];
        }
        return out;
    }

    /** The median (mean of the two middle values for an even count; 0 for none). */
    private static double median(int[] a) {
        if (a.length == 0) {
            return 0;
        }
        int[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
