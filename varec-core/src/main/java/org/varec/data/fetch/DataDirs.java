package org.varec.data.fetch;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where datasets live: the {@code --data-dir} option when given, else the environment variable
 * {@code VAREC_DATA}, else {@code ~/.varec/data}. A leading {@code ~} is expanded to the home
 * directory in the first two (shells do not expand it inside quotes or in variables).
 */
public final class DataDirs {
    /** The environment variable naming the data directory. */
    public static final String ENV = "VAREC_DATA";

    private DataDirs() {
    }

    /** The data directory for {@code cliOption} (null or blank when the option was not given). */
    public static Path resolve(String cliOption) {
        return resolve(cliOption, System.getenv(), System.getProperty("user.home"));
    }

    /** {@link #resolve(String)} with the environment and home directory given (for tests). */
    public static Path resolve(String cliOption, Map<String, String> env, String userHome) {
        String chosen = blank(cliOption) ? env.get(ENV) : cliOption;
        if (blank(chosen)) {
            return Path.of(userHome, ".varec", "data").toAbsolutePath().normalize();
        }
        String s = chosen.trim();
        if (s.equals("~")) {
            s = userHome;
        } else if (s.startsWith("~/")) {
            s = userHome + s.substring(1);
        }
        return Path.of(s).toAbsolutePath().normalize();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
