package io.meshgate.game;

/**
 * A game a server can host, by the name clients ask for when they create a server-hosted lobby. A server finds every
 * {@code GameType} on its class path through Java's {@link java.util.ServiceLoader} (a line naming the class in
 * {@code META-INF/services/io.meshgate.game.GameType} of its jar), so adding a game needs no {@code main} of your own;
 * {@code --games} picks which of those it offers and {@code --default-game} which one a client that names none gets.
 *
 * <p>An implementation needs a public constructor without arguments; the server makes one instance and asks it
 * {@link #create} once per lobby, on that lobby's executor, like every {@link Game} method.
 */
public interface GameType {

    /** {@link #tickRate} for "the server's {@code --tick-rate}". */
    int SERVER_TICK_RATE = -1;

    /** The name clients ask for: 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter or digit. */
    String name();

    /** Makes the game of one new lobby, as {@link Game.Factory#create} does. */
    Game create(Room room);

    /**
     * How often the game's {@link Game#tick} runs, per second: 1 to 240, {@link #SERVER_TICK_RATE} (the default) for
     * the server's setting, or 0 for a game without a tick (turn-based: it acts only on joins, leaves and packets).
     */
    default int tickRate() {
        return SERVER_TICK_RATE;
    }

    /** The most players a lobby of this game takes, or 0 (the default) for the server's {@code --max-lobby-peers}. */
    default int maxPlayers() {
        return 0;
    }

    /** A game type made of a name and a factory, with the server's tick rate: for tests and embedding. */
    static GameType of(String name, Game.Factory factory) {
        return of(name, factory, SERVER_TICK_RATE, 0);
    }

    /** A game type made of its parts. */
    static GameType of(String name, Game.Factory factory, int tickRate, int maxPlayers) {
        return new GameType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Game create(Room room) {
                return factory.create(room);
            }

            @Override
            public int tickRate() {
                return tickRate;
            }

            @Override
            public int maxPlayers() {
                return maxPlayers;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
