package org.varec.elicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.data.Dataset;
import org.varec.data.io.Datasets;

class ElicitationDataTest {
    @TempDir
    Path dir;

    /** 60 users, 30 items; item i is rated with probability decreasing in i; users 0..4 rate only items 20..29; users 5..9 rate all. */
    Dataset ratings() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("user,item,rating\n");
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 30; i++) {
                boolean rated = u < 5 ? i >= 20 : (u < 10 || r.nextDouble() < 0.9 - i * 0.025);
                if (rated) {
                    sb.append("u").append(u).append(",m").append(i).append(',').append(1 + r.nextInt(5)).append('\n');
                }
            }
        }
        Path f = dir.resolve("r.csv");
        Files.writeString(f, sb);
        return Datasets.read(f);
    }

    @Test
    void mostRatedItemsAndUsersWhoRatedSomeButNotAll() throws IOException {
        Dataset d = ratings();
        ElicitationData m = ElicitationData.build(d, 10, 30, 1);
        assertEquals(30, m.numUsers());
        assertEquals(10, m.numItems());
        // the 10 most-rated items
        int[] count = new int[d.numItems()];
        for (int i : d.ratings().items()) {
            count[i]++;
        }
        int[] sorted = count.clone();
        Arrays.sort(sorted);
        int tenth = sorted[sorted.length - 10];
        Set<String> chosen = new HashSet<>(Arrays.asList(m.items()));
        for (int i = 0; i < d.numItems(); i++) {
            if (count[i] > tenth) {
                assertTrue(chosen.contains(d.items().externalId(i)), "item " + d.items().externalId(i));
            }
        }
        for (int c = 1; c < m.numItems(); c++) { // most rated first
            assertTrue(count[d.items().indexOf(m.items()[c - 1])] >= count[d.items().indexOf(m.items()[c])]);
        }
        Set<String> users = new HashSet<>();
        for (int u = 0; u < m.numUsers(); u++) {
            assertTrue(users.add(m.users()[u]));
            int ones = 0;
            for (int i = 0; i < m.numItems(); i++) {
                int label = m.label(u, i);
                int du = d.users().indexOf(m.users()[u]);
                int di = d.items().indexOf(m.items()[i]);
                boolean rated = false;
                for (int k = 0; k < d.ratings().size(); k++) {
                    rated |= d.ratings().users()[k] == du && d.ratings().items()[k] == di;
                }
                assertEquals(rated ? 1 : 0, label);
                ones += label;
            }
            assertTrue(ones >= 1 && ones < m.numItems(), m.users()[u] + " rated " + ones);
        }
        // users 0..9 rated all or none of the top items: never eligible
        for (String u : m.users()) {
            int n = Integer.parseInt(u.substring(1));
            assertTrue(n >= 10, u);
        }
        assertTrue(m.eligible() >= 30 && m.eligible() <= 50, "eligible " + m.eligible());
        assertArrayEquals(m.users(), ElicitationData.build(d, 10, 30, 1).users());
        assertTrue(!Arrays.equals(m.users(), ElicitationData.build(d, 10, 30, 2).users()));
        assertThrows(IllegalArgumentException.class, () -> ElicitationData.build(d, 10, 59, 1));
    }

    @Test
    void writtenMatrixReadsBack() throws IOException {
        ElicitationData m = ElicitationData.build(ratings(), 8, 20, 5);
        Path f = dir.resolve("m.csv");
        m.write(f);
        assertTrue(Files.readString(f).startsWith("user,item,label\n"));
        ElicitationData back = ElicitationData.of(Datasets.read(f));
        assertEquals(20, back.numUsers());
        assertEquals(8, back.numItems());
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i < 8; i++) {
                int bu = Arrays.asList(back.users()).indexOf(m.users()[u]);
                int bi = Arrays.asList(back.items()).indexOf(m.items()[i]);
                assertEquals(m.label(u, i), back.label(bu, bi));
            }
        }
        assertEquals(m.ones(), back.ones());
        Files.writeString(f, "user,item,label\na,x,1\na,y,0\nb,x,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElicitationData.of(Datasets.read(f)))
                .getMessage().contains("complete"));
        Files.writeString(f, "user,item,label\na,x,1\na,y,0\nb,x,1\nb,y,3\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElicitationData.of(Datasets.read(f)))
                .getMessage().contains("0/1"));
    }
}
