package io.meshgate.tools.pck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a Godot 4 resource pack (.pck, pack format 3) from files, without an editor: what a web runtime loads as its
 * main pack. Layout (little-endian): "GDPC", format 3, engine major/minor/patch, flags 2 (file base relative to the
 * pack), file base, directory offset, 16 reserved words, padding to 16; the files, each padded to 16; the directory:
 * count, then per file its path (length rounded up to 4, NUL-padded, no "res://"), offset from the file base, size,
 * MD5 and flags.
 */
public final class Pck {

    public static final int FORMAT = 3;
    static final int FLAG_RELATIVE_FILE_BASE = 2;
    static final int ALIGNMENT = 16;
    /** Editor-only files and folders a project directory may hold, which a pack does not need. */
    private static final List<String> SKIPPED = List.of(".import/", ".git/", "export_presets.cfg", "project.binary");
    static final String CLASS_CACHE = ".godot/global_script_class_cache.cfg";

    private final int major;
    private final int minor;
    private final int patch;
    /** Paths (without res://) to contents, in a stable order. */
    private final Map<String, byte[]> files = new TreeMap<>();

    public Pck(int major, int minor, int patch) {
        if (major != 4) {
            throw new IllegalArgumentException("pack format 3 is Godot 4's; engine " + major + " given");
        }
        this.major = major;
        this.minor = minor;
        this.patch = patch;
    }

    /** Adds a file under {@code path} ("project.godot", "scenes/main.tscn"; "res://" is accepted and dropped). */
    public Pck add(String path, byte[] contents) {
        String clean = path.startsWith("res://") ? path.substring(6) : path;
        if (clean.isEmpty() || clean.startsWith("/") || clean.contains("..") || clean.contains("\\")) {
            throw new IllegalArgumentException("not a relative resource path: '" + path + "'");
        }
        if (files.put(clean, contents.clone()) != null) {
            throw new IllegalArgumentException("added twice: " + clean);
        }
        return this;
    }

    /** Adds every file below {@code directory}, leaving out editor-only files and project.binary. */
    public Pck addDirectory(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = directory.relativize(file).toString().replace('\\', '/');
                if (SKIPPED.stream().noneMatch(s -> s.endsWith("/") ? relative.startsWith(s) : relative.equals(s))) {
                    add(relative, Files.readAllBytes(file));
                }
            }
        }
        if (!files.containsKey("project.godot")) {
            throw new IllegalArgumentException(directory + " has no project.godot");
        }
        // The editor writes this cache; without it the engine logs an error at start even when no script declares a
        // class_name. A project that declares one must bring the editor's cache itself.
        files.putIfAbsent(CLASS_CACHE, "list=[]\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public List<String> paths() {
        return new ArrayList<>(files.keySet());
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int headerLength = align(4 + 4 * 5 + 8 * 2 + 16 * 4);
        long fileBase = headerLength;
        List<long[]> placements = new ArrayList<>(); // offset from file base, size
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] contents : files.values()) {
            placements.add(new long[] {body.size(), contents.length});
            body.writeBytes(contents);
            body.writeBytes(new byte[align(contents.length) - contents.length]);
        }
        long directoryOffset = fileBase + body.size();

        ByteBuffer header = little(headerLength);
        header.put("GDPC".getBytes(StandardCharsets.US_ASCII));
        header.putInt(FORMAT).putInt(major).putInt(minor).putInt(patch).putInt(FLAG_RELATIVE_FILE_BASE);
        header.putLong(fileBase).putLong(directoryOffset);
        out.writeBytes(header.array());
        out.writeBytes(body.toByteArray());

        ByteArrayOutputStream directory = new ByteArrayOutputStream();
        directory.writeBytes(little(4).putInt(files.size()).array());
        int i = 0;
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            byte[] path = file.getKey().getBytes(StandardCharsets.UTF_8);
            int padded = (path.length + 3) / 4 * 4;
            ByteBuffer entry = little(4 + padded + 8 + 8 + 16 + 4);
            entry.putInt(padded).put(path).position(4 + padded);
            entry.putLong(placements.get(i)[0]).putLong(placements.get(i)[1]).put(md5(file.getValue())).putInt(0);
            directory.writeBytes(entry.array());
            i++;
        }
        out.writeBytes(directory.toByteArray());
        return out.toByteArray();
    }

    public void write(Path target) throws IOException {
        Files.write(target, toBytes());
    }

    private static int align(int length) {
        return (length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] md5(byte[] contents) {
        try {
            return MessageDigest.getInstance("MD5").digest(contents);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** {@code pack --dir godot-demo --out demo.pck [--engine 4.6.0]}. */
    public static int run(String[] argv) throws IOException {
        io.meshgate.tools.Args args = new io.meshgate.tools.Args(argv);
        String dir = args.string("dir", null);
        String out = args.string("out", null);
        String[] engine = args.string("engine", "4.6.0").split("\\.");
        args.rejectUnknown();
        if (dir == null || out == null) {
            System.err.println("Usage: java -jar meshgate-tools.jar pack --dir PROJECT_DIR --out FILE.pck [--engine 4.6.0]");
            return 2;
        }
        Pck pck = new Pck(Integer.parseInt(engine[0]), Integer.parseInt(engine[1]),
                engine.length > 2 ? Integer.parseInt(engine[2]) : 0).addDirectory(Path.of(dir));
        pck.write(Path.of(out));
        System.out.println("packed " + pck.paths().size() + " files into " + out);
        return 0;
    }
}
