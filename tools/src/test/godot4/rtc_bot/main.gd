extends Node
## A Godot 4 client of a Meshgate server-hosted arena, for tests: Godot's signaling over WebSocketPeer,
## WebRTCMultiplayerPeer as a client of peer 1 (the server), arena inputs out with multiplayer.send_bytes, snapshots
## in through peer_packet. Prints BOT-* lines; BOT-DONE once it has seen --snapshots snapshots and a snapshot with
## --players players.
## User args: --url ws://host:port/ [--lobby NAME] [--join-id N] [--snapshots N] [--players N]

enum Message { JOIN, ID, PEER_CONNECT, PEER_DISCONNECT, OFFER, ANSWER, CANDIDATE, SEAL }

var _ws := WebSocketPeer.new()
var _rtc := WebRTCMultiplayerPeer.new()
var _url := ""
var _lobby := ""
var _join_id := 3
var _want_snapshots := 30
var _want_players := 1
var _most_players := 0
var _done := false
var _first_x := -1.0
var _join_sent := false
var _closed := false
var _my_id := 0
var _snapshots := 0
var _seq := 0
var _since_input := 0.0


func _ready() -> void:
	var args := OS.get_cmdline_user_args()
	for i in range(args.size() - 1):
		match args[i]:
			"--url":
				_url = args[i + 1]
			"--lobby":
				_lobby = args[i + 1]
			"--join-id":
				_join_id = int(args[i + 1])
			"--snapshots":
				_want_snapshots = int(args[i + 1])
			"--players":
				_want_players = int(args[i + 1])
	multiplayer.connected_to_server.connect(_on_connected_to_server)
	multiplayer.peer_connected.connect(_on_peer_connected)
	(multiplayer as SceneMultiplayer).peer_packet.connect(_on_peer_packet)
	print("BOT-START|", _url)
	_ws.connect_to_url(_url)


func _process(delta: float) -> void:
	_ws.poll()
	var state := _ws.get_ready_state()
	if state == WebSocketPeer.STATE_OPEN and not _join_sent:
		_join_sent = true
		_send(Message.JOIN, _join_id, _lobby)
	while state == WebSocketPeer.STATE_OPEN and _ws.get_available_packet_count() > 0:
		_handle(_ws.get_packet().get_string_from_utf8())
	if state == WebSocketPeer.STATE_CLOSED and not _closed:
		_closed = true
		print("BOT-CLOSED|", _ws.get_close_code(), "|", _ws.get_close_reason())
	if _rtc.get_connection_status() == MultiplayerPeer.CONNECTION_CONNECTED:
		_since_input += delta
		if _since_input >= 0.1:
			_since_input = 0.0
			_seq += 1
			var input := {"move": Vector2(1, 0), "seq": _seq}
			multiplayer.send_bytes(var_to_bytes(input), 1, MultiplayerPeer.TRANSFER_MODE_UNRELIABLE_ORDERED)


func _handle(text: String) -> void:
	var parsed = JSON.parse_string(text)
	if typeof(parsed) != TYPE_DICTIONARY or typeof(parsed.get("data")) != TYPE_STRING:
		print("BOT-BAD-SIGNAL|", text)
		return
	var type := int(parsed.type)
	var id := int(parsed.id)
	var data: String = parsed.data
	match type:
		Message.ID:
			_my_id = id
			_rtc.create_client(id)
			multiplayer.multiplayer_peer = _rtc
			print("BOT-ID|", id)
		Message.JOIN:
			print("BOT-JOINED|", data)
		Message.PEER_CONNECT:
			_add_peer(id)
		Message.PEER_DISCONNECT:
			if _rtc.has_peer(id):
				_rtc.remove_peer(id)
		Message.OFFER:
			if _rtc.has_peer(id):
				_rtc.get_peer(id).connection.set_remote_description("offer", data)
		Message.ANSWER:
			if _rtc.has_peer(id):
				_rtc.get_peer(id).connection.set_remote_description("answer", data)
		Message.CANDIDATE:
			var parts := data.split("\n", false)
			if parts.size() == 3 and _rtc.has_peer(id):
				_rtc.get_peer(id).connection.add_ice_candidate(parts[0], int(parts[1]), parts[2])


func _add_peer(id: int) -> void:
	var connection := WebRTCPeerConnection.new()
	connection.initialize({"iceServers": []})
	connection.session_description_created.connect(_on_description.bind(id))
	connection.ice_candidate_created.connect(_on_candidate.bind(id))
	_rtc.add_peer(connection, id)
	if id < _my_id:
		connection.create_offer()


func _on_description(type: String, sdp: String, id: int) -> void:
	if not _rtc.has_peer(id):
		return
	_rtc.get_peer(id).connection.set_local_description(type, sdp)
	_send(Message.OFFER if type == "offer" else Message.ANSWER, id, sdp)


func _on_candidate(mid: String, index: int, sdp: String, id: int) -> void:
	_send(Message.CANDIDATE, id, "\n%s\n%d\n%s" % [mid, index, sdp])


func _send(type: int, id: int, data: String = "") -> void:
	_ws.send_text(JSON.stringify({"type": type, "id": id, "data": data}))


func _on_connected_to_server() -> void:
	print("BOT-CONNECTED|", _my_id)


func _on_peer_connected(id: int) -> void:
	print("BOT-PEER|", id)


func _on_peer_packet(id: int, packet: PackedByteArray) -> void:
	var message = bytes_to_var(packet)
	if typeof(message) != TYPE_DICTIONARY:
		print("BOT-BAD-PACKET|", id)
		return
	match message.get("type", ""):
		"welcome":
			print("BOT-WELCOME|", message.id)
		"snapshot":
			_snapshots += 1
			_most_players = max(_most_players, message.players.size())
			for player in message.players:
				if player[0] == _my_id and _first_x < 0:
					_first_x = player[1].x
			if not _done and _snapshots >= _want_snapshots and _most_players >= _want_players:
				_done = true
				var x := -1.0
				for player in message.players:
					if player[0] == _my_id:
						x = player[1].x
				print("BOT-RESULT|snapshots=%d|first_x=%.1f|x=%.1f|inputs=%d|players=%d" % [_snapshots, _first_x, x, _seq,
						_most_players])
				print("BOT-DONE")
