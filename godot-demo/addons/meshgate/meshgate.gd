class_name Meshgate
extends Node
## A Meshgate server as one node: lobbies, the lobby browser, join codes, matchmaking, and the connection a game
## plays over.
##
## Add it to a scene, set [member url], call [method create_lobby], [method join_lobby], [method join_by_code],
## [method quick_play] or [method find_match], and connect to the signals. Once in a lobby the node sets the
## [member MultiplayerAPI.multiplayer_peer] of its [member Node.multiplayer]: a [WebRTCMultiplayerPeer] to the
## lobby's other members, or, when WebRTC to a server-hosted lobby does not open within
## [member relay_fallback_seconds], a [WebSocketMultiplayerPeer] through the server's relay. RPCs,
## [method MultiplayerAPI.send_bytes] and [signal MultiplayerAPI.peer_connected] then work as with any peer.
##
## Every signal is emitted on the main thread, from [method Node._process]. A request made while another is under
## way on the same connection waits its turn; joining while in a lobby fails with [constant ERR_ALREADY_IN_USE]:
## [method leave] first.

const Signaling := preload("signaling.gd")

## Who is peer 1 of a new lobby: the server's configured default, the server itself (running one of its games), or
## the player who creates it (the game runs in the players' engines).
enum Hosting { DEFAULT, SERVER, PEER }
## Who can find a new lobby: only who is told its name, anyone listing public lobbies, or who has its join code.
enum Visibility { UNLISTED, PUBLIC, PRIVATE }

## This player is in [param lobby] as [param peer_id] (1: it hosts). [param code] is the join code of a private lobby
## to share with friends, else "".
signal lobby_joined(lobby: String, peer_id: int, code: String)
## A join, create or quick play was refused before this player got into a lobby: [param reason] is the server's
## (for example "Lobby is full", "No lobby has that code") or "Could not reach the server".
signal join_failed(reason: String)
## This player is no longer in its lobby: [param reason] is the server's ("Room host has disconnected", a game's own
## words, ...), or "" after [method leave].
signal lobby_left(reason: String)
## The server announced another member; [signal peer_ready] follows once the game can reach it.
signal peer_joined(peer_id: int)
## A member left the lobby.
signal peer_left(peer_id: int)
## The game can now send to [param peer_id]: its WebRTC channels, or the relay, are open.
signal peer_ready(peer_id: int)
## The lobby's host sealed it: nobody else may join.
signal lobby_sealed()
## A page of public lobbies, each a Dictionary with [code]name[/code], [code]game[/code], [code]label[/code] (a
## Dictionary), [code]hosting[/code] ("server" or "peer"), [code]mesh[/code], [code]players[/code] and
## [code]capacity[/code]. Pass [param next] to [method list_lobbies] for the next page (0: this was the last).
## [param error] is the server's when it refused to list ("" otherwise).
signal lobbies_listed(lobbies: Array, next: int, error: String)
## A ticket from [method find_match] changed: [param state] is "waiting" ([param details] has
## [code]players_in_reach[/code] and [code]settles_in_ms[/code]), "gathering" (a party: [code]party_members[/code] of
## [code]party_size[/code]), "matched" ([code]lobby[/code], [code]seat[/code], [code]hosting[/code]), or how it ended:
## "cancelled", "expired" or "refused" ([code]reason[/code]).
signal ticket_changed(ticket: int, state: String, details: Dictionary)
## WebRTC to peer 1 (the server, or the lobby's host) did not open in time: this player now plays the same lobby
## through the server's relay, under a new [member peer_id] (in a peer-hosted lobby the server connects to the
## members in its name, and they see it leave and join again).
signal fell_back_to_relay(lobby: String)
## The connection to the server dropped while in a lobby (a network change, a stalled tab): the node is taking the
## seat back, try number [param attempt]. The game goes on over WebRTC meanwhile wherever its connections are up; a
## relay player is offline until [signal resumed].
signal reconnecting(attempt: int)
## The seat is back after a dropped connection: same lobby, same [param peer_id]; [param away_msec] from the drop.
signal resumed(lobby: String, peer_id: int, away_msec: int)

