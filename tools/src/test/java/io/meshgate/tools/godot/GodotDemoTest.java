package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.GameType;
import io.meshgate.game.arena.ArenaGame;
import io.meshgate.game.tictactoe.TicTacToe;
import io.meshgate.testkit.ArenaGames;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end with the real engine: godot-demo, packed and served by the server at /play/, runs as bots in headless
 * Chromium tabs inside the test namespace. Asserted from the bots' own lines and from the server's state.
 */
@Tag("netns")
class GodotDemoTest {

    private static final Pattern OPEN = Pattern.compile("\\[tab (\\d+) \\+(\\d+)ms\\] BOT-CHANNELS-OPEN\\|");
    private static final Pattern RATE = Pattern.compile("snapshot-rate=([0-9.]+)");
    private static final ArenaGames games = new ArenaGames();
    /** The most players each arena held at once, as sampled. */
    private static final Map<ArenaGame, Integer> mostPlayers = new ConcurrentHashMap<>();
    private static final Map<String, String> gameOf = new ConcurrentHashMap<>();
    private static TestServer server;
    private static Path pck;
    private static Thread sampler;

    @BeforeAll
    static void start() throws Exception {
        Path play = GodotRuntime.playDir();
        pck = play.resolve("demo.pck");
        // Both bundled games: the arena (through ArenaGames, so the test can read its state) and noughts and crosses.
        server = new TestServer(List.of(GameType.of("arena", games), new TicTacToe.Type()), "--rtc-reveal-cidrs",
                "10.213.0.0/24", "--play-dir", play.toString(), "--no-lobby-timeout", "30000", "--match-cycle", "200",
                // Tabs closed at a test's end drop their connections, holding seats this long: long enough to resume,
                // short enough that the next test's quick play does not find them in its lobby.
                "--resume-window", "3000");
        // The server's view while bots play: the most players one arena held, and the game of every lobby seen.
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                games.all().forEach(g -> mostPlayers.merge(g, g.view().size(), Math::max));
                try {
                    server.server.lobbies().list(1000).get(5, java.util.concurrent.TimeUnit.SECONDS)
                            .forEach(lobby -> gameOf.put(lobby.name(), lobby.game() == null ? "" : lobby.game()));
                } catch (Exception e) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
    }

    @AfterAll
    static void stop() {
        sampler.interrupt();
        server.close();
    }

    private static String play(String query) {
        return "http://127.0.0.1:" + server.port() + "/play/?bot&url=ws://127.0.0.1:" + server.port() + "/&" + query;
    }

    private static List<String> runTabs(String page, int tabs) throws Exception {
        try (GodotRuntime.Running running = startTabs(page, tabs)) {
            return finished(running);
        }
    }

