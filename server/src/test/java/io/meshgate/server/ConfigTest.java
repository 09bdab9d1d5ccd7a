package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsMatchTheReferenceServerWhereItHasThem() {
        Config config = Config.defaults();
        assertEquals(9080, config.port());
        assertEquals(4096, config.maxPeers());
        assertEquals(1024, config.maxLobbies());
        assertEquals(Duration.ofMillis(1000), config.noLobbyTimeout());
        assertEquals(Duration.ofMillis(10_000), config.sealTimeout());
        assertEquals(Duration.ofMillis(10_000), config.pingInterval());
    }

    @Test
    void flagBeatsEnvironmentBeatsDefault() {
        Map<String, String> env = Map.of("MESHGATE_PORT", "7000", "MESHGATE_MAX_LOBBIES", "12");
        Config config = Config.parse(new String[] {"--port", "7001"}, env);
        assertEquals(7001, config.port());
        assertEquals(12, config.maxLobbies());
        assertEquals(4096, config.maxPeers());
        assertEquals(7002, Config.parse(new String[] {"--port=7002"}, env).port());
    }

    @Test
    void badValuesNameTheirSource() {
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class, () -> Config.of("--port", "http"));
        assertEquals("--port must be a whole number, got 'http'", flag.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> Config.of("--max-peers", "0"));
        assertEquals("--max-peers must be in 1..1000000, got 0", range.getMessage());
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> Config.parse(new String[0], Map.of("MESHGATE_SEAL_TIMEOUT", "-5")));
        assertTrue(env.getMessage().startsWith("MESHGATE_SEAL_TIMEOUT: --seal-timeout must be in"), env.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Config.of("--no-such-flag", "1"));
        assertThrows(IllegalArgumentException.class, () -> Config.of("--port"));
        assertThrows(IllegalArgumentException.class, () -> Config.of("9080"));
    }

    @Test
    void hostingAndWebRtcSettingsAreParsedAndChecked() {
        Config config = Config.of("--default-hosting", "server", "--ice-servers", "stun:a.example:3478, turn:b.example",
                "--rtc-reveal-cidrs", "10.0.0.0/8,fd00::/8");
        assertTrue(config.serverHostedByDefault());
        assertEquals(java.util.List.of("stun:a.example:3478", "turn:b.example"), config.iceServers());
        assertEquals(2, config.rtcRevealCidrs().size());
        assertTrue(config.rtcRevealCidrs().get(0).contains("10.213.0.2"));
        assertTrue(!config.rtcRevealCidrs().get(0).contains("192.168.1.1"));
        assertTrue(config.rtcRevealCidrs().get(1).contains("fd12::1"));
        assertEquals(java.util.List.of(), Config.defaults().iceServers());
        assertThrows(IllegalArgumentException.class, () -> Config.of("--default-hosting", "both"));
        assertThrows(IllegalArgumentException.class, () -> Config.of("--rtc-reveal-cidrs", "10.0.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Config.of("--rtc-reveal-cidrs", "10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Config.of("--rtc-reveal-cidrs", "example.org/8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.of("--ice-servers", "turn.example.org"))
                .getMessage().contains("stun:, stuns:, turn: and turns: URLs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.of("--ice-servers", "stun:a.example",
                "--turn-secret", "s")).getMessage().contains("needs a turn: or turns: URL"));
        Config turn = Config.of("--ice-servers", "turns:b.example:5349", "--turn-secret", "s", "--turn-ttl", "600000");
        assertEquals(java.time.Duration.ofMinutes(10), turn.turnTtl());
        assertTrue(!turn.toString().contains("=s,") && turn.toString().contains("turnSecret=set"), turn.toString());
    }

    @Test
    void helpListsEveryFlagAndVariable() {
        String help = Config.help();
        for (String flag : new String[] {"host", "port", "max-peers", "max-lobbies", "max-lobby-peers",
            "max-message-bytes", "message-rate", "message-burst", "max-send-queue-bytes", "no-lobby-timeout",
            "seal-timeout", "ping-interval", "pong-timeout", "shutdown-timeout", "worker-threads", "default-hosting",
            "tick-rate", "ice-servers", "ice-username", "ice-credential", "rtc-reveal-cidrs", "rtc-connect-timeout",
            "rtc-generation-budget", "rtc-unreliable-lifetime", "quick-play-size", "play-dir"}) {
            assertTrue(help.contains("--" + flag + " "), flag);
            assertTrue(help.contains("MESHGATE_" + flag.toUpperCase().replace('-', '_')), flag);
        }
    }
}
