package io.meshgate.tools;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Command-line flags of a tool: {@code --name value} or {@code --name=value}, each read at most once, none unknown. */
public final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> read = new HashSet<>();

    public Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    public String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    /** Fails on any flag the tool never asked for, so a typo is not silently ignored. */
    public void rejectUnknown() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
        }
    }
}
