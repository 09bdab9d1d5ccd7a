extends "res://scripts/signaling_client.gd"
## The WebRTC side of the lobby: a WebRTCMultiplayerPeer set as the scene tree's multiplayer peer, one
## WebRTCPeerConnection per peer the lobby announces, and Godot's rule that the peer with the larger id offers.

signal channels_open(peer_id: int)

var rtc_mp := WebRTCMultiplayerPeer.new()
var my_id := 0
var ice_servers: Array = []


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


func stop() -> void:
	multiplayer.multiplayer_peer = null
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
	rtc_mp.close()


func _on_peer_connected(id: int) -> void:
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
	if rtc_mp.has_peer(id):
		rtc_mp.get_peer(id).connection.set_remote_description("answer", answer)


func _on_candidate_received(id: int, mid: String, index: int, sdp: String) -> void:
	if rtc_mp.has_peer(id):
		rtc_mp.get_peer(id).connection.add_ice_candidate(mid, index, sdp)