## The server's WebSocket address, for example [code]ws://play.example.com:9080/[/code].
@export var url := "ws://127.0.0.1:9080/"
## The name the server's games see for this player (at most 32 characters); "" for none.
@export var player_name := ""
## How long WebRTC to peer 1 (the server, or a peer-hosted lobby's host) may take before the node switches to the
## relay.
@export var relay_fallback_seconds := 8.0
## When a ticket is matched, join its lobby at once (with the seat the match holds). Off: the game decides, from
## [signal ticket_changed], and calls [method take_seat].
@export var join_matches := true
## How long the node tries to take its seat back after a dropped connection (the server holds it about 20 s), with
## waits that double from a quarter of a second up to 4 s. 0: never (a relay player then leaves when its socket
## drops). A relay seat the server no longer holds looks like a network still down, so tries go on this long.
@export var resume_seconds := 20.0
## Play server-hosted lobbies through the server's relay from the start, never WebRTC: for a build or platform
## without WebRTC. Only joins (by name, quick play, a matched seat); a lobby cannot be created this way.
@export var play_through_relay := false
## The signed token (a JWT) the game's backend gave this player, for a server that authenticates: sent as
## [code]?token=[/code] on every connection (the only place a web export can put it). "" when the server does not ask.
var token := ""
## What the server's games see of this player besides its name: at most 16 short String values.
var metadata: Dictionary = {}
## ICE servers for [method WebRTCPeerConnection.initialize] besides the server's, for example
## [code][{"urls": ["stun:stun.example.com:3478"]}][/code]. A server configured with STUN or TURN servers hands each
## player its own list, with TURN credentials that expire, on every join: those are used too (see
## [member server_ice_servers]).
var ice_servers: Array = []
## The ICE servers the server handed this player when it last joined a lobby (its TURN credentials included);
## empty when the server has none.
var server_ice_servers: Array = []
## For tests: ignore every WebRTC offer, answer and candidate that comes in, as if UDP were blocked.
var simulate_blocked_webrtc := false

## The lobby this player is in ("" when none; "*" after a relay quick play, whose lobby is not named to it).
var lobby := ""
## This player's id in its lobby (1: it hosts); 0 when in none.
var peer_id := 0
## The lobby's join code when it is private, else "".
var join_code := ""
## Whether the server is the lobby's peer 1, running one of its games.
var server_hosted := false
## How this player reaches the lobby: "webrtc", "relay", or "" when in none.
var transport := ""

var _signaling := Signaling.new()
var _rtc: WebRTCMultiplayerPeer
var _relay: WebSocketMultiplayerPeer
var _joining := false
var _in_lobby := false
var _sealed := false
var _tickets := {}
var _next_ticket := 1
var _host_announced_msec := -1
var _mesh := false
## The matched seat this player showed, which a fall back to the relay shows again.
var _seat := ""
## The token that takes this player's seat back after a dropped connection; a new one comes with every join answer.
var _resume_token := ""
## While taking the seat back: when the connection dropped, the tries so far, and when the next one goes.
var _dropped_at_msec := -1
var _reconnect_attempt := 0
var _reconnect_at_msec := -1
## Whether WebRTC to the server (peer 1 of a server-hosted lobby) has been open: once it closes, the node offers anew.
var _host_was_open := false
## The key that takes this player's relay seat back after a dropped connection. The relay cannot tell a client a
## token (Godot's WebSocket multiplayer reads only its id), so the node makes its own, new for every connection.
var _relay_key := ""
## The key of the relay connection being made, which becomes [member _relay_key] once it is open.
var _next_relay_key := ""
## How the relay connection ended: its close code (-1: without a close frame), read before Godot forgets it.
var _relay_close_code := -1


func _init() -> void:
	_signaling.received.connect(_on_message)
	_signaling.closed.connect(_on_signaling_closed)


func _ready() -> void:
	multiplayer.peer_connected.connect(_on_multiplayer_peer_connected)
	multiplayer.connected_to_server.connect(_on_relay_connected)
	multiplayer.connection_failed.connect(_on_relay_ended)
	multiplayer.server_disconnected.connect(_on_relay_ended)


