extends Node
## Bot mode: joins a lobby with no one at the keyboard, plays with scripted inputs, and reports in machine-readable
## lines (BOT-JOINED, BOT-CHANNELS-OPEN, BOT-PEERS, BOT-RESULT), ending with BOT-DONE|ok or BOT-DONE|fail and the
## matching exit status. A release build ignores assert() and a GDScript error does not stop the engine, so success
## is stated explicitly: a test waits for BOT-DONE|ok.
##
## Server-hosted (--hosting server): plays the server's arena. Peer-hosted (--hosting peer): the server only
## signals; the bots say hello to each other over their own WebRTC connections. --relay: plays the server's arena
## through the server over WebSocket (WebSocketMultiplayerPeer on <url>relay/<lobby>), for clients without WebRTC.

const MultiplayerClient := preload("res://scripts/multiplayer_client.gd")
const ArenaState := preload("res://scripts/arena_state.gd")
const INPUT_INTERVAL := 0.1
## After reporting, a bot stays this long before leaving: a peer-hosted lobby closes when its host leaves, and the
## other bots may still be finishing.
const LINGER_SECONDS := 5.0

var url := "ws://127.0.0.1:9080/"
var lobby := MultiplayerClient.QUICK_PLAY
var hosting := "server"
var mesh := false
var seconds := 10.0
var expect_peers := 1
var relay := false
var fallback_after := 8.0
var break_webrtc := false

var _client: Node
var _arena := ArenaState.new()
var _started_msec := 0
var _join_sent_msec := 0
var _open_msec := -1
var _playing_since := -1.0
var _snapshots_at_start := 0
var _seq := 0
var _since_input := 0.0
var _direction := Vector2.RIGHT
var _hellos := {}
var _peers_open := {}
var _most_peers := 0
var _finished := false


func configure(args: Dictionary) -> void:
	url = args.get("url", url)
	lobby = args.get("lobby", lobby)
	hosting = args.get("hosting", hosting)
	mesh = args.has("mesh")
	seconds = float(args.get("seconds", seconds))
	expect_peers = int(args.get("peers", expect_peers))
	relay = args.has("relay")
	fallback_after = float(args.get("fallback-after", fallback_after))
	break_webrtc = args.has("break-webrtc")


func _ready() -> void:
	_started_msec = Time.get_ticks_msec()
	multiplayer.peer_disconnected.connect(func(id: int) -> void: _peers_open.erase(id))
	(multiplayer as SceneMultiplayer).peer_packet.connect(_on_peer_packet)
	if relay:
		_start_relay()
		return
	_client = MultiplayerClient.new()
	add_child(_client)
	_client.lobby_joined.connect(_on_lobby_joined)
	_client.channels_open.connect(_on_channels_open)
	_client.disconnected.connect(_on_disconnected)
	_client.fallback_after_msec = int(fallback_after * 1000)
	_client.break_webrtc = break_webrtc
	_client.server_hosted = hosting == "server"
	_client.fell_back_to_relay.connect(func(lobby_name: String) -> void:
		relay = true
		print("BOT-FALLBACK|relay|%s" % lobby_name))
	_join_sent_msec = Time.get_ticks_msec()
	_client.connect_to_url(url, lobby, MultiplayerClient.join_id(mesh, hosting))
	print("BOT-START|%s|%s|%s" % [url, hosting, "mesh" if mesh else "client/server"])


## Plays through the server: Godot's own WebSocketMultiplayerPeer, the server as peer 1.
func _start_relay() -> void:
	var peer := WebSocketMultiplayerPeer.new()
	var relay_url := MultiplayerClient.relay_url(url, lobby)
	_join_sent_msec = Time.get_ticks_msec()
	var err := peer.create_client(relay_url)
	if err != OK:
		_finish(false, "relay client error %d" % err)
		return
	multiplayer.multiplayer_peer = peer
	multiplayer.peer_connected.connect(_on_channels_open)
	multiplayer.server_disconnected.connect(func() -> void:
		if not _finished:
			_finish(false, "relay closed"))
	print("BOT-START|%s|relay" % relay_url)


func _on_lobby_joined(name: String) -> void:
	print("BOT-JOINED|%s|%d" % [name, _client.my_id])


func _on_channels_open(peer_id: int) -> void:
	_peers_open[peer_id] = true
	_most_peers = maxi(_most_peers, _peers_open.size())
	if _open_msec < 0 and ((hosting != "server" and not relay) or peer_id == 1):
		_open_msec = Time.get_ticks_msec()
		print("BOT-CHANNELS-OPEN|%d|since-join-ms=%d|since-start-ms=%d|%s" % [peer_id, _open_msec - _join_sent_msec,
				_open_msec - _started_msec, "relay" if relay else "webrtc"])
	if hosting != "server" and not relay:
		multiplayer.send_bytes(var_to_bytes({"hello": multiplayer.get_unique_id()}), peer_id)


func _on_peer_packet(id: int, packet: PackedByteArray) -> void:
	var message = bytes_to_var(packet)
	if typeof(message) == TYPE_DICTIONARY and message.has("hello"):
		_hellos[id] = true
	elif id == 1:
		_arena.receive(message, Time.get_ticks_msec())


func _on_disconnected() -> void:
	if not _finished and not relay:
		_finish(false, "signaling closed %d %s" % [_client.close_code, _client.close_reason])


func _process(delta: float) -> void:
	if _finished:
		return
	var now := Time.get_ticks_msec()
	if now - _started_msec > int((seconds + 30.0) * 1000):
		_finish(false, "timed out")
		return
	if _open_msec < 0:
		return
	if _playing_since < 0 and _peers_open.size() >= expect_peers:
		_playing_since = now
		_snapshots_at_start = _arena.snapshots_received
	if _playing_since < 0:
		return
	if hosting == "server" or relay:
		_since_input += delta
		if _since_input >= INPUT_INTERVAL:
			_since_input = 0.0
			_seq += 1
			if _seq % 20 == 0:
				_direction = _direction.rotated(PI / 2) # a square path, so the bot crosses the arena
			multiplayer.send_bytes(var_to_bytes({"move": _direction, "seq": _seq}), 1,
					MultiplayerPeer.TRANSFER_MODE_UNRELIABLE_ORDERED)
	if now - _playing_since >= seconds * 1000:
		_report(now)


func _report(now: int) -> void:
	var played := (now - _playing_since) / 1000.0
	if hosting == "server" or relay:
		var rate := (_arena.snapshots_received - _snapshots_at_start) / played
		print("BOT-PEERS|%s" % ",".join(_peers_open.keys().map(func(p): return str(p))))
		print("BOT-RESULT|snapshots=%d|snapshot-rate=%.1f|players=%d|score=%d|inputs=%d" % [
			_arena.snapshots_received, rate, _arena.most_players, _arena.scores.get(multiplayer.get_unique_id(), 0), _seq])
		_finish(_arena.snapshots_received > 0 and _arena.my_id == multiplayer.get_unique_id(), "played %.1f s" % played)
	else:
		# Peers that finish first leave: the count that matters is the most that were open at once.
		print("BOT-RESULT|peers=%d|hellos=%d" % [_most_peers, _hellos.size()])
		_finish(_hellos.size() >= expect_peers, "mesh of %d" % (_most_peers + 1))


func _finish(ok: bool, why: String) -> void:
	_finished = true
	print("BOT-DONE|%s|%s" % ["ok" if ok else "fail", why])
	if ok:
		await get_tree().create_timer(LINGER_SECONDS).timeout
	if _client:
		_client.stop()
	multiplayer.multiplayer_peer = null
	get_tree().quit(0 if ok else 1)
