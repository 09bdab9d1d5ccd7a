extends Node
## Bot mode: plays with no one at the keyboard, through the Meshgate addon's public API as any game would, and reports
## in machine-readable lines (BOT-JOINED, BOT-CODE, BOT-TICKET, BOT-CHANNELS-OPEN, BOT-PEERS, BOT-PEER-LEFT,
## BOT-LOBBIES, BOT-RECONNECTING, BOT-RESUMED, BOT-RESULT), ending with BOT-DONE|ok or BOT-DONE|fail and the matching exit status. A release build ignores
## assert() and a GDScript error does not stop the engine, so success is stated explicitly: a test waits for
## BOT-DONE|ok.
##
## How it gets into a lobby: --lobby NAME joins by name, --lobby * quick-plays, --create makes one (--visibility
## public|private), --code CODE joins by join code, --match asks the matchmaker (--min, --max, --props k:v,k:v,
## --skill); --list only lists public lobbies. --hosting server|peer, --mesh and --game say what kind; --relay plays
## through the server's WebSocket relay instead of WebRTC. In the server's arena the bot steers a square; in its
## noughts and crosses it plays random free cells until the game ends; in a peer-hosted lobby the bots say hello to
## each other over their own WebRTC connections. --cut-webrtc-after S closes its WebRTC connection to the server S
## seconds into play (BOT-CUT, then BOT-REOPENED once a new one is open). --timeout S bounds the whole run (default:
## --seconds and 30 more); --resume-seconds S how long it tries to take its seat back after a dropped connection;
## --token JWT is shown to a server that authenticates.

const MeshgateNode := preload("res://addons/meshgate/meshgate.gd")
const ArenaState := preload("res://scripts/arena_state.gd")
const TicTacToeState := preload("res://scripts/tictactoe_state.gd")
const INPUT_INTERVAL := 0.1
## After reporting, a bot stays this long before leaving: a peer-hosted lobby closes when its host leaves, and the
## other bots may still be finishing.
const LINGER_SECONDS := 5.0

var url := "ws://127.0.0.1:9080/"
var lobby := "*"
var hosting := "server"
var mesh := false
var game := ""
var seconds := 10.0
var expect_peers := 1
var relay := false
var fallback_after := 8.0
var break_webrtc := false
## For tests: after this many seconds of play, close the WebRTC connection to the server, as a network change would.
var cut_webrtc_after := -1.0
var _webrtc_cut_msec := -1
## Seconds before the bot gives up; by default its playing time and 30 more.
var timeout := 0.0
var args := {}

var _meshgate: Node
var _arena := ArenaState.new()
var _tictactoe: TicTacToeState
var _moves := 0
var _started_msec := 0
var _join_sent_msec := 0
var _open_msec := -1
var _playing_since := -1.0
var _snapshots_at_start := 0
var _seq := 0
var _since_input := 0.0
var _direction := Vector2.RIGHT
var _hellos := {}
var _rpc_hellos := {}
var _peers_open := {}
var _most_peers := 0
var _finished := false


func configure(parsed: Dictionary) -> void:
	args = parsed
	url = args.get("url", url)
	lobby = args.get("lobby", lobby)
	hosting = args.get("hosting", hosting)
	mesh = args.has("mesh")
	game = str(args.get("game", ""))
	seconds = float(args.get("seconds", seconds))
	expect_peers = int(args.get("peers", expect_peers))
	relay = args.has("relay")
	fallback_after = float(args.get("fallback-after", fallback_after))
	break_webrtc = args.has("break-webrtc")
	cut_webrtc_after = float(args.get("cut-webrtc-after", -1.0))
	timeout = float(args.get("timeout", seconds + 30.0))


