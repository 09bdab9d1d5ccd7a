extends SceneTree
# A Godot 3.2 player of the demo arena through Meshgate's relay (/relay/godot3/<lobby>), run by Godot3RelayPlayTest
# with godot3-server -s. As a "player" it uses the engine's own WebSocketClient as network_peer and send_bytes; as a
# "forger" it speaks the 9-byte-header frames by hand so that it can lie about who it is.
# Prints BOT-* lines for the test; a script error does not fail the process, so the test waits for BOT-DONE.

const CMD_RAW := 4
const SYS_ADD := 1
const SYS_ID := 3
const FORGED_SEQ := 999999

var client := WebSocketClient.new()
var role := "player"
var seconds := 30.0
var elapsed := 0.0
var my_id := 0
var seq := 0
var send_clock := 0.0
var first_position := {}
var seen_moving := {}
var genuine_from := {}
var others := []
var forged := false
var done_at := -1.0
var finished := false


func _init() -> void:
	var url := ""
	var args := OS.get_cmdline_args()
	for i in range(args.size() - 1):
		match args[i]:
			"--url":
				url = args[i + 1]
			"--role":
				role = args[i + 1]
			"--seconds":
				seconds = float(args[i + 1])
	if role == "forger":
		client.connect("data_received", self, "_on_frame")
		client.connect_to_url(url, PoolStringArray(), false)
	else:
		client.connect_to_url(url, PoolStringArray(), true)
		network_peer = client
		connect("connected_to_server", self, "_on_connected")
		connect("network_peer_connected", self, "_on_peer_connected")
		multiplayer.connect("network_peer_packet", self, "_on_packet")


func _idle(delta: float) -> bool:
	if finished:
		return true
	elapsed += delta
	if role == "forger":
		client.poll()
	elif my_id != 0:
		send_clock += delta
		if send_clock >= 1.0 / 30.0:
			send_clock = 0.0
			seq += 1
			# circles, so that every player's position keeps changing
			var direction := Vector2(cos(elapsed * 2.0), sin(elapsed * 2.0))
			multiplayer.send_bytes(var2bytes({"move": direction, "seq": seq}), 1)
	if done_at < 0.0 and _satisfied():
		done_at = elapsed
	if (done_at >= 0.0 and elapsed - done_at > 2.0) or elapsed > seconds:
		# the linger lets the others see this player move too before it leaves
		print("BOT-DONE|role=%s|satisfied=%s" % [role, str(_satisfied())])
		# a SceneTree script's _idle return value does not end godot3-server; quit() does
		finished = true
		quit(0)
		return true
	return false


func _satisfied() -> bool:
	if role == "forger":
		return forged
	return seen_moving.size() >= 1 and genuine_from.size() >= 1


func _on_connected() -> void:
	my_id = get_network_unique_id()
	print("BOT-ID|%d" % my_id)


func _on_peer_connected(id: int) -> void:
	print("BOT-PEER|%d" % id)


func _on_packet(from: int, packet: PoolByteArray) -> void:
	var message = bytes2var(packet)
	if typeof(message) != TYPE_DICTIONARY:
		print("BOT-UNREADABLE|%d" % from)
		return
	if message.has("forged"):
		print("BOT-FORGED|%d" % from)
	elif message.has("genuine"):
		if not genuine_from.has(from):
			genuine_from[from] = true
			print("BOT-GENUINE|%d" % from)
	elif from == 1 and message.get("type") == "welcome":
		print("BOT-WELCOME|%d" % int(message["id"]))
	elif from == 1 and message.get("type") == "snapshot":
		_on_snapshot(message)


func _on_snapshot(snapshot: Dictionary) -> void:
	for row in snapshot["players"]:
		var id: int = int(row[0])
		var position: Vector2 = row[1]
		if id == my_id:
			if int(row[3]) == FORGED_SEQ:
				print("BOT-FORGED-MOVE|%d" % id)
			continue
		if not first_position.has(id):
			first_position[id] = position
		elif not seen_moving.has(id) and position.distance_to(first_position[id]) > 20.0:
			seen_moving[id] = true
			print("BOT-SAW-MOVE|%d" % id)


# The forger: raw frames, read and written by hand.

func _on_frame() -> void:
	var peer := client.get_peer(1)
	peer.set_write_mode(WebSocketPeer.WRITE_MODE_BINARY)
	while peer.get_available_packet_count() > 0:
		var frame := StreamPeerBuffer.new()
		frame.data_array = peer.get_packet()
		var type := frame.get_u8()
		frame.get_32()
		frame.get_32()
		if type == SYS_ID:
			my_id = frame.get_32()
			print("BOT-ID|%d" % my_id)
		elif type == SYS_ADD:
			var id := frame.get_32()
			if id != 1 and id != my_id and not others.has(id):
				others.append(id)
	if not forged and others.size() >= 2:
		forged = true
		for victim in others:
			var bystander: int = others[0] if victim != others[0] else others[1]
			# claims to be another player, then the server, then itself: only the last may arrive
			_send(bystander, victim, {"forged": true})
			_send(1, victim, {"forged": true})
			_send(victim, 1, {"move": Vector2(-1, 0), "seq": FORGED_SEQ})
			_send(my_id, victim, {"genuine": true})
		print("BOT-FORGER-SENT|%s" % str(others))


func _send(from: int, to: int, message) -> void:
	var frame := StreamPeerBuffer.new()
	frame.put_u8(0)
	frame.put_32(from)
	frame.put_32(to)
	frame.put_u8(CMD_RAW)
	frame.put_data(var2bytes(message))
	client.get_peer(1).put_packet(frame.data_array)