func _process(_delta: float) -> void:
	_signaling.poll()
	if _reconnect_at_msec >= 0 and Time.get_ticks_msec() >= _reconnect_at_msec:
		_reconnect_at_msec = -1
		_reconnect_attempt += 1
		reconnecting.emit(_reconnect_attempt)
		if transport == "relay":
			_retake_relay_seat()
		else:
			var message := {"type": Signaling.Type.JOIN, "id": 0, "data": lobby, "resume": _resume_token}
			if _signaling.send(_server_url(), message) != OK:
				_take_seat_back()
	if _host_was_open and server_hosted and transport == "webrtc" and _dropped_at_msec < 0 and _rtc != null \
			and not _rtc.has_peer(1):
		_connect_to_host_again()
	if _host_announced_msec >= 0 and transport == "webrtc" and not _peer_open(1) \
			and _dropped_at_msec < 0:
		if Time.get_ticks_msec() - _host_announced_msec > int(relay_fallback_seconds * 1000):
			_fall_back_to_relay()


## Whether this player is in a lobby.
func is_in_lobby() -> bool:
	return _in_lobby


## Creates a lobby and joins it as its first member. [param hosting]: who is peer 1; a server-hosted lobby runs
## [param game] (one of the server's games, "" for its default). [param mesh]: every member connects to every other,
## not only to peer 1. [param visibility]: [constant Visibility.PUBLIC] lists it in [method list_lobbies],
## [constant Visibility.PRIVATE] gives it a join code. [param options] reach the server's game when it starts.
func create_lobby(hosting := Hosting.DEFAULT, game := "", mesh := false, visibility := Visibility.UNLISTED,
		options := {}) -> Error:
	if play_through_relay:
		return ERR_UNAVAILABLE
	var message := _join_message("", _join_id(mesh, hosting))
	if not game.is_empty():
		message["game"] = game
	if visibility == Visibility.PUBLIC:
		message["public"] = true
	elif visibility == Visibility.PRIVATE:
		message["private"] = true
	if not options.is_empty():
		message["options"] = options
	return _join(message)


## Joins the lobby named [param lobby_name] (a name another player shared, or one from [method list_lobbies]).
func join_lobby(lobby_name: String) -> Error:
	if play_through_relay:
		return _join_relay(lobby_name, "")
	return _join(_join_message(lobby_name, 0))


## Joins the private lobby whose join [param code] a friend shared (case and spaces around it do not matter).
func join_by_code(code: String) -> Error:
	var message := _join_message("", 0)
	message["code"] = code.strip_edges()
	return _join(message)


## Joins any open lobby of the kind asked for, or creates one when none has room.
func quick_play(hosting := Hosting.DEFAULT, game := "", mesh := false) -> Error:
	if play_through_relay:
		return _join_relay("*", "" if game.is_empty() else "game=" + game.uri_encode())
	var message := _join_message("*", _join_id(mesh, hosting))
	if not game.is_empty():
		message["game"] = game
	return _join(message)


## Asks for a page of public lobbies, answered by [signal lobbies_listed]: those of [param game] ("" for any) whose
## label holds every entry of [param label], with a free seat if [param free_only], after [param after] (the
## previous page's [code]next[/code]), at most [param limit] (1 to 50).
func list_lobbies(game := "", label := {}, free_only := false, after := 0, limit := 20) -> Error:
	var message := {"type": Signaling.Type.LIST, "id": 0, "data": "", "limit": limit}
	if not game.is_empty():
		message["game"] = game
	if not label.is_empty():
		message["label"] = label
	if free_only:
		message["free"] = true
	if after > 0:
		message["after"] = after
	return _signaling.send(_server_url(), message)