func _ready() -> void:
	_started_msec = Time.get_ticks_msec()
	multiplayer.peer_disconnected.connect(func(id: int) -> void:
		_peers_open.erase(id)
		print("BOT-PEER-LEFT|%d" % id))
	(multiplayer as SceneMultiplayer).peer_packet.connect(_on_peer_packet)
	_meshgate = MeshgateNode.new()
	_meshgate.url = url
	_meshgate.player_name = str(args.get("name", "bot"))
	_meshgate.token = str(args.get("token", ""))
	_meshgate.relay_fallback_seconds = fallback_after
	_meshgate.resume_seconds = float(args.get("resume-seconds", _meshgate.resume_seconds))
	_meshgate.simulate_blocked_webrtc = break_webrtc
	_meshgate.play_through_relay = relay
	add_child(_meshgate)
	_meshgate.lobby_joined.connect(_on_lobby_joined)
	_meshgate.join_failed.connect(func(reason: String) -> void: _finish(false, "join refused: " + reason))
	_meshgate.lobby_left.connect(func(reason: String) -> void:
		if not _finished:
			_finish(false, "lobby ended: " + reason))
	_meshgate.peer_ready.connect(_on_channels_open)
	_meshgate.lobbies_listed.connect(_on_lobbies_listed)
	_meshgate.ticket_changed.connect(_on_ticket_changed)
	_meshgate.reconnecting.connect(func(attempt: int) -> void: print("BOT-RECONNECTING|%d" % attempt))
	_meshgate.resumed.connect(func(lobby_name: String, id: int, away_msec: int) -> void:
		print("BOT-RESUMED|%s|%d|away-ms=%d" % [lobby_name, id, away_msec]))
	_meshgate.fell_back_to_relay.connect(func(lobby_name: String) -> void:
		relay = true
		print("BOT-FALLBACK|relay|%s" % lobby_name))
	_join_sent_msec = Time.get_ticks_msec()
	var kind: int = MeshgateNode.Hosting.SERVER if hosting == "server" else MeshgateNode.Hosting.PEER
	var err := OK
	if args.has("list"):
		err = _meshgate.list_lobbies(game)
	elif args.has("match"):
		var ticket: int = _meshgate.find_match(game, int(args.get("min", 2)), int(args.get("max", 2)),
				_properties(str(args.get("props", ""))), float(args.get("skill", 0)), kind, {"mesh": mesh})
		err = OK if ticket > 0 else FAILED
	elif args.has("code"):
		err = _meshgate.join_by_code(str(args.code))
	elif args.has("create"):
		var visibility: int = {"public": MeshgateNode.Visibility.PUBLIC, "private": MeshgateNode.Visibility.PRIVATE}\
				.get(args.get("visibility", ""), MeshgateNode.Visibility.UNLISTED)
		err = _meshgate.create_lobby(kind, game, mesh, visibility)
	elif lobby == "*":
		err = _meshgate.quick_play(kind, game, mesh)
	else:
		err = _meshgate.join_lobby(lobby)
	if err != OK:
		_finish(false, "request failed: %s" % error_string(err))
		return
	print("BOT-START|%s|%s|%s|%s" % [url, hosting, "mesh" if mesh else "client/server", "relay" if relay else "webrtc"])


## "k:v,k:v" into a Dictionary of Strings.
static func _properties(text: String) -> Dictionary:
	var properties := {}
	for pair in text.split(",", false):
		var kv := pair.split(":", true, 1)
		if kv.size() == 2:
			properties[kv[0]] = kv[1]
	return properties


func _on_lobby_joined(lobby_name: String, id: int, code: String) -> void:
	print("BOT-JOINED|%s|%d" % [lobby_name, id])
	if not code.is_empty():
		print("BOT-CODE|%s" % code)


func _on_lobbies_listed(lobbies: Array, _next: int, error: String) -> void:
	var shown := lobbies.map(func(l: Dictionary) -> String:
		return "%s:%s:%d/%d" % [l.get("name", ""), l.get("game", ""), int(l.get("players", 0)),
				int(l.get("capacity", 0))])
	print("BOT-LOBBIES|%d|%s" % [lobbies.size(), ",".join(shown)])
	_finish(error.is_empty(), "listed" if error.is_empty() else error)


func _on_ticket_changed(ticket: int, state: String, details: Dictionary) -> void:
	print("BOT-TICKET|%d|%s|%s" % [ticket, state, JSON.stringify(details)])
	if state in ["cancelled", "expired", "refused"]:
		_finish(false, "ticket %s: %s" % [state, details.get("reason", "")])


func _on_channels_open(peer_id: int) -> void:
	if _webrtc_cut_msec >= 0 and peer_id == 1:
		print("BOT-REOPENED|1|after-ms=%d" % (Time.get_ticks_msec() - _webrtc_cut_msec))
		_webrtc_cut_msec = -1
	_peers_open[peer_id] = true
	_most_peers = maxi(_most_peers, _peers_open.size())
	var through_server := hosting == "server"
	if _open_msec < 0 and (not through_server or peer_id == 1):
		_open_msec = Time.get_ticks_msec()
		print("BOT-CHANNELS-OPEN|%d|since-join-ms=%d|since-start-ms=%d|%s" % [peer_id, _open_msec - _join_sent_msec,
				_open_msec - _started_msec, _meshgate.transport])
	if not through_server:
		multiplayer.send_bytes(var_to_bytes({"hello": multiplayer.get_unique_id()}), peer_id)
		_hello_by_rpc.rpc_id(peer_id)


