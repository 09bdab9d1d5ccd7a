package io.meshgate.game.tictactoe;

import io.meshgate.game.Delivery;
import io.meshgate.game.Game;
import io.meshgate.game.GameType;
import io.meshgate.game.JoinAttempt;
import io.meshgate.game.LeaveReason;
import io.meshgate.game.Player;
import io.meshgate.game.Room;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.variant.VariantCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Noughts and crosses for two, turn by turn and without a tick: the bundled example of a game that acts only on its
 * players' moves. Every message is a Godot 4 Variant dictionary sent reliably.
 *
 * <p>From the server: {@code {"type":"welcome","mark":"x"|"o"}} to a player taking a seat; {@code {"type":"state",
 * "board":[9 ints, 0 empty, 1 x, 2 o], "turn":"x"|"o"|"", "players":{"x":name,"o":name}}} to both after every change;
 * {@code {"type":"over","winner":"x"|"o"|"draw","forfeit":bool}} when a game ends; {@code {"type":"error",
 * "reason":text}} to a player whose move is refused (not its turn, a taken or invalid cell). From a player:
 * {@code {"move": cell}} with cell 0..8 (row by row) and, after a game, {@code {"rematch": true}}: once both ask, a new
 * game starts with the marks swapped. X moves first. A player who leaves mid-game forfeits; the seat is free for the
 * next joiner. The label says {@code {"state":"waiting"|"playing"|"over"}} for listings.
 */
public final class TicTacToe implements Game {

    /** The game type: {@code tictactoe}, two players, no tick. */
    public static final class Type implements GameType {
        @Override
        public String name() {
            return "tictactoe";
        }

        @Override
        public Game create(Room room) {
            return new TicTacToe(room);
        }

        @Override
        public int tickRate() {
            return 0;
        }

        @Override
        public int maxPlayers() {
            return 2;
        }
    }

    private static final int[][] LINES = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8},
        {0, 4, 8}, {2, 4, 6}};

    private final Room room;
    /** Seat 0 plays x this game, seat 1 plays o; swapped by a rematch. */
    private final Player[] seats = new Player[2];
    private final boolean[] rematch = new boolean[2];
    private final int[] board = new int[9];
    /** 1 (x) or 2 (o) to move; 0 when no game is on. */
    private int turn;
    private boolean over;
    /** Which seat plays x. */
    private int xSeat;

    public TicTacToe(Room room) {
        this.room = room;
        label();
    }

    @Override
    public String onJoinAttempt(JoinAttempt attempt) {
        return seats[0] != null && seats[1] != null ? "This game has two players already" : null;
    }

    @Override
    public void onJoin(Player player) {
        int seat = seats[0] == null ? 0 : seats[1] == null ? 1 : -1;
        if (seat < 0) {
            player.kick("This game has two players already");
            return;
        }
        seats[seat] = player;
        player.send(Delivery.RELIABLE, encode(message("type", "welcome", "mark", mark(seat))));
        if (seats[0] != null && seats[1] != null) {
            start();
        } else {
            publish();
        }
    }

    @Override
    public void onLeave(Player player, LeaveReason reason) {
        int seat = seatOf(player);
        if (seat < 0) {
            return;
        }
        seats[seat] = null;
        rematch[0] = false;
        rematch[1] = false;
        if (turn != 0) {
            end(1 - seat, true);
        }
        turn = 0;
        over = false;
        Arrays.fill(board, 0);
        publish();
    }

    @Override
    public void onPacket(Player player, Delivery delivery, byte[] payload) {
        int seat = seatOf(player);
        if (seat < 0) {
            return;
        }
        Object decoded;
        try {
            decoded = VariantCodec.GODOT4.decode(payload);
        } catch (MalformedMessageException e) {
            refuse(player, "not a Variant");
            return;
        }
        if (!(decoded instanceof Map<?, ?> message)) {
            refuse(player, "not a dictionary");
            return;
        }
        if (Boolean.TRUE.equals(message.get("rematch"))) {
            askRematch(seat);
        } else if (message.get("move") instanceof Long cell) {
            move(player, seat, cell);
        } else {
            refuse(player, "expected {\"move\": cell} or {\"rematch\": true}");
        }
    }

    private void move(Player player, int seat, long cell) {
        if (turn == 0) {
            refuse(player, over ? "the game is over" : "waiting for an opponent");
        } else if (markOf(seat) != turn) {
            refuse(player, "not your turn");
        } else if (cell < 0 || cell > 8 || board[(int) cell] != 0) {
            refuse(player, "cell " + cell + " is not free");
        } else {
            board[(int) cell] = turn;
            int winner = winner();
            if (winner != 0) {
                end(winner == 1 ? xSeat : 1 - xSeat, false);
            } else if (full()) {
                end(-1, false);
            } else {
                turn = 3 - turn;
                publish();
            }
        }
    }

    private void askRematch(int seat) {
        if (!over) {
            return;
        }
        rematch[seat] = true;
        if (rematch[0] && rematch[1] && seats[0] != null && seats[1] != null) {
            xSeat = 1 - xSeat;
            for (int i = 0; i < 2; i++) {
                seats[i].send(Delivery.RELIABLE, encode(message("type", "welcome", "mark", mark(i))));
            }
            start();
        }
    }

    private void start() {
        Arrays.fill(board, 0);
        rematch[0] = false;
        rematch[1] = false;
        over = false;
        turn = 1;
        publish();
    }

    /** Ends the game: {@code winnerSeat} won (-1 for a draw), by forfeit or on the board. */
    private void end(int winnerSeat, boolean forfeit) {
        turn = 0;
        over = true;
        String winner = winnerSeat < 0 ? "draw" : mark(winnerSeat);
        room.broadcast(Delivery.RELIABLE, encode(message("type", "over", "winner", winner, "forfeit", forfeit)));
        publish();
    }

    private void publish() {
        List<Object> cells = new ArrayList<>(9);
        for (int cell : board) {
            cells.add((long) cell);
        }
        Map<String, Object> names = new LinkedHashMap<>();
        for (int seat = 0; seat < 2; seat++) {
            if (seats[seat] != null) {
                names.put(mark(seat), seats[seat].name());
            }
        }
        room.broadcast(Delivery.RELIABLE, encode(message("type", "state", "board", cells,
                "turn", turn == 0 ? "" : turn == 1 ? "x" : "o", "players", names)));
        label();
    }

    private void label() {
        room.setLabel(Map.of("state", turn != 0 ? "playing" : over ? "over" : "waiting"));
    }

    private int winner() {
        for (int[] line : LINES) {
            if (board[line[0]] != 0 && board[line[0]] == board[line[1]] && board[line[1]] == board[line[2]]) {
                return board[line[0]];
            }
        }
        return 0;
    }

    private boolean full() {
        for (int cell : board) {
            if (cell == 0) {
                return false;
            }
        }
        return true;
    }

    private int seatOf(Player player) {
        return seats[0] == player ? 0 : seats[1] == player ? 1 : -1;
    }

    /** 1 (x) or 2 (o): the mark of {@code seat} this game. */
    private int markOf(int seat) {
        return seat == xSeat ? 1 : 2;
    }

    private String mark(int seat) {
        return markOf(seat) == 1 ? "x" : "o";
    }

    private static void refuse(Player player, String reason) {
        player.send(Delivery.RELIABLE, encode(message("type", "error", "reason", reason)));
    }

    private static byte[] encode(Object value) {
        return VariantCodec.GODOT4.encode(value);
    }

    private static Map<String, Object> message(Object... keysAndValues) {
        Map<String, Object> message = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            message.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return message;
    }
}
