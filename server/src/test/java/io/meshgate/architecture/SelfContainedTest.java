package io.meshgate.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The product explains itself from the repository alone: no source file, document or script points a reader at a
 * design file the repository does not hold (facts the product relies on belong in docs/).
 */
class SelfContainedTest {

    /** The repository's root, seen from the server module where Maven runs this test. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void noFileCitesADesignDocumentOutsideTheRepository() throws IOException {
        assertTrue(Files.isRegularFile(ROOT.resolve("README.md")), "running from the server module: " + ROOT);
        List<String> citing = new ArrayList<>();
        for (String dir : List.of("shared/src", "server/src/main", "tools/src", "docs", "godot-demo")) {
            Path start = ROOT.resolve(dir);
            if (!Files.isDirectory(start)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(start)) {
                for (Path file : files.filter(Files::isRegularFile).filter(SelfContainedTest::isText).toList()) {
                    if (Files.readString(file).contains("DESIGN.md")) {
                        citing.add(ROOT.relativize(file).toString());
                    }
                }
            }
        }
        if (Files.readString(ROOT.resolve("README.md")).contains("DESIGN.md")) {
            citing.add("README.md");
        }
        assertEquals(List.of(), citing);
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return Stream.of(".java", ".md", ".gd", ".sh", ".py", ".mjs", ".tscn", ".godot").anyMatch(name::endsWith);
    }
}
