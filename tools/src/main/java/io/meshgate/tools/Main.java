package io.meshgate.tools;

import io.meshgate.tools.auth.MintToken;
import io.meshgate.tools.load.RelayLoad;
import io.meshgate.tools.load.SignalingLoad;
import io.meshgate.tools.match.MatchmakerLoad;
import io.meshgate.tools.pck.Pck;
import io.meshgate.tools.rtc.GameLoad;
import io.meshgate.tools.rtc.StandInLoad;
import io.meshgate.tools.rtc.RtcSoak;
import java.util.Arrays;

/** Entry point of the tools jar: {@code java -jar meshgate-tools.jar <tool> [--option value]...}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("Usage: java -jar meshgate-tools.jar <tool> [--option value]...\n\nTools:\n"
                    + "  signaling-load   Godot 4 signaling load generator (--help for its options)\n"
                    + "  game-load        server-hosted lobbies of WebRTC bots playing the arena (--help)\n"
                    + "  stand-in-load    relay players in peer-hosted lobbies against WebRTC members (--help)\n"
                    + "  rtc-soak         many WebRTC lobby lifecycles: server heap, RSS and threads before and after (--help)\n"
                    + "  pack             pack a Godot 4 project directory into a .pck (--dir, --out, --engine)\n"
                    + "  relay-load       Godot 4 relay clients playing server-hosted lobbies (--help)\n"
                    + "  matchmaker-load  the matchmaker's cycle and time to match with a standing pool of tickets (--help)\n"
                    + "  mint-token       a signed token the server's --auth-secret or --auth-public-key accepts (--help)");
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "signaling-load" -> System.exit(SignalingLoad.run(rest));
            case "game-load" -> System.exit(GameLoad.run(rest));
            case "stand-in-load" -> System.exit(StandInLoad.run(rest));
            case "rtc-soak" -> System.exit(RtcSoak.run(rest));
            case "pack" -> System.exit(Pck.run(rest));
            case "relay-load" -> System.exit(RelayLoad.run(rest));
            case "matchmaker-load" -> System.exit(MatchmakerLoad.run(rest));
            case "mint-token" -> System.exit(MintToken.run(rest));
            default -> {
                System.err.println("unknown tool '" + args[0] + "' (see --help)");
                System.exit(2);
            }
        }
    }
}
