extends Node
## Godot 4's WebRTC signaling over a WebSocket, as Godot's own demo speaks it: one JSON object
## {"type", "id", "data"} per text message, one signal per event. Knows nothing of WebRTC.

enum Message { JOIN, ID, PEER_CONNECT, PEER_DISCONNECT, OFFER, ANSWER, CANDIDATE, SEAL }

## JOIN data asking the server for any open lobby of the wanted kind (Meshgate's quick play).
const QUICK_PLAY := "*"

signal lobby_joined(lobby: String)
signal connected(id: int, use_mesh: bool)
signal disconnected()
signal peer_connected(id: int)
signal peer_disconnected(id: int)
signal offer_received(id: int, offer: String)
signal answer_received(id: int, answer: String)
signal candidate_received(id: int, mid: String, index: int, sdp: String)
signal lobby_sealed()

var ws := WebSocketPeer.new()
var close_code := 1000
var close_reason := ""
var _old_state := WebSocketPeer.STATE_CLOSED
var _join_pending := false
var _join_id := 0
var _join_lobby := ""


## The JOIN id for a lobby: Godot's 0 (mesh) or 1 (client/server), plus Meshgate's hosting flags
## (2: the server is peer 1, 4: the creator is). hosting is "server", "peer", or "" for the server's default.
static func join_id(mesh: bool, hosting: String) -> int:
	var id := 0 if mesh else 1
	if hosting == "server":
		id += 2
	elif hosting == "peer":
		id += 4
	return id


## Connects and, once open, joins `lobby` ("" creates one, QUICK_PLAY finds one).
func connect_to_url(url: String, lobby: String, id: int) -> Error:
	close()
	close_code = 1000
	close_reason = ""
	_join_lobby = lobby
	_join_id = id
	_join_pending = true
	return ws.connect_to_url(url)


func close() -> void:
	ws.close()


func seal_lobby() -> void:
	_send(Message.SEAL, 0)


func send_offer(id: int, offer: String) -> void:
	_send(Message.OFFER, id, offer)


func send_answer(id: int, answer: String) -> void:
	_send(Message.ANSWER, id, answer)


func send_candidate(id: int, mid: String, index: int, sdp: String) -> void:
	_send(Message.CANDIDATE, id, "\n%s\n%d\n%s" % [mid, index, sdp])


func _process(_delta: float) -> void:
	ws.poll()
	var state := ws.get_ready_state()
	if state == WebSocketPeer.STATE_OPEN and _join_pending:
		_join_pending = false
		_send(Message.JOIN, _join_id, _join_lobby)
	while state == WebSocketPeer.STATE_OPEN and ws.get_available_packet_count() > 0:
		if not _parse(ws.get_packet().get_string_from_utf8()):
			push_warning("Malformed signaling message from the server")
	if state != _old_state and state == WebSocketPeer.STATE_CLOSED:
		close_code = ws.get_close_code()
		close_reason = ws.get_close_reason()
		disconnected.emit()
	_old_state = state


func _parse(text: String) -> bool:
	var parsed = JSON.parse_string(text)
	if typeof(parsed) != TYPE_DICTIONARY or not parsed.has("type") or not parsed.has("id"):
		return false
	if typeof(parsed.get("data")) != TYPE_STRING:
		return false
	var type := int(parsed.type)
	var id := int(parsed.id)
	var data: String = parsed.data
	match type:
		Message.ID:
			connected.emit(id, data == "true")
		Message.JOIN:
			lobby_joined.emit(data)
		Message.SEAL:
			lobby_sealed.emit()
		Message.PEER_CONNECT:
			peer_connected.emit(id)
		Message.PEER_DISCONNECT:
			peer_disconnected.emit(id)
		Message.OFFER:
			offer_received.emit(id, data)
		Message.ANSWER:
			answer_received.emit(id, data)
		Message.CANDIDATE:
			var parts := data.split("\n", false)
			if parts.size() != 3 or not parts[1].is_valid_int():
				return false
			candidate_received.emit(id, parts[0], parts[1].to_int(), parts[2])
		_:
			return false
	return true


func _send(type: int, id: int, data: String = "") -> void:
	ws.send_text(JSON.stringify({"type": type, "id": id, "data": data}))