## Asks the matchmaker for a match of [param min_players] to [param max_players] players of [param game] ("" for
## the server's default), with players whose [param properties] (String values: a region, a mode) are the same and
## whose [param skill] is close. With [constant Hosting.PEER] the game runs in the players' engines (any name they
## agree on) and the first of them to arrive hosts. [param more] adds the rarer keys: [code]count_multiple[/code]
## (team sizes), [code]party[/code] and [code]party_size[/code] (friends matched together), [code]mesh[/code].
## Returns the ticket's number, which [signal ticket_changed] reports on, or -1 if the request could not be sent.
func find_match(game := "", min_players := 2, max_players := 2, properties := {}, skill := 0.0,
		hosting := Hosting.SERVER, more := {}) -> int:
	var ticket := _next_ticket
	_next_ticket += 1
	var message := {"type": Signaling.Type.TICKET, "id": ticket, "data": "", "min": min_players,
			"max": max_players, "skill": skill}
	if not game.is_empty():
		message["game"] = game
	if not properties.is_empty():
		message["properties"] = properties
	if hosting == Hosting.PEER:
		message["hosting"] = "peer"
	message.merge(more)
	if _signaling.send(_server_url(), message) != OK:
		return -1
	_tickets[ticket] = true
	return ticket


## Withdraws a waiting ticket; [signal ticket_changed] reports it cancelled.
func cancel_match(ticket: int) -> void:
	if _tickets.has(ticket):
		_signaling.send(_server_url(), {"type": Signaling.Type.CANCEL, "id": ticket, "data": ""})


## Joins the lobby a matched ticket names with its [param seat] (see [member join_matches]).
func take_seat(lobby_name: String, seat: String) -> Error:
	if play_through_relay:
		return _join_relay(lobby_name, "seat=" + seat.uri_encode())
	var message := _join_message(lobby_name, 0)
	message["seat"] = seat
	var err := _join(message)
	if err == OK:
		_seat = seat
	return err


## Seals the lobby (its creator only): nobody else may join, and the server lets the lobby go soon after. In a
## peer-hosted lobby the players keep their WebRTC connections.
func seal_lobby() -> void:
	if _in_lobby and transport == "webrtc":
		_signaling.send(_server_url(), {"type": Signaling.Type.SEAL, "id": 0, "data": ""})


## Leaves the lobby (or a join under way) and withdraws every ticket; [signal lobby_left] follows with "".
func leave() -> void:
	var was_in := _in_lobby
	_signaling.close()
	_end_tickets("Left")
	_stop_multiplayer()
	_joining = false
	if was_in:
		lobby_left.emit("")


## The relay lives at the server's root whatever path signaling was reached on.
static func relay_url(signaling_url: String, lobby_name: String, query := "") -> String:
	var host_end := signaling_url.find("/", signaling_url.find("://") + 3)
	var base := signaling_url if host_end < 0 else signaling_url.substr(0, host_end)
	return "%s/relay/%s%s" % [base, lobby_name.uri_encode(), "" if query.is_empty() else "?" + query]


func _server_url() -> String:
	return _with_token(url)


func _with_token(address: String) -> String:
	if token.is_empty():
		return address
	return "%s%stoken=%s" % [address, "&" if address.contains("?") else "?", token.uri_encode()]


## The JOIN id for a lobby: Godot's 0 (mesh) or 1 (client/server), plus Meshgate's flags for who hosts.
static func _join_id(mesh: bool, hosting: Hosting) -> int:
	var id := 0 if mesh else 1
	if hosting == Hosting.SERVER:
		id += 2
	elif hosting == Hosting.PEER:
		id += 4
	return id


func _join_message(data: String, id: int) -> Dictionary:
	var message := {"type": Signaling.Type.JOIN, "id": id, "data": data}
	if not player_name.is_empty():
		message["name"] = player_name
	if not metadata.is_empty():
		message["meta"] = metadata
	return message


func _join(message: Dictionary) -> Error:
	if _in_lobby or _joining:
		return ERR_ALREADY_IN_USE
	var err := _signaling.send(_server_url(), message)
	if err == OK:
		_joining = true
		_sealed = false
	return err


func _join_relay(lobby_name: String, query: String) -> Error:
	if _in_lobby or _joining:
		return ERR_ALREADY_IN_USE
	var args := query
	if not player_name.is_empty():
		args += ("&" if not args.is_empty() else "") + "name=" + player_name.uri_encode()
	var err := _open_relay(lobby_name, args)
	if err != OK:
		return err
	_joining = true
	lobby = lobby_name
	server_hosted = true
	transport = "relay"
	multiplayer.multiplayer_peer = _relay
	return OK


