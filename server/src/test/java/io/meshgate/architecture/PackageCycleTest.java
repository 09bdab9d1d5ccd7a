package io.meshgate.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.server.MeshgateServer;
import io.meshgate.wire.variant.VariantCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code io.meshgate} packages of the product (the shared codecs and the server) depend on each other without a
 * cycle: each package may use those below it only. Read from the compiled classes, so every kind of reference counts
 * (fields, signatures, calls, casts), not just imports.
 */
class PackageCycleTest {

    /** A class name as the class file spells it, in any descriptor or constant: {@code io/meshgate/<package>/<Class>}. */
    private static final Pattern REFERENCE = Pattern.compile("io/meshgate/((?:[a-z0-9_]+/)*)[A-Z][A-Za-z0-9_$]*");

    @Test
    void productPackagesFormNoCycle() throws Exception {
        Map<String, Set<String>> graph = new TreeMap<>();
        readClasses(classRoot(MeshgateServer.class), graph);
        readClasses(classRoot(VariantCodec.class), graph);
        assertTrue(graph.size() >= 10, "read the product's packages: " + graph.keySet());
        assertTrue(graph.get("io.meshgate.signaling").contains("io.meshgate.lobby"), "references are read");
        List<List<String>> cycles = cycles(graph);
        assertEquals(List.of(), cycles, "package cycles (each a list of packages that reach each other)");
    }

    @Test
    void theCheckFindsACycle() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", new TreeSet<>(Set.of("b")));
        graph.put("b", new TreeSet<>(Set.of("c")));
        graph.put("c", new TreeSet<>(Set.of("a")));
        graph.put("d", new TreeSet<>(Set.of("a")));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
    }

    /** Where a class was loaded from: a directory of classes, or a jar. */
    private static Path classRoot(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void readClasses(Path root, Map<String, Set<String>> graph) throws IOException {
        if (Files.isDirectory(root)) {
            readTree(root, graph);
            return;
        }
        try (FileSystem jar = FileSystems.newFileSystem(root)) {
            readTree(jar.getPath("/"), graph);
        }
    }

    private static void readTree(Path root, Map<String, Set<String>> graph) throws IOException {
        Path base = root.resolve("io/meshgate");
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                String from = packageOf(relative.substring(0, relative.lastIndexOf('/') + 1));
                Set<String> to = graph.computeIfAbsent(from, p -> new TreeSet<>());
                try (InputStream in = Files.newInputStream(file)) {
                    for (String constant : utf8Constants(in)) {
                        Matcher reference = REFERENCE.matcher(constant);
                        while (reference.find()) {
                            String target = packageOf("io/meshgate/" + reference.group(1));
                            if (!target.equals(from)) {
                                to.add(target);
                            }
                        }
                    }
                }
            }
        }
    }

    private static String packageOf(String slashed) {
        String trimmed = slashed.endsWith("/") ? slashed.substring(0, slashed.length() - 1) : slashed;
        return trimmed.replace('/', '.');
    }

    /** The UTF-8 entries of a class file's constant pool: every class name and descriptor it mentions is one. */
    private static List<String> utf8Constants(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> strings.add(in.readUTF());
                case 3, 4 -> in.skipNBytes(4); // int, float
                case 5, 6 -> { // long, double: two slots
                    in.skipNBytes(8);
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2); // class, string, method type, module, package
                case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // refs, name-and-type, dynamic, invoke-dynamic
                case 15 -> in.skipNBytes(3); // method handle
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return strings;
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted, in sorted order. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> found = new ArrayList<>();
        int[] counter = {0};
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, found, counter);
            }
        }
        found.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return found;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> found, int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, found, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                component.sort(String::compareTo);
                found.add(component);
            }
        }
    }
}
