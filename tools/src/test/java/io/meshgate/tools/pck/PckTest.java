package io.meshgate.tools.pck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PckTest {

    @Test
    void headerAndDirectoryFollowPackFormat3() throws Exception {
        byte[] project = "config_version=5\n".getBytes(StandardCharsets.UTF_8);
        byte[] script = "extends Node\n".getBytes(StandardCharsets.UTF_8);
        byte[] pack = new Pck(4, 6, 0).add("res://project.godot", project).add("main.gd", script).toBytes();
        ByteBuffer in = ByteBuffer.wrap(pack).order(ByteOrder.LITTLE_ENDIAN);

        byte[] magic = new byte[4];
        in.get(magic);
        assertEquals("GDPC", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(3, in.getInt());
        assertEquals(4, in.getInt());
        assertEquals(6, in.getInt());
        assertEquals(0, in.getInt());
        assertEquals(2, in.getInt(), "relative file base");
        long fileBase = in.getLong();
        long directory = in.getLong();
        for (int i = 0; i < 16; i++) {
            assertEquals(0, in.getInt(), "reserved");
        }
        assertEquals(112, fileBase, "104 header bytes padded to 16");
        assertEquals(0, fileBase % 16);

        in.position((int) directory);
        assertEquals(2, in.getInt());
        // sorted: main.gd, then project.godot
        for (Object[] expected : List.of(new Object[] {"main.gd", script}, new Object[] {"project.godot", project})) {
            int padded = in.getInt();
            assertEquals(0, padded % 4);
            byte[] path = new byte[padded];
            in.get(path);
            assertEquals(expected[0], new String(path, StandardCharsets.UTF_8).replace("\0", ""));
            long offset = in.getLong();
            long size = in.getLong();
            byte[] md5 = new byte[16];
            in.get(md5);
            assertEquals(0, in.getInt(), "flags");
            byte[] contents = (byte[]) expected[1];
            assertEquals(contents.length, size);
            assertEquals(0, offset % 16, "files are 16-aligned");
            byte[] stored = new byte[(int) size];
            System.arraycopy(pack, (int) (fileBase + offset), stored, 0, (int) size);
            assertArrayEquals(contents, stored);
            assertArrayEquals(MessageDigest.getInstance("MD5").digest(contents), md5);
        }
        assertEquals(pack.length, in.position(), "the directory ends the pack");
    }

    @Test
    void directoriesArePackedWithoutEditorFiles(@TempDir Path project) throws Exception {
        Files.writeString(project.resolve("project.godot"), "config_version=5\n");
        Files.createDirectories(project.resolve("scenes"));
        Files.writeString(project.resolve("scenes/main.tscn"), "[gd_scene format=3]\n");
        Files.createDirectories(project.resolve(".import"));
        Files.writeString(project.resolve(".import/x.md5"), "x");
        Files.writeString(project.resolve("project.binary"), "would override project.godot");
        assertEquals(List.of(".godot/global_script_class_cache.cfg", "project.godot", "scenes/main.tscn"),
                new Pck(4, 6, 0).addDirectory(project).paths(), "an empty class cache is added, editor files left out");
    }

    @Test
    void refusesWhatTheEngineCouldNotLoad(@TempDir Path empty) {
        assertThrows(IllegalArgumentException.class, () -> new Pck(3, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pck(4, 6, 0).add("../escape.gd", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Pck(4, 6, 0).add("a.gd", new byte[0]).add("a.gd", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Pck(4, 6, 0).addDirectory(empty));
    }
}
