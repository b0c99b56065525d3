package org.varec.util;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the JIT can use on this CPU, for kernels whose best shape depends on it (without the
 * incubating Vector API module, which would tell the vector width but is not always present).
 */
public final class Cpu {
    private static final boolean WIDE_REGISTER_FILE = probeWideRegisterFile();

    private Cpu() {
    }

    /**
     * Whether C2 has 32 floating-point registers for scalar code: HotSpot on x86 with AVX-512 in use
     * ({@code -XX:UseAVX} at 3, the default where the CPU has it; EVEX encodings reach xmm16-31).
     * False with AVX2 or less (16 registers), on other JVMs and architectures, and when the
     * option cannot be read. Read once, from the JVM's own flag, so {@code -XX:UseAVX=2} on an
     * AVX-512 machine answers false as the JIT will behave.
     */
    public static boolean wideRegisterFile() {
        return WIDE_REGISTER_FILE;
    }

    private static boolean probeWideRegisterFile() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && Integer.parseInt(hotspot.getVMOption("UseAVX").getValue()) >= 3;
        } catch (RuntimeException | LinkageError e) { // no such option, not HotSpot, no jdk.management
            return false;
        }
    }
}