## The same hello as a remote call: RPCs (and the node path caching under them) reach the other peer too.
@rpc("any_peer", "call_remote", "reliable")
func _hello_by_rpc() -> void:
	_rpc_hellos[multiplayer.get_remote_sender_id()] = true


func _on_peer_packet(id: int, packet: PackedByteArray) -> void:
	var message: Variant = bytes_to_var(packet)
	if typeof(message) == TYPE_DICTIONARY and message.has("hello"):
		_hellos[id] = true
	elif id == 1 and (_tictactoe != null or TicTacToeState.is_welcome(message)):
		if _tictactoe == null:
			_tictactoe = TicTacToeState.new()
		_tictactoe.receive(message)
		_play_tictactoe()
	elif id == 1:
		_arena.receive(message, Time.get_ticks_msec())


## A random free cell on its turn; the game is over when the server says so.
func _play_tictactoe() -> void:
	if _finished:
		return
	if not _tictactoe.winner.is_empty():
		var names: Array = _tictactoe.players.values()
		names.sort()
		print("BOT-RESULT|game=tictactoe|mark=%s|winner=%s|moves=%d|players=%d|names=%s" % [_tictactoe.mark,
				_tictactoe.winner, _moves, _tictactoe.players.size(), ",".join(names)])
		_finish(true, "played noughts and crosses")
	elif _tictactoe.my_turn():
		var free := _tictactoe.free_cells()
		_moves += 1
		multiplayer.send_bytes(var_to_bytes(TicTacToeState.move(free[randi() % free.size()])), 1,
				MultiplayerPeer.TRANSFER_MODE_RELIABLE)


func _process(delta: float) -> void:
	if _finished:
		return
	var now := Time.get_ticks_msec()
	if now - _started_msec > int(timeout * 1000):
		_finish(false, "timed out")
		return
	if _open_msec < 0 or _tictactoe != null:
		return
	if _playing_since < 0 and _peers_open.size() >= expect_peers:
		_playing_since = now
		_snapshots_at_start = _arena.snapshots_received
	if _playing_since < 0:
		return
	if hosting == "server":
		_since_input += delta
		if _since_input >= INPUT_INTERVAL and multiplayer.get_peers().has(1):
			_since_input = 0.0
			_seq += 1
			if _seq % 20 == 0:
				_direction = _direction.rotated(PI / 2) # a square path, so the bot crosses the arena
			multiplayer.send_bytes(var_to_bytes({"move": _direction, "seq": _seq}), 1,
					MultiplayerPeer.TRANSFER_MODE_UNRELIABLE_ORDERED)
	if cut_webrtc_after >= 0 and now - _playing_since >= cut_webrtc_after * 1000:
		cut_webrtc_after = -1.0
		var rtc := multiplayer.multiplayer_peer as WebRTCMultiplayerPeer
		if rtc != null and rtc.has_peer(1):
			_webrtc_cut_msec = now
			print("BOT-CUT|webrtc")
			rtc.get_peer(1).connection.close()
	if now - _playing_since >= seconds * 1000:
		_report(now)


func _report(now: int) -> void:
	var played := (now - _playing_since) / 1000.0
	if hosting == "server":
		var rate := (_arena.snapshots_received - _snapshots_at_start) / played
		print("BOT-PEERS|%s" % ",".join(_peers_open.keys().map(func(p): return str(p))))
		var leaves := _arena.events.filter(func(e: String) -> bool: return e.ends_with(" left")).size()
		print("BOT-RESULT|game=arena|snapshots=%d|snapshot-rate=%.1f|players=%d|score=%d|inputs=%d|leaves=%d|id=%d" % [
			_arena.snapshots_received, rate, _arena.most_players, _arena.scores.get(multiplayer.get_unique_id(), 0), _seq,
			leaves, multiplayer.get_unique_id()])
		_finish(_arena.snapshots_received > 0 and _arena.my_id == multiplayer.get_unique_id(), "played %.1f s" % played)
	else:
		# Peers that finish first leave: the count that matters is the most that were open at once.
		print("BOT-RESULT|peers=%d|hellos=%d|rpcs=%d|id=%d|%s" % [_most_peers, _hellos.size(), _rpc_hellos.size(),
				multiplayer.get_unique_id(), _meshgate.transport])
		_finish(_hellos.size() >= expect_peers and _rpc_hellos.size() >= expect_peers,
				"mesh of %d" % (_most_peers + 1))


func _finish(ok: bool, why: String) -> void:
	if _finished:
		return
	_finished = true
	print("BOT-DONE|%s|%s" % ["ok" if ok else "fail", why])
	if ok:
		await get_tree().create_timer(LINGER_SECONDS).timeout
	_meshgate.leave()
	multiplayer.multiplayer_peer = null
	get_tree().quit(0 if ok else 1)
