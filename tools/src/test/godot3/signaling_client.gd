extends SceneTree
# Godot 3's text signaling protocol as its webrtc_signaling demo speaks it, run by Godot3SignalingTest with
# godot3-server -s. "creator" makes a lobby, offers to every peer that appears (Godot 3: the lower id offers) and
# seals once it has an answer and a candidate; "joiner" joins by name and answers. godot3-server has no WebRTC, so the
# SDPs are marked strings: the point is the signaling the engine's own WebSocketClient sees.

var client := WebSocketClient.new()
var role := "creator"
var lobby := ""
var my_id := 0
var elapsed := 0.0
var seconds := 30.0
var got_answer := false
var got_candidate := false
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
			"--lobby":
				lobby = args[i + 1]
	client.connect("connection_established", self, "_on_open")
	client.connect("data_received", self, "_on_data")
	client.connect("server_close_request", self, "_on_close_request")
	client.connect("connection_closed", self, "_on_closed")
	client.connect_to_url(url)


func _idle(delta: float) -> bool:
	if finished:
		return true
	elapsed += delta
	client.poll()
	if elapsed > seconds:
		_finish("timeout")
	return false


func _finish(why: String) -> void:
	if finished:
		return
	finished = true
	print("BOT-DONE|%s|%s" % [role, why])
	quit(0)


func _on_open(_protocol: String) -> void:
	client.get_peer(1).set_write_mode(WebSocketPeer.WRITE_MODE_TEXT)
	_put("J: %s\n" % lobby)


func _put(text: String) -> void:
	client.get_peer(1).put_packet(text.to_utf8())


func _on_data() -> void:
	var peer := client.get_peer(1)
	while peer.get_available_packet_count() > 0:
		_handle(peer.get_packet().get_string_from_utf8())


func _handle(frame: String) -> void:
	# as Godot 3's demo client parses: one split on the first newline, "<C>: <arg>"
	var parts: PoolStringArray = frame.split("\n", true, 1)
	if parts.size() != 2 or parts[0].length() < 3:
		print("BOT-BAD-FRAME|%s" % frame.c_escape())
		return
	var command: String = parts[0].substr(0, 3)
	var arg: String = parts[0].substr(3)
	match command:
		"J: ":
			print("BOT-LOBBY|%s" % arg)
		"S: ":
			print("BOT-SEALED")
		"I: ":
			my_id = int(arg)
			print("BOT-ID|%d" % my_id)
		"N: ":
			print("BOT-PEER|%s" % arg)
			if int(arg) > my_id:
				_put("O: %s\noffer-from-%d" % [arg, my_id])
		"D: ":
			print("BOT-PEER-GONE|%s" % arg)
		"O: ":
			print("BOT-OFFER|%s|%s" % [arg, parts[1]])
			_put("A: %s\nanswer-from-%d" % [arg, my_id])
			_put("C: %s\n\n%s\n%d\n%s" % [arg, "data", 0, "candidate-from-%d" % my_id])
		"A: ":
			print("BOT-ANSWER|%s|%s" % [arg, parts[1]])
			got_answer = true
		"C: ":
			var candidate: PoolStringArray = parts[1].split("\n", false)
			if candidate.size() == 3 and candidate[1].is_valid_integer():
				print("BOT-CANDIDATE|%s|%s|%s|%s" % [arg, candidate[0], candidate[1], candidate[2]])
				got_candidate = true
			else:
				print("BOT-BAD-CANDIDATE|%s" % parts[1].c_escape())
		_:
			print("BOT-BAD-FRAME|%s" % frame.c_escape())
	if role == "creator" and got_answer and got_candidate:
		got_answer = false
		_put("S: \n")


func _on_close_request(code: int, reason: String) -> void:
	print("BOT-CLOSE|%d|%s" % [code, reason])


func _on_closed(_was_clean: bool) -> void:
	_finish("closed")
