extends RefCounted
## Meshgate's Godot 4 signaling over one WebSocket: JSON objects [code]{"type", "id", "data", ...}[/code] in and out.
## Part of the Meshgate node, which owns one; it knows nothing of lobbies or WebRTC.

## Godot's message types, then Meshgate's own (100 and above).
enum Type {
	JOIN = 0,
	ID = 1,
	PEER_CONNECT = 2,
	PEER_DISCONNECT = 3,
	OFFER = 4,
	ANSWER = 5,
	CANDIDATE = 6,
	SEAL = 7,
	LIST = 100,
	LOBBIES = 101,
	TICKET = 102,
	TICKET_STATUS = 103,
	CANCEL = 104,
}

## A message from the server, parsed (JSON numbers arrive as floats).
signal received(message: Dictionary)
## The connection ended: the server's close code and reason (-1, or 1006 in a browser, and "" when it never opened or
## dropped).
signal closed(code: int, reason: String)

## The server's words when it closes a connection that did not join a lobby in time.
const NO_LOBBY_YET := "Have not joined lobby yet"

var _ws: WebSocketPeer
var _url := ""
var _outbox: Array[String] = []
var _open := false
## What this connection sent before the server first answered, and whether it is already a second try.
var _unanswered: Array[String] = []
var _heard := false
var _retried := false


## Whether a connection is open or being opened.
func is_active() -> bool:
	return _ws != null and _ws.get_ready_state() in [WebSocketPeer.STATE_CONNECTING, WebSocketPeer.STATE_OPEN]


## Sends [param message], connecting to [param url] first when no connection is open: a message sent while
## connecting waits for the connection, in order.
func send(url: String, message: Dictionary) -> Error:
	if not is_active():
		_retried = false
		var err := _connect(url)
		if err != OK:
			return err
	_send_text(JSON.stringify(message))
	return OK


func _connect(url: String) -> Error:
	# A socket still closing cannot be reused: a new one, and the old one is let go.
	_ws = WebSocketPeer.new()
	_url = url
	_outbox.clear()
	_unanswered.clear()
	_heard = false
	_open = false
	var err := _ws.connect_to_url(url)
	if err != OK:
		_ws = null
	return err


func _send_text(text: String) -> void:
	if _open:
		_ws.send_text(text)
	else:
		_outbox.append(text)
	if not _heard:
		_unanswered.append(text)


## Closes the connection; no [signal closed] follows for it.
func close() -> void:
	if _ws != null:
		_ws.close()
	_ws = null
	_outbox.clear()
	_unanswered.clear()
	_open = false


## Reads what arrived and reports it; call every frame.
func poll() -> void:
	var ws := _ws
	if ws == null:
		return
	ws.poll()
	var state := ws.get_ready_state()
	if state == WebSocketPeer.STATE_OPEN:
		_open = true
		for text in _outbox:
			ws.send_text(text)
		_outbox.clear()
		while ws == _ws and ws.get_available_packet_count() > 0:
			_heard = true
			_unanswered.clear()
			var parsed: Variant = JSON.parse_string(ws.get_packet().get_string_from_utf8())
			if typeof(parsed) == TYPE_DICTIONARY and parsed.has("type") and parsed.has("id"):
				received.emit(parsed)
			else:
				push_warning("Meshgate: ignoring a malformed message from the server")
	elif state == WebSocketPeer.STATE_CLOSED and ws == _ws:
		# Read even if this poll never saw it open: a server that refuses at once (a bad token) opens and closes in
		# one frame's time, and its reason is what the player needs to see.
		var code := ws.get_close_code()
		var reason := ws.get_close_reason() if code != -1 else ""
		var unanswered := _unanswered.duplicate()
		_ws = null
		_outbox.clear()
		_unanswered.clear()
		_open = false
		# Sent just as the server gave up on an idle connection (a frame that stalled, a slow start): the requests
		# never reached it, so they go again, once, on a new connection.
		if reason == NO_LOBBY_YET and not unanswered.is_empty() and not _retried and _connect(_url) == OK:
			_retried = true
			for text in unanswered:
				_send_text(text)
			return
		closed.emit(code, reason)