func _on_message(message: Dictionary) -> void:
	var type := int(message.type)
	var id := int(message.id)
	var data: String = str(message.get("data", ""))
	match type:
		Signaling.Type.ID:
			var ice: Variant = message.get("ice", [])
			server_ice_servers = ice if ice is Array else []
			if _rtc == null or peer_id != id:
				_start_webrtc(id, data == "true")
		Signaling.Type.JOIN:
			lobby = data
			join_code = str(message.get("code", ""))
			server_hosted = message.get("hosting", "") == "server"
			_resume_token = str(message.get("resume", ""))
			_joining = false
			_in_lobby = true
			if _dropped_at_msec >= 0:
				var away := Time.get_ticks_msec() - _dropped_at_msec
				_dropped_at_msec = -1
				resumed.emit(lobby, peer_id, away)
			else:
				lobby_joined.emit(lobby, peer_id, join_code)
		Signaling.Type.PEER_CONNECT:
			if _rtc != null and _rtc.has_peer(id):
				return # announced again while the seat was away: its connection is still here
			_add_peer(id)
			peer_joined.emit(id)
		Signaling.Type.PEER_DISCONNECT:
			if _rtc != null and _rtc.has_peer(id):
				_rtc.remove_peer(id)
			peer_left.emit(id)
		Signaling.Type.OFFER:
			if _rtc != null and _rtc.has_peer(id) and not simulate_blocked_webrtc:
				_rtc.get_peer(id).connection.set_remote_description("offer", data)
		Signaling.Type.ANSWER:
			if _rtc != null and _rtc.has_peer(id) and not simulate_blocked_webrtc:
				_rtc.get_peer(id).connection.set_remote_description("answer", data)
		Signaling.Type.CANDIDATE:
			var parts := data.split("\n", false)
			if parts.size() == 3 and parts[1].is_valid_int() and _rtc != null and _rtc.has_peer(id) \
					and not simulate_blocked_webrtc:
				_rtc.get_peer(id).connection.add_ice_candidate(parts[0], parts[1].to_int(), parts[2])
		Signaling.Type.SEAL:
			_sealed = true
			lobby_sealed.emit()
		Signaling.Type.LOBBIES:
			lobbies_listed.emit(message.get("lobbies", []), int(message.get("next", 0)), str(message.get("error", "")))
		Signaling.Type.TICKET_STATUS:
			_on_ticket_status(id, message)


func _on_ticket_status(ticket: int, message: Dictionary) -> void:
	var state := str(message.get("state", ""))
	var details := {}
	for key in message:
		if key not in ["type", "id", "data", "state"]:
			var value: Variant = message[key]
			details[key] = int(value) if typeof(value) == TYPE_FLOAT else value
	if state not in ["waiting", "gathering"]:
		_tickets.erase(ticket)
	ticket_changed.emit(ticket, state, details)
	if state == "matched" and join_matches and not _in_lobby and not _joining:
		take_seat(str(details.get("lobby", "")), str(details.get("seat", "")))


func _start_webrtc(id: int, mesh: bool) -> void:
	peer_id = id
	_mesh = mesh
	_rtc = WebRTCMultiplayerPeer.new()
	if mesh:
		_rtc.create_mesh(id)
	elif id == 1:
		_rtc.create_server()
	else:
		_rtc.create_client(id)
	multiplayer.multiplayer_peer = _rtc
	transport = "webrtc"


## Godot's rule: of two peers, the one with the larger id offers.
func _add_peer(id: int) -> void:
	if _rtc == null:
		return
	if id == 1:
		_host_announced_msec = Time.get_ticks_msec()
	var connection := WebRTCPeerConnection.new()
	connection.initialize({"iceServers": ice_servers + server_ice_servers})
	connection.session_description_created.connect(_on_description_created.bind(id))
	connection.ice_candidate_created.connect(_on_ice_candidate_created.bind(id))
	_rtc.add_peer(connection, id)
	if id < peer_id:
		connection.create_offer()


