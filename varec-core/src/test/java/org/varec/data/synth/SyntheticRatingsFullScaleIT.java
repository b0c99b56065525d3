package org.varec.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the full MovieLens 25M-shaped file once and reports time and memory. Off by default (it
 * writes 670 MB); run it with
 * {@code mvn -pl varec-core test -Dtest=SyntheticRatingsFullScaleIT -Dvarec.synth.full=true}.
 */
@EnabledIfSystemProperty(named = "varec.synth.full", matches = "true")
class SyntheticRatingsFullScaleIT {

    @Test
    void writesTwentyFiveMillionRatings() throws IOException {
        SyntheticConfig c = SyntheticConfig.movieLens25m().withSeed(1);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "varec-synth-");
        Path file = dir.resolve("ratings.csv");
        try {
            long t0 = System.nanoTime();
            long bytes = SyntheticRatings.write(c, file, Runtime.getRuntime().availableProcessors(), null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long heapPeak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPeak += pool.getPeakUsage().getUsed();
                }
            }
            long lines = 0;
            byte[] buf = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            assertEquals(25_000_001L, lines);
            System.out.printf("synthetic ML-25M shape: %d bytes in %.1f s on %d threads; heap peak %d MB"
                            + " (sum of pool peaks); %s%n", bytes, seconds, Runtime.getRuntime().availableProcessors(),
                    heapPeak >> 20, vmHwm());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static String vmHwm() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM")) {
                    return "peak RSS " + line.substring(6).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "peak RSS unknown";
    }
}
