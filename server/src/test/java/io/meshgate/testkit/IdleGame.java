package io.meshgate.testkit;

import io.meshgate.game.Delivery;
import io.meshgate.game.Game;
import io.meshgate.game.LeaveReason;
import io.meshgate.game.Player;

/** A game that does nothing: tests extend it and override only the hooks they watch. */
public class IdleGame implements Game {

    @Override
    public void onJoin(Player player) {
    }

    @Override
    public void onLeave(Player player, LeaveReason reason) {
    }

    @Override
    public void onPacket(Player player, Delivery delivery, byte[] payload) {
    }
}