func _on_description_created(type: String, sdp: String, id: int) -> void:
	if _rtc == null or not _rtc.has_peer(id):
		return
	_rtc.get_peer(id).connection.set_local_description(type, sdp)
	if _dropped_at_msec >= 0:
		return # while the seat is away there is nobody to tell
	var kind := Signaling.Type.OFFER if type == "offer" else Signaling.Type.ANSWER
	_signaling.send(_server_url(), {"type": kind, "id": id, "data": sdp})


func _on_ice_candidate_created(mid: String, index: int, sdp: String, id: int) -> void:
	if _dropped_at_msec >= 0:
		return
	_signaling.send(_server_url(), {"type": Signaling.Type.CANDIDATE, "id": id,
			"data": "\n%s\n%d\n%s" % [mid, index, sdp]})


func _peer_open(id: int) -> bool:
	return _rtc != null and _rtc.has_peer(id) and _rtc.get_peer(id).connected


func _on_multiplayer_peer_connected(id: int) -> void:
	if multiplayer.multiplayer_peer != null and multiplayer.multiplayer_peer in [_rtc, _relay]:
		if id == 1 and transport == "webrtc":
			_host_was_open = true
			_host_announced_msec = -1 # open: the relay fallback is for a connection that never opens
		peer_ready.emit(id)


## WebRTC to the server ended while the seat is still this player's (a network change): a new connection, offered on
## the signaling connection; the server puts it in place of the old one, and the game goes on.
func _connect_to_host_again() -> void:
	_host_was_open = false
	if not _mesh:
		# A client-mode peer is done once it lost its server: a new one (a mesh keeps its other connections).
		_rtc = WebRTCMultiplayerPeer.new()
		_rtc.create_client(peer_id)
		multiplayer.multiplayer_peer = _rtc
	_add_peer(1) # if this one does not open either, the relay fallback applies as it does at the start


## Joins the same lobby through the relay, then leaves signaling: in that order, so that a lobby whose only player
## is this one is not closed in between.
func _fall_back_to_relay() -> void:
	_host_announced_msec = -1 # one attempt: a client that cannot even open a socket will not do better next frame
	# A matched lobby holds its seats for its players only: the seat goes along, and the server moves it over.
	var err := _open_relay(lobby, "" if _seat.is_empty() else "seat=" + _seat.uri_encode())
	if err != OK:
		push_error("Meshgate: the relay connection failed: %s" % error_string(err))
		return
	if _rtc != null:
		_rtc.close()
		_rtc = null
	multiplayer.multiplayer_peer = _relay
	transport = "relay"
	fell_back_to_relay.emit(lobby)


## A relay connection to [param lobby_name] with [param query], and a key to take its seat back with unless
## resuming is off ([member resume_seconds] 0).
func _open_relay(lobby_name: String, query: String) -> Error:
	var args := query
	_next_relay_key = ""
	if resume_seconds > 0:
		_next_relay_key = _new_resume_key()
		args += ("&" if not args.is_empty() else "") + "resume_key=" + _next_relay_key
	_relay_close_code = -1
	_relay = WebSocketMultiplayerPeer.new()
	_relay.peer_disconnected.connect(_on_relay_peer_gone.bind(_relay))
	var err := _relay.create_client(_with_token(relay_url(url, lobby_name, args)))
	if err != OK:
		_relay = null
	return err


## 144 random bits, URL-safe: nobody else can guess the key and take the seat.
static func _new_resume_key() -> String:
	var bits := Crypto.new().generate_random_bytes(18)
	return Marshalls.raw_to_base64(bits).replace("+", "-").replace("/", "_")


## Godot clears the relay's socket right after this signal, so its close code is read here or never.
func _on_relay_peer_gone(id: int, relay: WebSocketMultiplayerPeer) -> void:
	if id == 1 and relay == _relay:
		_relay_close_code = relay.get_peer(1).get_close_code()


## One try at the relay seat the dropped connection left, with its key and a new one for the next time.
func _retake_relay_seat() -> void:
	if _open_relay(lobby, "resume=" + _relay_key) != OK:
		_take_seat_back()
		return
	multiplayer.multiplayer_peer = _relay


