extends "res://scripts/signaling_client.gd"
## The WebRTC side of the lobby: a WebRTCMultiplayerPeer set as the scene tree's multiplayer peer, one
## WebRTCPeerConnection per peer the lobby announces, and Godot's rule that the peer with the larger id offers.

signal channels_open(peer_id: int)
## WebRTC to the server did not come up in time: the client now plays the same lobby through the server's relay.
signal fell_back_to_relay(lobby: String)

var rtc_mp := WebRTCMultiplayerPeer.new()
var relay_mp: WebSocketMultiplayerPeer
var my_id := 0
var ice_servers: Array = []
## In a server-hosted lobby, how long WebRTC to the server may take before the client switches to the relay.
var fallback_after_msec := 8000
## For tests: act as if UDP were blocked (the server's answer and candidates are ignored), so WebRTC never connects.
var break_webrtc := false
## Whether the server hosts the lobby (only then is peer 1 the server, and the relay a way to reach it).
var server_hosted := false
var _url := ""
var _lobby_name := ""
var _host_announced_msec := -1


func _init() -> void:
	connected.connect(_on_connected)
	disconnected.connect(_on_disconnected)
	peer_connected.connect(_on_peer_connected)
	peer_disconnected.connect(_on_peer_disconnected)
	offer_received.connect(_on_offer_received)
	answer_received.connect(_on_answer_received)
	candidate_received.connect(_on_candidate_received)


func _ready() -> void:
	multiplayer.peer_connected.connect(func(id: int) -> void: channels_open.emit(id))
	lobby_joined.connect(func(lobby: String) -> void: _lobby_name = lobby)


func connect_to_url(url: String, lobby: String, id: int) -> Error:
	_url = url
	_host_announced_msec = -1
	return super.connect_to_url(url, lobby, id)


func stop() -> void:
	if multiplayer.multiplayer_peer in [rtc_mp, relay_mp]:
		multiplayer.multiplayer_peer = null
	rtc_mp.close()
	if relay_mp:
		relay_mp.close()
	close()


func _process(delta: float) -> void:
	super._process(delta)
	var waiting := _host_announced_msec >= 0 and relay_mp == null and not multiplayer.get_peers().has(1)
	if waiting and Time.get_ticks_msec() - _host_announced_msec > fallback_after_msec:
		_fall_back_to_relay()


## Joins the same lobby through the server's relay, then leaves signaling: in that order, so that a lobby whose only
## player is this one is not closed in between.
func _fall_back_to_relay() -> void:
	relay_mp = WebSocketMultiplayerPeer.new()
	var err := relay_mp.create_client(relay_url(_url, _lobby_name))
	if err != OK:
		push_error("Relay connection failed: %d" % err)
		relay_mp = null
		_host_announced_msec = -1 # one attempt: a client that cannot even open a socket will not do better next frame
		return
	multiplayer.multiplayer_peer = relay_mp
	fell_back_to_relay.emit(_lobby_name)
	multiplayer.connected_to_server.connect(_leave_signaling, CONNECT_ONE_SHOT)


## The relay lives at the server's root whatever path signaling was reached on (Godot 4's dialect answers on any).
static func relay_url(signaling_url: String, lobby: String) -> String:
	var host_end := signaling_url.find("/", signaling_url.find("://") + 3)
	var base := signaling_url if host_end < 0 else signaling_url.substr(0, host_end)
	return "%s/relay/%s" % [base, lobby]


func _leave_signaling() -> void:
	rtc_mp.close()
	close()


func _on_connected(id: int, use_mesh: bool) -> void:
	my_id = id
	if use_mesh:
		rtc_mp.create_mesh(id)
	elif id == 1:
		rtc_mp.create_server()
	else:
		rtc_mp.create_client(id)
	multiplayer.multiplayer_peer = rtc_mp


func _on_disconnected() -> void:
	if multiplayer.multiplayer_peer == rtc_mp:
		multiplayer.multiplayer_peer = null
	if relay_mp == null:
		rtc_mp.close()


func _on_peer_connected(id: int) -> void:
	if id == 1 and server_hosted:
		_host_announced_msec = Time.get_ticks_msec()
	var connection := WebRTCPeerConnection.new()
	connection.initialize({"iceServers": ice_servers})
	connection.session_description_created.connect(_on_description_created.bind(id))
	connection.ice_candidate_created.connect(_on_ice_candidate_created.bind(id))
	rtc_mp.add_peer(connection, id)
	if id < rtc_mp.get_unique_id():
		connection.create_offer()


func _on_peer_disconnected(id: int) -> void:
	if rtc_mp.has_peer(id):
		rtc_mp.remove_peer(id)


func _on_description_created(type: String, sdp: String, id: int) -> void:
	if not rtc_mp.has_peer(id):
		return
	rtc_mp.get_peer(id).connection.set_local_description(type, sdp)
	if type == "offer":
		send_offer(id, sdp)
	else:
		send_answer(id, sdp)


func _on_ice_candidate_created(mid: String, index: int, sdp: String, id: int) -> void:
	send_candidate(id, mid, index, sdp)


func _on_offer_received(id: int, offer: String) -> void:
	if rtc_mp.has_peer(id):
		rtc_mp.get_peer(id).connection.set_remote_description("offer", offer)


func _on_answer_received(id: int, answer: String) -> void:
	if break_webrtc:
		return
	if rtc_mp.has_peer(id):
		rtc_mp.get_peer(id).connection.set_remote_description("answer", answer)


func _on_candidate_received(id: int, mid: String, index: int, sdp: String) -> void:
	if break_webrtc:
		return
	if rtc_mp.has_peer(id):
		rtc_mp.get_peer(id).connection.add_ice_candidate(mid, index, sdp)