    /** Starts {@code tabs} tabs of the page; they run until each prints BOT-DONE. */
    private static GodotRuntime.Running startTabs(String page, int tabs) throws Exception {
        List<String> command = List.of("node", Path.of("..", "tools", "browser", "godot_run.mjs").toString(),
                "--page", page, "--marker", "BOT-DONE", "--timeout", "100000", "--tabs", Integer.toString(tabs));
        return new GodotRuntime.Running(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The lines of a runner once it ended, which it did with every tab's BOT-DONE. */
    private static List<String> finished(GodotRuntime.Running running) throws Exception {
        int status = running.waitFor(120);
        List<String> lines = running.lines();
        assertEquals(0, status, "every tab printed BOT-DONE:\n" + String.join("\n", lines));
        return lines;
    }

    /** The field {@code index} of the first line with {@code prefix} ({@code BOT-JOINED|name|id}: 1 is the name). */
    private static List<String> fields(List<String> lines, String prefix, int index) {
        return lines.stream().filter(l -> l.contains(prefix)).map(l -> l.substring(l.indexOf(prefix)).split("\\|")[index])
                .toList();
    }

    @Test
    void godotBotsPlayTheServersArenaLoadedFromPlay() throws Exception {
        Set<ArenaGame> earlier = Set.copyOf(games.all());
        int tabs = 3;
        // peers=3: each bot starts its 5 s once the server and both other bots are there, however slowly tabs boot
        List<String> lines = runTabs(play("lobby=*&hosting=server&seconds=5&peers=3"), tabs);
        List<String> done = lines.stream().filter(l -> l.contains("BOT-DONE|")).toList();
        assertEquals(tabs, done.size(), String.join("\n", lines));
        assertTrue(done.stream().allMatch(l -> l.contains("BOT-DONE|ok")), String.join("\n", done));
        List<String> results = lines.stream().filter(l -> l.contains("BOT-RESULT|")).toList();
        assertEquals(tabs, results.size());
        List<Double> rates = new ArrayList<>();
        for (String result : results) {
            assertTrue(result.contains("players=3"), "each bot saw all three in one quick-play lobby: " + result);
            Matcher rate = RATE.matcher(result);
            assertTrue(rate.find(), result);
            rates.add(Double.parseDouble(rate.group(1)));
        }
        assertTrue(rates.stream().allMatch(r -> r > 20), "snapshots at about the 30 Hz tick rate: " + rates);
        assertEquals(3, mostPlayers.entrySet().stream().filter(e -> !earlier.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).max().orElse(0), "the server's game held the three bots at once");
        List<Long> loadToOpen = new ArrayList<>();
        for (String line : lines) {
            Matcher open = OPEN.matcher(line);
            if (open.find()) {
                loadToOpen.add(Long.parseLong(open.group(2)));
            }
        }
        assertEquals(tabs, loadToOpen.size());
        System.out.println("E2E server-hosted: page load to channels open (ms) " + loadToOpen
                + ", snapshots per second " + rates);
    }

    @Test
    void aPersonPlaysFromTheLobbyScreen(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        // Positions the server's arena held for any player, sampled while the person plays.
        java.util.Map<Integer, float[]> ys = new ConcurrentHashMap<>(); // id -> {first y, last y}
        Thread watch = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (ArenaGame game : games.all()) {
                    game.view().forEach((id, view) -> ys.merge(id, new float[] {view.y(), view.y()},
                            (old, now) -> new float[] {old[0], now[1]}));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watch.setDaemon(true);
        watch.start();
        Path shot = work.resolve("arena.png");
        Process ui = new ProcessBuilder("node", Path.of("..", "tools", "browser", "ui_check.mjs").toString(), "--url",
                "http://127.0.0.1:" + server.port() + "/play/", "--screenshot", shot.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new String(ui.getInputStream().readAllBytes()).lines().toList();
        assertTrue(ui.waitFor(90, java.util.concurrent.TimeUnit.SECONDS));
        watch.interrupt();
        assertEquals(0, ui.exitValue(), String.join("\n", lines));
        assertTrue(lines.contains("UI: done"), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("ERROR")), "the engine logged no error:\n"
                + String.join("\n", lines));
        assertTrue(Files.size(shot) > 1000, "a screenshot was taken");
        // Quick play put the person in a server-hosted lobby, and ArrowDown moved their player down (or to the wall)
        assertTrue(ys.values().stream().anyMatch(y -> y[1] > y[0] + 100
                || y[1] >= ArenaGame.HEIGHT - ArenaGame.PLAYER_RADIUS - 0.01f), "the player moved down: " + ys);
    }

    @Test
    void aRelayPlayerAndAWebRtcPlayerShareOneGame() throws Exception {
        List<String> command = List.of("node", Path.of("..", "tools", "browser", "godot_run.mjs").toString(), "--page",
                "PAGE", "--marker", "BOT-DONE", "--timeout", "90000");
        List<Process> runners = new ArrayList<>();
        for (String query : List.of("lobby=*&hosting=server&seconds=4&peers=2", "relay&lobby=*&seconds=4&peers=2")) {
            List<String> args = new ArrayList<>(command);
            args.set(3, play(query));
            runners.add(new ProcessBuilder(args).redirectErrorStream(true).start());
        }
        List<List<String>> outputs = new ArrayList<>();
        for (Process runner : runners) {
            List<String> lines = new String(runner.getInputStream().readAllBytes()).lines().toList();
            assertTrue(runner.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, runner.exitValue(), String.join("\n", lines));
            outputs.add(lines);
        }
        String webrtc = String.join("\n", outputs.get(0));
        String relay = String.join("\n", outputs.get(1));
        assertTrue(webrtc.contains("|webrtc") && relay.contains("|relay"), webrtc + "\n" + relay);
        for (String out : List.of(webrtc, relay)) {
            assertTrue(out.contains("BOT-DONE|ok") && out.contains("players=2"), "both in one game:\n" + out);
        }
    }

    @Test
    void aClientWhoseWebRtcFailsPlaysTheSameLobbyThroughTheRelay() throws Exception {
        // --break-webrtc: the bot ignores the server's answer and candidates, as if UDP were blocked
        List<String> lines = runTabs(play("lobby=*&hosting=server&seconds=2&peers=1&break-webrtc&fallback-after=2"), 1);
        String out = String.join("\n", lines);
        String joined = lines.stream().filter(l -> l.contains("BOT-JOINED|")).findFirst().orElseThrow().split("\\|")[1];
        String fellBackTo = lines.stream().filter(l -> l.contains("BOT-FALLBACK|relay|")).findFirst()
                .orElseThrow(() -> new AssertionError("no fallback:\n" + out)).split("\\|")[2];
        assertEquals(joined, fellBackTo, "the same lobby, over the relay");
        assertTrue(out.contains("BOT-CHANNELS-OPEN|1|") && out.contains("|relay"), out);
        assertTrue(out.contains("BOT-DONE|ok"), "played after falling back:\n" + out);
    }

    @Test
    void matchedPlayersWhoseWebRtcFailsKeepTheirSeatsOverTheRelay() throws Exception {
        // Both act as if UDP were blocked: each falls back within the seat hold, showing its seat again.
        List<String> lines = runTabs(play("match&game=tictactoe&props=region:nowebrtc&break-webrtc&fallback-after=2"
                + "&timeout=70"), 2);
        String out = String.join("\n", lines);
        List<String> joined = fields(lines, "BOT-JOINED|", 1);
        assertEquals(1, Set.copyOf(joined).size(), "one matched lobby: " + out);
        assertEquals(List.of(joined.get(0), joined.get(0)), fields(lines, "BOT-FALLBACK|", 2),
                "both fell back into it: " + out);
        assertEquals(2, lines.stream().filter(l -> l.contains("BOT-RESULT|game=tictactoe")).count(),
                "and played it over the relay: " + out);
    }

    @Test
    void aBotWhoseSignalingIsCutResumesItsSeatAndTheOtherSeesNoLeave() throws Exception {
        // Its signaling goes through the proxy; WebRTC goes to the server directly, as it would.
        cutAndResume("", "E2E resume after a signaling cut");
    }

    @Test
    void aRelayBotWhoseSocketIsCutTakesItsSeatBackAndTheOtherSeesNoLeave() throws Exception {
        // Its relay socket, which is both its signaling and its game traffic, goes through the proxy.
        cutAndResume("relay&", "E2E resume after a relay cut");
    }

    /**
     * A bot playing the arena with another, its connection to the server through a proxy that the test cuts without a
     * close: it takes its seat back as itself, the game hears it drop and come back, the other sees nobody leave.
     */
    private void cutAndResume(String how, String report) throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            String game = "lobby=*&hosting=server&game=arena&seconds=12&peers=2&timeout=90";
            String viaProxy = "http://127.0.0.1:" + server.port() + "/play/?bot&url=ws://127.0.0.1:" + proxy.port()
                    + "/&" + how + game;
            try (GodotRuntime.Running cut = startTabs(viaProxy, 1); GodotRuntime.Running other = startTabs(play(game),
                    1)) {
                cut.await("BOT-CHANNELS-OPEN|1|", 60);
                other.await("BOT-CHANNELS-OPEN|1|", 60);
                // A bot sees its channels open before the server has handled its own side of them, and a player the
                // game has not taken in yet has nothing to drop: cut once the game plays with it.
                int cutId = Integer.parseInt(fields(cut.lines(), "BOT-JOINED|", 2).get(0));
                Eventually.await("the game plays with the bot to be cut", () -> games.withPlayer(cutId) != null);
                long cutAt = System.nanoTime();
                proxy.cut();
                String resumed = cut.await("BOT-RESUMED|", 30);
                long cutToResumed = (System.nanoTime() - cutAt) / 1_000_000;
                ArenaGame arena = games.withPlayer(cutId);
                Eventually.await("the game heard the player drop, then come back",
                        () -> arena != null && arena.drops() == 1 && arena.resumes() == 1);
                List<String> cutLines = finished(cut);
                List<String> otherLines = finished(other);
                String all = String.join("\n", cutLines) + "\n" + String.join("\n", otherLines);
                String joinedId = fields(cutLines, "BOT-JOINED|", 2).get(0);
                assertEquals(joinedId, resumed.split("\\|")[2], "the same id after the resume: " + all);
                String cutResult = cutLines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst().orElseThrow();
                String otherResult = otherLines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst()
                        .orElseThrow();
                assertTrue(cutResult.contains("|id=" + joinedId), "played on as itself: " + cutResult);
                assertTrue(otherResult.contains("players=2") && otherResult.contains("leaves=0"),
                        "the other saw no one leave: " + otherResult);
                String cutLobby = fields(cutLines, "BOT-JOINED|", 1).get(0);
                // (a relay quick player is not told its lobby's name; the game's two players say the same)
                assertTrue(cutLobby.equals("*") || fields(otherLines, "BOT-JOINED|", 1).get(0).equals(cutLobby),
                        "both in one lobby: " + all);
                System.out.println(report + ": " + resumed.substring(resumed.indexOf("BOT-"))
                        + ", test's cut to resumed " + cutToResumed + " ms");
            }
        }
    }

    @Test
    void aBotWhoseWebRtcToTheServerEndsOffersAgainAndPlaysOnAsItself() throws Exception {
        String game = "lobby=*&hosting=server&game=arena&seconds=10&peers=2&timeout=90";
        try (GodotRuntime.Running cut = startTabs(play(game + "&cut-webrtc-after=2"), 1);
             GodotRuntime.Running other = startTabs(play(game), 1)) {
            String reopened = cut.await("BOT-REOPENED|", 60);
            int cutId = Integer.parseInt(fields(cut.lines(), "BOT-JOINED|", 2).get(0));
            ArenaGame arena = games.withPlayer(cutId);
            // the bot sees its new channels open before the server has handled its side of them
            Eventually.await("the game heard the player drop, then come back over its new connection",
                    () -> arena != null && arena.drops() == 1 && arena.resumes() == 1);
            List<String> cutLines = finished(cut);
            List<String> otherLines = finished(other);
            String all = String.join("\n", cutLines) + "\n" + String.join("\n", otherLines);
            assertTrue(all.contains("BOT-CUT|webrtc"), all);
            String joinedId = fields(cutLines, "BOT-JOINED|", 2).get(0);
            String cutResult = cutLines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst().orElseThrow();
            String otherResult = otherLines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst().orElseThrow();
            assertTrue(cutResult.contains("|id=" + joinedId) && cutResult.contains("BOT-RESULT|game=arena"),
                    "played on as itself over its new connection: " + cutResult);
            assertTrue(otherResult.contains("players=2") && otherResult.contains("leaves=0"),
                    "the other saw no one leave: " + otherResult);
            assertTrue(cutLines.stream().noneMatch(l -> l.contains("BOT-FALLBACK")), "no relay needed: " + all);
            System.out.println("E2E WebRTC to the server cut: " + reopened.substring(reopened.indexOf("BOT-")));
        }
    }

    @Test
    void aBotThatStaysAwayPastTheWindowIsRemovedAndTheOtherIsTold() throws Exception {
        String game = "lobby=*&hosting=server&game=arena&seconds=10&peers=2&timeout=90";
        TcpProxy proxy = new TcpProxy(server.port());
        String viaProxy = "http://127.0.0.1:" + server.port() + "/play/?bot&url=ws://127.0.0.1:" + proxy.port()
                + "/&resume-seconds=6&" + game;
        try (GodotRuntime.Running away = startTabs(viaProxy, 1); GodotRuntime.Running other = startTabs(play(game), 1)) {
            away.await("BOT-CHANNELS-OPEN|1|", 60);
            other.await("BOT-CHANNELS-OPEN|1|", 60);
            proxy.close(); // every connection reset, and no new one taken: the bot cannot come back
            String gaveUp = away.await("BOT-DONE|", 30);
            List<String> otherLines = finished(other);
            String otherResult = otherLines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst()
                    .orElseThrow(() -> new AssertionError(String.join("\n", otherLines)));
            assertTrue(gaveUp.contains("BOT-DONE|fail|lobby ended: Lost the connection to the server"),
                    String.join("\n", away.lines()));
            assertTrue(String.join("\n", away.lines()).contains("BOT-RECONNECTING|"), "it tried");
            assertTrue(otherResult.contains("leaves=1"), "once the server's window passed, the other was told: "
                    + otherResult);
        }
    }

    @Test
    void aPlayerWhoseWebRtcFailsPlaysAPeerHostedMeshThroughTheRelayAsAnOrdinaryPeer() throws Exception {
        // The host and a second bot play over WebRTC; the third cannot (it ignores every offer, answer and candidate),
        // falls back to the relay, and the server connects to both in its name. It plays shorter, so that the others
        // are still there when it leaves.
        String mesh = "hosting=peer&mesh&peers=2&timeout=90&";
        try (GodotRuntime.Running host = startTabs(play(mesh + "create&seconds=12"), 1)) {
            String joined = host.await("BOT-JOINED|", 60);
            String lobby = joined.substring(joined.indexOf("BOT-JOINED|")).split("\\|")[1];
            try (GodotRuntime.Running direct = startTabs(play(mesh + "lobby=" + lobby + "&seconds=12"), 1);
                 GodotRuntime.Running relayed = startTabs(play(mesh + "lobby=" + lobby
                         + "&seconds=2&break-webrtc&fallback-after=3"), 1)) {
                List<String> relayedLines = finished(relayed);
                List<String> hostLines = finished(host);
                List<String> directLines = finished(direct);
                String all = String.join("\n", hostLines) + "\n" + String.join("\n", directLines) + "\n"
                        + String.join("\n", relayedLines);
                assertTrue(relayedLines.stream().anyMatch(l -> l.contains("BOT-FALLBACK|relay|" + lobby)), all);
                String relayedResult = relayedLines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst()
                        .orElseThrow(() -> new AssertionError(all));
                assertTrue(relayedResult.contains("peers=2|hellos=2|rpcs=2") && relayedResult.endsWith("|relay"),
                        "the relay player reached both, send_bytes and RPCs alike: " + relayedResult);
                String relayedId = relayedResult.split("\\|id=")[1].split("\\|")[0];
                for (List<String> lines : List.of(hostLines, directLines)) {
                    String result = lines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst()
                            .orElseThrow(() -> new AssertionError(all));
                    assertTrue(result.contains("peers=2|hellos=2|rpcs=2") && result.endsWith("|webrtc"),
                            "a WebRTC peer reached both over WebRTC, the relay player among them: " + result);
                }
                assertTrue(hostLines.stream().anyMatch(l -> l.contains("BOT-PEER-LEFT|" + relayedId)),
                        "the host saw the relay player leave as any peer leaves: " + all);
                System.out.println("E2E relay player in a peer-hosted mesh: " + relayedResult.substring(
                        relayedResult.indexOf("BOT-")));
            }
        }
    }

    @Test
    void godotClientsFormAPeerHostedMeshThroughTheServersSignaling() throws Exception {
        // Generations the server started: a peer-hosted lobby starts none (live connections may still be ending).
        int startedBefore = server.server.rtc().stats().generationsStarted();
        int tabs = 3;
        List<String> lines = runTabs(play("lobby=*&hosting=peer&mesh&seconds=2&peers=2"), tabs);
        List<String> results = lines.stream().filter(l -> l.contains("BOT-RESULT|")).toList();
        assertEquals(tabs, results.size(), String.join("\n", lines));
        for (String result : results) {
            assertTrue(result.contains("peers=2|hellos=2|rpcs=2"), "each engine reached both others directly: " + result);
        }
        assertTrue(lines.stream().filter(l -> l.contains("BOT-JOINED|")).anyMatch(l -> l.endsWith("|1")),
                "one of them is the lobby's host, peer 1");
        assertEquals(startedBefore, server.server.rtc().stats().generationsStarted(), "the server only signalled");
    }

    @Test
    void botsAskingTheMatchmakerAreGroupedIntoLobbiesOfTheRightGames() throws Exception {
        // Four arena players in one region, two noughts-and-crosses players in another: two lobbies, right games.
        try (GodotRuntime.Running arena = startTabs(play("match&game=arena&min=4&max=4&props=region:eu&seconds=3"
                + "&peers=4&timeout=90"), 4);
             GodotRuntime.Running tictactoe = startTabs(play("match&game=tictactoe&props=region:us&timeout=90"), 2)) {
            List<String> arenaLines = finished(arena);
            List<String> tictactoeLines = finished(tictactoe);
            List<String> arenaLobbies = fields(arenaLines, "BOT-JOINED|", 1);
            List<String> tictactoeLobbies = fields(tictactoeLines, "BOT-JOINED|", 1);
            String all = String.join("\n", arenaLines) + "\n" + String.join("\n", tictactoeLines);
            assertEquals(4, arenaLobbies.size(), all);
            assertEquals(1, Set.copyOf(arenaLobbies).size(), "the four arena players in one lobby: " + arenaLobbies);
            assertEquals(2, tictactoeLobbies.size(), all);
            assertEquals(1, Set.copyOf(tictactoeLobbies).size(), "the two in one lobby: " + tictactoeLobbies);
            assertEquals("arena", gameOf.get(arenaLobbies.get(0)), "the server ran the arena there: " + gameOf);
            assertEquals("tictactoe", gameOf.get(tictactoeLobbies.get(0)), "and noughts and crosses there");
            assertTrue(arenaLines.stream().filter(l -> l.contains("BOT-TICKET|")).anyMatch(l -> l.contains("|matched|")),
                    "each heard its ticket matched: " + all);
            List<String> results = arenaLines.stream().filter(l -> l.contains("BOT-RESULT|")).toList();
            assertEquals(4, results.size(), all);
            for (String result : results) {
                assertTrue(result.contains("game=arena") && result.contains("players=4"), result);
            }
            List<String> marks = fields(tictactoeLines, "BOT-RESULT|", 2);
            assertEquals(Set.of("mark=x", "mark=o"), Set.copyOf(marks), "one played x, the other o: " + all);
            assertEquals(1, Set.copyOf(fields(tictactoeLines, "BOT-RESULT|", 3)).size(), "both saw the same end");
        }
    }

    @Test
    void aBotJoinsAPrivateLobbyByItsCode() throws Exception {
        try (GodotRuntime.Running creator = startTabs(play("create&visibility=private&game=tictactoe&timeout=80"), 1)) {
            String code = creator.await("BOT-CODE|", 60).split("BOT-CODE\\|")[1].trim();
            assertTrue(code.matches("[2-9A-HJ-NP-Z]{6}"), "a code easy to read aloud: " + code);
            String lobby = fields(creator.lines(), "BOT-JOINED|", 1).get(0);
            List<String> joiner = runTabs(play("code=" + code.toLowerCase(java.util.Locale.ROOT) + "&timeout=80"), 1);
            List<String> created = finished(creator);
            assertEquals(List.of(lobby), fields(joiner, "BOT-JOINED|", 1), "the code led to the creator's lobby");
            assertEquals("tictactoe", gameOf.get(lobby));
            assertTrue(String.join("\n", created).contains("BOT-RESULT|game=tictactoe")
                    && String.join("\n", joiner).contains("BOT-RESULT|game=tictactoe"), "they played a game together:\n"
                    + String.join("\n", created) + "\n" + String.join("\n", joiner));
        }
    }

    @Test
    void theLobbyBrowserScreenListsWhatTheServerHas() throws Exception {
        List<SignalingClient> clients = new ArrayList<>();
        Set<String> listed = new java.util.HashSet<>();
        String unlisted = null;
        try {
            for (String keys : List.of("\"public\":true", "\"public\":true", "\"private\":true")) {
                SignalingClient client = server.connect();
                clients.add(client);
                client.sendRaw("{\"type\":0,\"id\":5,\"data\":\"\"," + keys + "}");
                String name = client.awaitJoin();
                if (keys.contains("public")) {
                    listed.add(name);
                } else {
                    unlisted = name;
                }
            }
            List<String> lines = GodotRuntime.run(pck, "BROWSER|", 1, List.of("--screen", "browse", "--url",
                    "ws://127.0.0.1:" + server.port() + "/"));
            String shown = lines.stream().filter(l -> l.contains("BROWSER|")).findFirst().orElseThrow();
            Set<String> names = new java.util.HashSet<>();
            for (String row : shown.split("BROWSER\\|")[1].split("\\|", 2)[1].split(",")) {
                names.add(row.split(":")[0]);
            }
            assertTrue(names.containsAll(listed), "both public lobbies are on the screen: " + shown);
            assertTrue(!names.contains(unlisted), "never the private one: " + shown);
        } finally {
            clients.forEach(SignalingClient::close);
        }
    }
}