func _on_relay_connected() -> void:
	if transport != "relay" or multiplayer.multiplayer_peer != _relay:
		return
	peer_id = _relay.get_unique_id()
	_relay_key = _next_relay_key
	if _dropped_at_msec >= 0:
		var away := Time.get_ticks_msec() - _dropped_at_msec
		_dropped_at_msec = -1
		resumed.emit(lobby, peer_id, away)
		return
	if _joining:
		_joining = false
		_in_lobby = true
		lobby_joined.emit(lobby, peer_id, "")
	else:
		_signaling.close() # fell back: the relay seat is taken, the signaling one can go


func _on_relay_ended() -> void:
	if transport != "relay" or multiplayer.multiplayer_peer != _relay:
		return
	# Without a close frame (or with 1001/1006) the connection dropped, and the server holds the seat a while. A try
	# at taking it back that fails counts the same: the server's refusal looks no different from a network that is
	# still down (the code of a close before the id is lost), so tries go on until the window is over.
	var dropped := _relay_close_code in [-1, 1001, 1006]
	if _in_lobby and not _relay_key.is_empty() and (dropped or _dropped_at_msec >= 0):
		_take_seat_back()
		return
	# WebSocketMultiplayerPeer forgets its server's reason before telling of the close.
	var was_in := _in_lobby
	_stop_multiplayer()
	_joining = false
	_signaling.close()
	if was_in:
		lobby_left.emit("Connection to the server closed")
	else:
		join_failed.emit("The server refused the relay connection")


func _on_signaling_closed(code: int, reason: String) -> void:
	if transport == "relay":
		return # the relay carries the lobby now
	# No close frame (-1 natively, 1006 in a browser): the connection dropped, and the server holds the seat a while.
	# A try that could not reach the server counts the same: another, while the window lasts.
	var dropped := code == -1 or code == 1006
	var seat_held := _in_lobby and transport == "webrtc" and not _resume_token.is_empty()
	if dropped and (seat_held or _dropped_at_msec >= 0):
		_take_seat_back()
		return
	_dropped_at_msec = -1
	var was_in := _in_lobby
	var was_joining := _joining
	_joining = false
	_end_tickets("Connection to the server closed")
	if was_in and _sealed and not server_hosted and code == 1000:
		# A sealed peer-hosted lobby: the server let it go, the players keep their WebRTC connections.
		_in_lobby = false
		lobby_left.emit(reason)
		return
	_stop_multiplayer()
	if was_in:
		lobby_left.emit(reason if not reason.is_empty() else "Connection to the server closed")
	elif was_joining:
		join_failed.emit(reason if not reason.is_empty() else "Could not reach the server")


## Schedules the next try at taking the seat back, or gives up once the server no longer holds it.
func _take_seat_back() -> void:
	var now := Time.get_ticks_msec()
	if _dropped_at_msec < 0:
		_dropped_at_msec = now
		_reconnect_attempt = 0
	if now - _dropped_at_msec > int(resume_seconds * 1000):
		_dropped_at_msec = -1
		_stop_multiplayer()
		lobby_left.emit("Lost the connection to the server")
		return
	_reconnect_at_msec = now + mini(250 << mini(_reconnect_attempt, 4), 4000)


func _end_tickets(reason: String) -> void:
	for ticket in _tickets.keys():
		ticket_changed.emit(ticket, "cancelled", {"reason": reason})
	_tickets.clear()


func _stop_multiplayer() -> void:
	if multiplayer.multiplayer_peer != null and multiplayer.multiplayer_peer in [_rtc, _relay]:
		multiplayer.multiplayer_peer = null
	if _rtc != null:
		_rtc.close()
	if _relay != null:
		_relay.close()
	_rtc = null
	_relay = null
	_in_lobby = false
	_host_announced_msec = -1
	lobby = ""
	peer_id = 0
	join_code = ""
	server_hosted = false
	transport = ""
	_host_was_open = false
	_seat = ""
	_resume_token = ""
	_relay_key = ""
	_dropped_at_msec = -1
	_reconnect_at_msec = -1
