extends Node2D
## Draws the arena from an ArenaState and steers the local player with the arrow keys or WASD, sending
## {"move": Vector2, "seq": int} to the server (peer 1) twenty times a second. Fed the server's messages by its owner.

const ArenaState := preload("res://scripts/arena_state.gd")
const INPUT_INTERVAL := 0.05
const PLAYER_RADIUS := 16.0
const PICKUP_RADIUS := 10.0

var state := ArenaState.new()
var _seq := 0
var _since_input := 0.0


## Takes a message from the server.
func receive(message: Variant) -> void:
	state.receive(message, Time.get_ticks_msec())


func _process(delta: float) -> void:
	_since_input += delta
	# Only once peer 1 is admitted: until WebRTC is set up the tree's peer is an OfflineMultiplayerPeer, which
	# claims to be connected but has no peer 1 to send to.
	if _since_input >= INPUT_INTERVAL and multiplayer.get_peers().has(1):
		_since_input = 0.0
		var move := Input.get_vector("ui_left", "ui_right", "ui_up", "ui_down")
		_seq += 1
		multiplayer.send_bytes(var_to_bytes({"move": move, "seq": _seq}), 1,
				MultiplayerPeer.TRANSFER_MODE_UNRELIABLE_ORDERED)
	queue_redraw()


func _draw() -> void:
	draw_rect(Rect2(Vector2.ZERO, state.arena_size), Color(0.09, 0.1, 0.13))
	for pickup in state.pickups():
		draw_circle(pickup, PICKUP_RADIUS, Color(1.0, 0.8, 0.2))
	var positions := state.positions(Time.get_ticks_msec())
	for id in positions:
		var colour := Color(0.3, 0.8, 1.0) if id == state.my_id else Color(0.9, 0.35, 0.35)
		if state.away.has(id):
			colour.a = 0.35 # its connection dropped; the server holds its place for a while
		draw_circle(positions[id], PLAYER_RADIUS, colour)
		draw_string(ThemeDB.fallback_font, positions[id] + Vector2(-12, -20), str(state.scores.get(id, 0)))
